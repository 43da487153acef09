"""月排名: the monthly ranking of units, stored as rows and exported as .xlsx.

Score (weights from the active ``ScoreFormula``, editable in the admin; the
default, used when none is active, is the model's field defaults):

    score = base (60)
          + weight_on_time_reports (20) × on-time report rate
          + weight_done_on_time (20)    × measures-done-on-time rate
          − penalty_per_overdue (2)     × measures overdue at the month's end
          − penalty_per_return (1)      × reports returned this year
    held between lowest (0) and highest (100): ``ScoreFormula.score`` computes it, once.

- on-time report rate: of the months of the ranked year up to the ranked
  month that the unit owed a report (reports/reporting_units.py: from the
  month its first plan was imported; January … the month for a unit whose
  plan came before the year), the share whose report was first submitted by
  its due date (a missing report counts as late). Returns are counted over
  the same months;
- measures-done-on-time rate: of the unit's measures due by the month's end,
  the share completed by their due date (the day of completion is
  ``Measure.finished_on``; a measure finished without one counts as on time).
  1 when nothing was due yet;
- overdue: open measures whose due date is before the month's last day.
- 逾期完成 (finished after the deadline, tasks.models.finished_late_q) counts as
  done and no longer as overdue, so it carries no overdue penalty, but never
  as done on time: it lowers the measures-done-on-time rate for good. The
  ranking shows it in its own column (其中逾期完成).

Only the units that owe the ranked month's report are ranked: a plan imported
after the month adds no row to it.

Tie-break, in order: higher score, higher on-time report rate, fewer overdue
measures, then the unit's name. The change is last month's rank minus this
month's (positive = moved up; empty when the unit was not ranked last month).

Measure states are the current ones: the ranking is meant to be built right
after the reports fall due, and a rebuilt old month uses today's states.

The .xlsx is written by ranking_workbook.py.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F
from django.utils import timezone

from reports.atomic_files import save_atomically, write_file_atomically
from reports.models import MonthlyRanking, MonthlyReport, RankingRow, ScoreFormula
from reports.reporting_units import first_owed_months, units_owing_report
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, finished_late_q, finished_q, in_force_q

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
TOP_AND_BOTTOM = 3
MUNICIPAL = "市级"


def district_name(district: str) -> str:
    """A unit's 所属区 as the office's files print it: a municipal unit has none and is 市级."""
    return district or MUNICIPAL


def active_formula() -> ScoreFormula:
    return ScoreFormula.objects.filter(is_active=True).first() or ScoreFormula(name="默认计分规则")


WEIGHTS = [
    "base",
    "weight_on_time_reports",
    "weight_done_on_time",
    "penalty_per_overdue",
    "penalty_per_return",
    "lowest",
    "highest",
]


def formula_as_dict(formula: ScoreFormula) -> dict:
    return {"name": formula.name} | {w: str(Decimal(getattr(formula, w)).quantize(CENT)) for w in WEIGHTS}


def formula_text(formula: dict) -> str:
    return (
        f"得分 = {formula['base']} + {formula['weight_on_time_reports']}×月报按时率 + "
        f"{formula['weight_done_on_time']}×按期完成率 − {formula['penalty_per_overdue']}×逾期措施数 − "
        f"{formula['penalty_per_return']}×月报退回次数{score_bounds_text(formula)}；"
        "逾期完成的措施计入已完成、不按逾期扣分，但不计入按期完成率；"
        "同分依次比较月报按时率（高者在前）、逾期措施数（少者在前）、单位名称"
    )


def score_bounds_text(formula: dict) -> str:
    """How the bounds read in the files; a ranking stored before the bounds existed has none."""
    if "lowest" not in formula:
        return ""
    return f"，得分限定在{formula['lowest']}至{formula['highest']}分之间（低于{formula['lowest']}分按{formula['lowest']}分计）"


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    district: str  # "" for a municipal unit
    measures: int
    done: int
    finished_late: int  # of ``done``: finished after the deadline (逾期完成)
    on_track: int
    overdue: int
    due_by_end: int
    done_on_time: int
    reports_on_time: int
    returned: int
    on_time_report_rate: Decimal
    done_on_time_rate: Decimal
    score: Decimal

    def sort_key(self):
        return (-self.score, -self.on_time_report_rate, self.overdue, self.unit_name, self.unit_id)


@dataclass
class Figures:
    """What a score is computed from: the measures carried and the reports owed by a unit (or a district)."""

    measures: int = 0
    done: int = 0
    finished_late: int = 0
    overdue: int = 0
    due_by_end: int = 0
    done_on_time: int = 0
    owed: int = 0  # report months owed
    reports_on_time: int = 0
    returned: int = 0

    def add_measure(self, m: dict, as_of: dt.date) -> None:
        """``m``: ``finished``, ``late``, ``due`` and ``completed_on`` of a measure (measure_values)."""
        completed_on = m["completed_on"]
        done_by_then = m["finished"] and (completed_on is None or completed_on <= as_of)
        late = bool(m["late"])  # NULL when either day is unknown: not late
        due = m["due"]
        self.measures += 1
        self.done += done_by_then
        self.finished_late += done_by_then and late
        if due is not None and not done_by_then and due < as_of:
            self.overdue += 1
        if due is not None and due <= as_of:
            self.due_by_end += 1
            self.done_on_time += done_by_then and not late

    def add_reports(self, owed: int, reports: list[dict]) -> None:
        """``owed`` months owed; ``reports``: those filed for them."""
        self.owed += owed
        self.reports_on_time += sum(
            1
            for r in reports
            if r["first_submitted_at"] is not None
            and timezone.localdate(r["first_submitted_at"]) <= r["due_date"]
        )
        self.returned += sum(r["return_count"] for r in reports)

    def score(self, *, unit_id: int, name: str, district: str, formula: ScoreFormula) -> UnitScore:
        report_rate = (Decimal(self.reports_on_time) / self.owed).quantize(RATE) if self.owed else Decimal(0)
        done_rate = (
            (Decimal(self.done_on_time) / self.due_by_end).quantize(RATE) if self.due_by_end else Decimal(1)
        )
        score = formula.score(
            report_rate=report_rate, done_rate=done_rate, overdue=self.overdue, returned=self.returned
        )
        return UnitScore(
            unit_id=unit_id,
            unit_name=name,
            district=district,
            measures=self.measures,
            done=self.done,
            finished_late=self.finished_late,
            on_track=self.measures - self.done - self.overdue,
            overdue=self.overdue,
            due_by_end=self.due_by_end,
            done_on_time=self.done_on_time,
            reports_on_time=self.reports_on_time,
            returned=self.returned,
            on_time_report_rate=report_rate,
            done_on_time_rate=done_rate,
            score=score.quantize(CENT, rounding=ROUND_HALF_UP),
        )


def measure_values(queryset, prefix: str = ""):
    """``queryset`` (of measures, or of rows reaching them by ``prefix``) annotated with what a score reads:
    ``finished``, ``late`` (逾期完成), ``due`` and ``completed_on``."""
    return queryset.annotate(
        finished=ExpressionWrapper(finished_q(prefix), output_field=BooleanField()),
        late=ExpressionWrapper(finished_late_q(prefix), output_field=BooleanField()),
        due=F(f"{prefix}due_date"),
        completed_on=F(f"{prefix}finished_on"),
    )


def owed_reports(units, period: dt.date) -> dict[int, tuple[int, list[dict]]]:
    """Unit id → (months of ``period``'s year up to it that the unit owed, its reports on those months)."""
    first_owed = first_owed_months(list(units))
    report_periods = year_to_date(period)
    reports: dict[int, list[dict]] = defaultdict(list)
    for report in MonthlyReport.objects.filter(unit_id__in=units, period__in=report_periods).values(
        "unit_id", "period", "due_date", "first_submitted_at", "return_count"
    ):
        reports[report["unit_id"]].append(report)
    return {
        unit_id: (  # never empty for a unit owing ``period``
            sum(1 for p in report_periods if p >= first_owed[unit_id]),
            [r for r in reports[unit_id] if r["period"] >= first_owed[unit_id]],
        )
        for unit_id in units
    }


def unit_scores(*, as_of: dt.date, period: dt.date, formula: ScoreFormula, units=None) -> list[UnitScore]:
    """The figures and score as of ``as_of`` of every unit owing month ``period``'s report (of ``units``, a
    Unit queryset, when given), best first.

    The on-time report rate is over the months of ``period``'s year up to
    ``period`` that the unit owed (``year_to_date`` from its first owed month).
    """
    owing = units_owing_report(period)
    if units is not None:
        owing = owing.filter(pk__in=units.values("pk"))
    units = {pk: (name, district) for pk, name, district in owing.values_list("pk", "name", "district")}
    figures = {unit_id: Figures() for unit_id in units}
    for row in (
        measure_values(Assignment.objects.filter(in_force_q("measure__"), unit_id__in=units), "measure__")
        .values("unit_id", "measure_id", "finished", "late", "due", "completed_on")
        .distinct()
    ):
        figures[row["unit_id"]].add_measure(row, as_of)
    for unit_id, (owed, reports) in owed_reports(units, period).items():
        figures[unit_id].add_reports(owed, reports)
    scores = [
        figures[unit_id].score(unit_id=unit_id, name=name, district=district, formula=formula)
        for unit_id, (name, district) in units.items()
    ]
    return sorted(scores, key=UnitScore.sort_key)


def month_end(period: dt.date) -> dt.date:
    return period.replace(day=month_calendar.monthrange(period.year, period.month)[1])


def year_to_date(period: dt.date) -> list[dt.date]:
    return [dt.date(period.year, month, 1) for month in range(1, period.month + 1)]


def file_name(period: dt.date, scope=None) -> str:
    return f"rankings/ranking-{period:%Y-%m}{f'-{scope.code}' if scope else ''}.xlsx"


def build_ranking(*, period: dt.date, out: str | None = None, scope=None) -> MonthlyRanking:
    """Rank the units for month ``period``, store the rows and the .xlsx (replacing an earlier build).

    ``scope`` (a departments.Jurisdiction) ranks what its office ranks (ranking_boards.py): a district its
    own units, a city its districts and, separately, its municipal bureaus; None ranks every unit.
    """
    from .ranking_boards import scored_boards
    from .ranking_workbook import ranking_workbook  # which imports this module's figures

    period = first_of_month(period)
    score_formula = active_formula()
    formula = formula_as_dict(score_formula)
    scored = scored_boards(as_of=month_end(period), period=period, formula=score_formula, scope=scope)
    boards = scored.scores
    previous = dict(
        ((board, unit_id), rank)
        for board, unit_id, rank in RankingRow.objects.filter(
            ranking__period=previous_month(period), ranking__jurisdiction=scope
        ).values_list("board", "unit_id", "rank")
    )
    rows = [
        RankingRow(
            board=board,
            unit_id=s.unit_id,
            rank=rank,
            score=s.score,
            measures=s.measures,
            done=s.done,
            finished_late=s.finished_late,
            on_track=s.on_track,
            overdue=s.overdue,
            on_time_report_rate=s.on_time_report_rate,
            returned=s.returned,
            rank_change=(previous[board, s.unit_id] - rank) if (board, s.unit_id) in previous else None,
        )
        for board, scores in boards.items()
        for rank, s in enumerate(scores, start=1)
    ]
    units = {s.unit_id: (s.unit_name, s.district) for scores in boards.values() for s in scores}
    data = ranking_workbook(
        period=period, formula=formula, rows=rows, units=units, scope=scope, unranked=scored.unranked
    )
    if out:
        write_file_atomically(Path(out), data)
    # The file first, complete or not at all; then the rows and the file's name in one transaction.
    stored = save_atomically(MonthlyRanking._meta.get_field("file").storage, file_name(period, scope), data)
    with transaction.atomic():
        ranking, _ = MonthlyRanking.objects.select_for_update().get_or_create(
            period=period, jurisdiction=scope
        )
        ranking.rows.all().delete()
        for row in rows:
            row.ranking = ranking
        RankingRow.objects.bulk_create(rows, batch_size=1000)
        ranking.formula = formula
        ranking.unranked = scored.unranked
        ranking.file.name = stored
        ranking.save()
    return ranking


def build_due_ranking(*, today: dt.date, calendar: WorkdayCalendar | None = None) -> MonthlyRanking | None:
    """The scheduled check: build last month's ranking once its reports are past due, and only once; then the
    ranking of every jurisdiction an office account works for (departments.OfficeScope), each once too."""
    from .ranking_boards import ranked_scopes

    period = previous_month(first_of_month(today))
    if today <= report_due_date(period, calendar):
        return None
    built = None
    for scope in [None, *ranked_scopes()]:
        if not MonthlyRanking.objects.filter(period=period, jurisdiction=scope).exclude(file="").exists():
            ranking = build_ranking(period=period, scope=scope)
            built = built or ranking
    return built


def ranking_table(ranking: MonthlyRanking):
    """The rows of a stored ranking for the page, with their units: one query."""
    return ranking.rows.select_related("unit").order_by("rank")


@dataclass
class BoardTable:
    """One board of a stored ranking as the page shows it: its name and a page's rows of it, best first."""

    label: str
    rows: list


RANKING_ROWS_PER_PAGE = 100  # a ranking over every unit of a city has 1,500 rows: a page each hundred


def ranking_boards_page(ranking: MonthlyRanking, page_number=None) -> tuple[Page, list[BoardTable]]:
    """A page of a stored ranking's rows (各区排名 first, each board best first), grouped by board: three queries.

    Each row's ``band`` says whether it is among its board's first or last TOP_AND_BOTTOM (``top-unit``,
    ``bottom-unit``), wherever the page cuts the board."""
    sizes = dict(ranking.rows.order_by().values_list("board").annotate(n=Count("id")))
    rows = ranking.rows.select_related("unit").order_by("board", "rank", "pk")  # districts sort first
    page = Paginator(rows, RANKING_ROWS_PER_PAGE).get_page(page_number)
    starts, position = {}, 0
    for board in sorted(sizes):
        starts[board], position = position, position + sizes[board]
    by_board: dict[str, list] = defaultdict(list)
    for index, row in enumerate(page.object_list, start=page.start_index() - 1):
        place, bottom_from = index - starts[row.board], max(sizes[row.board] - TOP_AND_BOTTOM, TOP_AND_BOTTOM)
        row.band = "top-unit" if place < TOP_AND_BOTTOM else "bottom-unit" if place >= bottom_from else ""
        by_board[row.board].append(row)
    labels = dict(RankingRow.Board.choices)
    return page, [BoardTable(str(labels[board]), board_rows) for board, board_rows in by_board.items()]
