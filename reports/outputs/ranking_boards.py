"""What each office ranks (issue #14): the boards of a jurisdiction's monthly ranking.

- every unit (no jurisdiction: the ranking as it was before jurisdictions), one board;
- a district (or a street): the units of the district and below — its bureaus and streets — one board;
- a city or province with districts below it: the **district governments**, each scored on its district as a
  whole (``district_scores``), and, separately, the **municipal bureaus** (the units of the city itself). A
  district with no measure in force in plans of its own has nothing to be scored on: it is left off the
  board and named apart (``Boards.unranked``), not ranked first on its report rate alone.

A board is a list of ``ranking.UnitScore``, best first; ``RankingRow.board`` says which a row is on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F

from departments.models import Jurisdiction, Unit
from reports.models import RankingRow, ScoreFormula
from reports.reporting_units import units_owing_report
from tasks.models import Measure

from .ranking import Figures, UnitScore, measure_values, owed_reports, unit_scores

Board = RankingRow.Board


def unranked_note(unranked: list[str]) -> str:
    """The districts left off the districts board, as the ranking names them (page and .xlsx)."""
    return f"未参与各区排名（本区计划中尚无在办措施）：{'、'.join(unranked)}" if unranked else ""


def ranked_scopes() -> list[Jurisdiction]:
    """The jurisdictions office accounts work for: each gets its own ranking and notice."""
    return list(Jurisdiction.objects.filter(office_scopes__isnull=False).distinct().order_by("path"))


def has_districts(scope: Jurisdiction) -> bool:
    return Jurisdiction.objects.within(scope).districts().exclude(pk=scope.pk).exists()


@dataclass
class Boards:
    """A ranking's boards: board → its scores, best first; and the districts left off the districts board
    for having no measure in force in plans of their own (their names, in the order of their codes)."""

    scores: dict[str, list[UnitScore]]
    unranked: list[str] = field(default_factory=list)


def scored_boards(
    *, as_of: dt.date, period: dt.date, formula: ScoreFormula, scope: Jurisdiction | None
) -> Boards:
    """The boards of ``scope``'s ranking (see the module's docstring)."""
    if scope is None:
        return Boards({Board.UNITS: unit_scores(as_of=as_of, period=period, formula=formula)})
    if has_districts(scope):
        districts, unranked = district_scores(as_of=as_of, period=period, formula=formula, scope=scope)
        bureaus = unit_scores(
            as_of=as_of, period=period, formula=formula, units=Unit.objects.filter(jurisdiction=scope)
        )
        return Boards({Board.DISTRICTS: districts, Board.UNITS: bureaus}, unranked)
    return Boards(
        {
            Board.UNITS: unit_scores(
                as_of=as_of, period=period, formula=formula, units=Unit.objects.within(scope)
            )
        }
    )


def district_scores(
    *, as_of: dt.date, period: dt.date, formula: ScoreFormula, scope
) -> tuple[list[UnitScore], list[str]]:
    """The district governments of the districts below ``scope`` (a Jurisdiction), each scored on its
    district as a whole, best first: every measure of the plans of the district (and below), and the
    reports of every unit of the district owing month ``period``'s; and the names of the districts left
    out for having no such measure in force (their units may still owe reports, on the city's measures).
    A district without an active government unit (区政府) in the directory has no row to stand on and is
    left out too, unnamed: it is no district government's ranking to miss."""
    districts = list(Jurisdiction.objects.within(scope).districts())
    governments = {}
    for unit in Unit.objects.active().filter(kind=Unit.Kind.DISTRICT_GOVERNMENT, jurisdiction__in=districts):
        governments.setdefault(unit.jurisdiction_id, unit)
    figures = {d.path: Figures() for d in districts if d.pk in governments}

    def district_of(path: str | None) -> Figures | None:
        return next((f for prefix, f in figures.items() if path and path.startswith(prefix)), None)

    for row in measure_values(Measure.objects.in_force().in_scope(scope)).values(
        "pk", "finished", "late", "due", "completed_on", path=F("task__plan__jurisdiction__path")
    ):
        if (district := district_of(row["path"])) is not None:
            district.add_measure(row, as_of)
    paths = dict(units_owing_report(period).in_scope(scope).values_list("pk", "jurisdiction__path"))
    for unit_id, (owed, reports) in owed_reports(paths, period).items():
        if (district := district_of(paths[unit_id])) is not None:
            district.add_reports(owed, reports)
    scores, unranked = [], []
    for d in districts:
        if d.path not in figures:
            continue
        if not figures[d.path].measures:
            unranked.append(d.name)
            continue
        unit = governments[d.pk]
        scores.append(figures[d.path].score(unit_id=unit.pk, name=d.name, district=d.name, formula=formula))
    return sorted(scores, key=UnitScore.sort_key), unranked
