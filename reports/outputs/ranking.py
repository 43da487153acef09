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
  the share completed by their due date (completion = first progress update
  marked done, else the sign-off; a measure marked done without either
  counts as on time). 1 when nothing was due yet;
- overdue: open measures whose due date is before the month's last day.

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

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Min
from django.utils import timezone

from reports.atomic_files import save_atomically, write_file_atomically
from reports.models import MonthlyRanking, MonthlyReport, RankingRow, ScoreFormula
from reports.reporting_units import first_owed_months, units_owing_report
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, ProgressUpdate, finished_q, in_force_q

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


def _completion_dates() -> dict[int, dt.date]:
    """When each finished measure was completed: its first “done” that set the measure, else its sign-off."""
    done_at = dict(
        ProgressUpdate.objects.completions()
        .values("measure_id")
        .annotate(first=Min("created_at"))
        .values_list("measure_id", "first")
    )
    for pk, signed in Measure.objects.filter(signed_off_at__isnull=False).values_list("pk", "signed_off_at"):
        done_at.setdefault(pk, signed)
    return {pk: timezone.localdate(moment) for pk, moment in done_at.items()}


def _carried_measures(units) -> dict[int, dict[int, dict]]:
    """unit id → measure id → the measure's row (finished, due date) for every in-force measure it carries."""
    carried: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in (
        Assignment.objects.filter(in_force_q("measure__"), unit_id__in=units)
        .annotate(finished=ExpressionWrapper(finished_q("measure__"), output_field=BooleanField()))
        .values("unit_id", "measure_id", "finished", "measure__due_date")
    ):
        carried[row["unit_id"]][row["measure_id"]] = row
    return carried


def _measure_counts(measures: dict[int, dict], completed: dict[int, dt.date], as_of: dt.date) -> tuple:
    """(done, overdue, due_by_end, done_on_time) of one unit's measures as of ``as_of``."""
    done = overdue = due_by_end = done_on_time = 0
    for measure_id, m in measures.items():
        is_done = m["finished"]
        completed_on = completed.get(measure_id)
        done_by_then = is_done and (completed_on is None or completed_on <= as_of)
        due = m["measure__due_date"]
        done += done_by_then
        if due is not None and not done_by_then and due < as_of:
            overdue += 1
        if due is not None and due <= as_of:
            due_by_end += 1
            done_on_time += done_by_then and (completed_on is None or completed_on <= due)
    return done, overdue, due_by_end, done_on_time


def unit_scores(*, as_of: dt.date, period: dt.date, formula: ScoreFormula) -> list[UnitScore]:
    """The figures and score as of ``as_of`` of every unit owing month ``period``'s report, best first.

    The on-time report rate is over the months of ``period``'s year up to
    ``period`` that the unit owed (``year_to_date`` from its first owed month).
    """
    units = {
        pk: (name, district)
        for pk, name, district in units_owing_report(period).values_list("pk", "name", "district")
    }
    first_owed = first_owed_months(list(units))
    report_periods = year_to_date(period)
    completed = _completion_dates()
    carried = _carried_measures(units)
    reports: dict[int, list[dict]] = defaultdict(list)
    for report in MonthlyReport.objects.filter(unit_id__in=units, period__in=report_periods).values(
        "unit_id", "period", "due_date", "first_submitted_at", "return_count"
    ):
        reports[report["unit_id"]].append(report)

    scores = []
    for unit_id, (name, district) in units.items():
        owed = [
            p for p in report_periods if p >= first_owed[unit_id]
        ]  # never empty: the unit owes ``period``
        owed_reports = [r for r in reports[unit_id] if r["period"] >= first_owed[unit_id]]
        done, overdue, due_by_end, done_on_time = _measure_counts(carried[unit_id], completed, as_of)
        measures = len(carried[unit_id])
        on_time = sum(
            1
            for r in owed_reports
            if r["first_submitted_at"] is not None
            and timezone.localdate(r["first_submitted_at"]) <= r["due_date"]
        )
        returned = sum(r["return_count"] for r in owed_reports)
        report_rate = (Decimal(on_time) / len(owed)).quantize(RATE)
        done_rate = (Decimal(done_on_time) / due_by_end).quantize(RATE) if due_by_end else Decimal(1)
        score = formula.score(
            report_rate=report_rate, done_rate=done_rate, overdue=overdue, returned=returned
        )
        scores.append(
            UnitScore(
                unit_id=unit_id,
                unit_name=name,
                district=district,
                measures=measures,
                done=done,
                on_track=measures - done - overdue,
                overdue=overdue,
                due_by_end=due_by_end,
                done_on_time=done_on_time,
                reports_on_time=on_time,
                returned=returned,
                on_time_report_rate=report_rate,
                done_on_time_rate=done_rate,
                score=score.quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    return sorted(scores, key=UnitScore.sort_key)


def month_end(period: dt.date) -> dt.date:
    return period.replace(day=month_calendar.monthrange(period.year, period.month)[1])


def year_to_date(period: dt.date) -> list[dt.date]:
    return [dt.date(period.year, month, 1) for month in range(1, period.month + 1)]


def file_name(period: dt.date) -> str:
    return f"rankings/ranking-{period:%Y-%m}.xlsx"


def build_ranking(*, period: dt.date, out: str | None = None) -> MonthlyRanking:
    """Rank the units for month ``period``, store the rows and the .xlsx (replacing an earlier build)."""
    period = first_of_month(period)
    score_formula = active_formula()
    formula = formula_as_dict(score_formula)
    scores = unit_scores(as_of=month_end(period), period=period, formula=score_formula)
    previous = dict(
        RankingRow.objects.filter(ranking__period=previous_month(period)).values_list("unit_id", "rank")
    )
    rows = [
        RankingRow(
            unit_id=s.unit_id,
            rank=rank,
            score=s.score,
            measures=s.measures,
            done=s.done,
            on_track=s.on_track,
            overdue=s.overdue,
            on_time_report_rate=s.on_time_report_rate,
            returned=s.returned,
            rank_change=(previous[s.unit_id] - rank) if s.unit_id in previous else None,
        )
        for rank, s in enumerate(scores, start=1)
    ]
    from .ranking_workbook import ranking_workbook  # which imports this module's figures

    units = {s.unit_id: (s.unit_name, s.district) for s in scores}
    data = ranking_workbook(period=period, formula=formula, rows=rows, units=units)
    if out:
        write_file_atomically(Path(out), data)
    # The file first, complete or not at all; then the rows and the file's name in one transaction.
    stored = save_atomically(MonthlyRanking._meta.get_field("file").storage, file_name(period), data)
    with transaction.atomic():
        ranking, _ = MonthlyRanking.objects.select_for_update().get_or_create(period=period)
        ranking.rows.all().delete()
        for row in rows:
            row.ranking = ranking
        RankingRow.objects.bulk_create(rows, batch_size=1000)
        ranking.formula = formula
        ranking.file.name = stored
        ranking.save()
    return ranking


def build_due_ranking(*, today: dt.date, calendar: WorkdayCalendar | None = None) -> MonthlyRanking | None:
    """The scheduled check: build last month's ranking once its reports are past due, and only once."""
    period = previous_month(first_of_month(today))
    if today <= report_due_date(period, calendar):
        return None
    if MonthlyRanking.objects.filter(period=period).exclude(file="").exists():
        return None
    return build_ranking(period=period)


def ranking_table(ranking: MonthlyRanking):
    """The rows of a stored ranking for the page, with their units: one query."""
    return ranking.rows.select_related("unit").order_by("rank")
