"""What each office ranks (issue #14): the boards of a jurisdiction's monthly ranking.

- every unit (no jurisdiction: the ranking as it was before jurisdictions), one board;
- a district (or a street): the units of the district and below — its bureaus and streets — one board;
- a city or province with districts below it: the **district governments**, each scored on its district as a
  whole (``district_scores``), and, separately, the **municipal bureaus** (the units of the city itself).

A board is a list of ``ranking.UnitScore``, best first; ``RankingRow.board`` says which a row is on.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from departments.models import Jurisdiction, Unit
from reports.models import RankingRow, ScoreFormula
from reports.reporting_units import units_owing_report
from tasks.models import Measure

from .ranking import Figures, UnitScore, measure_values, owed_reports, unit_scores

Board = RankingRow.Board


def ranked_scopes() -> list[Jurisdiction]:
    """The jurisdictions office accounts work for: each gets its own ranking and notice."""
    return list(Jurisdiction.objects.filter(office_scopes__isnull=False).distinct().order_by("path"))


def has_districts(scope: Jurisdiction) -> bool:
    return Jurisdiction.objects.within(scope).districts().exclude(pk=scope.pk).exists()


def scored_boards(
    *, as_of: dt.date, period: dt.date, formula: ScoreFormula, scope: Jurisdiction | None
) -> dict[str, list[UnitScore]]:
    """Board → its scores, best first (see the module's docstring)."""
    if scope is None:
        return {Board.UNITS: unit_scores(as_of=as_of, period=period, formula=formula)}
    if has_districts(scope):
        return {
            Board.DISTRICTS: district_scores(as_of=as_of, period=period, formula=formula, scope=scope),
            Board.UNITS: unit_scores(
                as_of=as_of, period=period, formula=formula, units=Unit.objects.filter(jurisdiction=scope)
            ),
        }
    return {
        Board.UNITS: unit_scores(
            as_of=as_of, period=period, formula=formula, units=Unit.objects.within(scope)
        )
    }


def district_scores(*, as_of: dt.date, period: dt.date, formula: ScoreFormula, scope) -> list[UnitScore]:
    """The district governments of the districts below ``scope`` (a Jurisdiction), each scored on its
    district as a whole, best first: every measure of the plans of the district (and below), and the
    reports of every unit of the district owing month ``period``'s. A district without an active
    government unit (区政府) in the directory has no row to stand on and is left out."""
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
    scores = []
    for d in districts:
        if d.path in figures:
            unit = governments[d.pk]
            scores.append(
                figures[d.path].score(unit_id=unit.pk, name=d.name, district=d.name, formula=formula)
            )
    return sorted(scores, key=UnitScore.sort_key)
