"""Monthly reports on the dashboards (who owes, who was late) and the twelve-month trend of completions
and on-time reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    Case,
    Count,
    DateField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from departments.models import Unit
from reports.models import MonthlyReport
from reports.reporting_units import first_owed_months, owed_q, units_owing_report
from reports.selectors import LATE, MISSING, ON_TIME, TIMELINESS_LABELS, default_period, timeliness
from reports.workdays import WorkdayCalendar, first_of_month, next_month, previous_month, report_due_date
from tasks.models import Measure, finished_late_q, finished_q, measure_in_force_q

TREND_MONTHS = 12
REPORT_WINDOW_MONTHS = 12  # a unit's on-time report rate covers the months it owed of the last 12 due

# --- Monthly reports -----------------------------------------------------------------


def current_report_period(today: dt.date) -> dt.date:
    """The month whose report is the latest one falling due: last month's (due early this month)."""
    return default_period(today)


def on_time_q(reports: QuerySet) -> Q:
    """Reports of ``reports`` submitted (first time) by the end of their due date, local time: one query.

    Written as ``first_submitted_at < the moment the due date ends`` for each due
    date in use (about one per month), rather than converting every timestamp to a
    local date, which SQLite does in Python row by row.
    """
    condition = Q(pk__isnull=True)  # no due dates, no report on time
    for due in reports.order_by().values_list("due_date", flat=True).distinct():
        ends = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min))
        condition |= Q(due_date=due, first_submitted_at__lt=ends)
    return condition


class ReportProblem:
    """A unit owing the period's report whose report is late, missing or not yet due (``timeliness``:
    reports.selectors' late, missing, pending), with its report if it has one.

    Made from the rows the status reads; ``unit`` and ``report`` are built as models when first read: a city
    has hundreds of units late or missing, the overview lists twenty."""

    def __init__(self, *, unit_row: tuple, report_row: tuple | None, timeliness: str, db: str):
        self._unit_row, self._report_row, self._db = unit_row, report_row, db
        self.timeliness = timeliness

    @cached_property
    def unit(self) -> Unit:
        return Unit.from_db(self._db, UNIT_FIELDS, self._unit_row)

    @cached_property
    def report(self) -> MonthlyReport | None:
        return self._report_row and MonthlyReport.from_db(self._db, REPORT_FIELDS, self._report_row)

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self.timeliness]

    @property
    def overdue(self) -> bool:
        return self.timeliness in (LATE, MISSING)


@dataclass
class ReportPeriodStatus:
    period: dt.date
    due_date: dt.date
    expected: int
    on_time: int
    problems: list[ReportProblem] = field(default_factory=list)


UNIT_FIELDS = [f.attname for f in Unit._meta.concrete_fields]
REPORT_FIELDS = [f.attname for f in MonthlyReport._meta.concrete_fields if f.name != "summary"]


def report_period_status(
    *, today: dt.date, calendar: WorkdayCalendar | None = None, scope=None
) -> ReportPeriodStatus:
    """Units owing the current period's report whose report is late or still missing: three queries.

    Only the units that owe the month count (reports/reporting_units.py): a plan
    imported this month adds nothing to last month's figures.
    """
    period = current_report_period(today)
    due = report_due_date(period, calendar or WorkdayCalendar.from_database())
    # Read as plain rows, and built as models only where a page reads a problem's unit or report (ReportProblem):
    # a city's 1,500 units and their reports cost ~25 ms of CPU as models, its ~800 problems ~20 more. Reports
    # unordered (the model's order joins each to its unit) and without their summaries.
    rows = MonthlyReport.objects.filter(period=period).order_by().values_list(*REPORT_FIELDS)
    reports = {row[REPORT_FIELDS.index("unit_id")]: row for row in rows}
    due_at, submitted_at = REPORT_FIELDS.index("due_date"), REPORT_FIELDS.index("first_submitted_at")
    units = units_owing_report(period).in_scope(scope).order_by("district", "name").values_list(*UNIT_FIELDS)
    problems, on_time, expected = [], 0, 0
    for unit in units:
        expected += 1
        report = reports.get(unit[0])
        state = timeliness(
            due_date=report[due_at] if report else due,
            first_submitted_at=report and report[submitted_at],
            today=today,
        )
        if state == ON_TIME:
            on_time += 1
        else:
            problems.append(ReportProblem(unit_row=unit, report_row=report, timeliness=state, db=units.db))
    return ReportPeriodStatus(
        period=period, due_date=due, expected=expected, on_time=on_time, problems=problems
    )


def report_window(*, today: dt.date, calendar: WorkdayCalendar) -> list[dt.date]:
    """The last 12 report periods already past their due date, newest first.

    A unit's on-time rate counts only the months of the window it owed
    (``first_owed_months``): a unit whose plan came in June is not marked
    down for the months before.
    """
    periods, period = [], current_report_period(today)
    while len(periods) < REPORT_WINDOW_MONTHS:
        if report_due_date(period, calendar) < today:
            periods.append(period)
        period = previous_month(period)
    return periods


def on_time_counts(reports: QuerySet, first_owed: dict[int, dt.date], *, by: str) -> Counter:
    """Reports of ``reports`` submitted on time on a month their unit owed, counted by ``by`` ("period" or
    "unit_id"): two queries, grouped in the database.

    A report filed for a month the unit did not owe counts neither way.
    """
    rows = (
        reports.filter(on_time_q(reports), owed_q(first_owed))
        .order_by()
        .values_list(by)
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))


# --- Trend -------------------------------------------------------------------------


def _month_of(field: str, periods: list[dt.date], *, moments: bool) -> Case:
    """The month (of ``periods``) ``field`` falls in, by comparisons with each month's end.

    Date truncation without a per-row function: SQLite truncates dates and
    time-zone-aware timestamps in Python, row by row. For timestamps
    (``moments``) a month ends at local midnight of the next month's first day.
    """
    whens = []
    for period in periods:
        end = next_month(period)
        if moments:
            end = timezone.make_aware(dt.datetime.combine(end, dt.time.min))
        whens.append(When(**{f"{field}__lt": end}, then=Value(period)))
    return Case(*whens, default=None, output_field=DateField())


def _completed_and_missed(
    first: dt.date, today: dt.date, periods: list[dt.date], scope=None
) -> tuple[Counter, Counter]:
    """Measures (finished now) by the month they finished (``Measure.finished_on``: the day the measure was
    reported done by its lead units, or signed off), and measures due in each month (up to yesterday) not finished
    by their deadline (still open, or 逾期完成): one pass over the measures, grouped by both months."""
    completed_q = finished_q() & Q(finished_on__gte=first)
    missed_q = Q(due_date__gte=first, due_date__lt=today) & (~finished_q() | finished_late_q())
    rows = (
        Measure.objects.filter(measure_in_force_q("pk"))  # in force without joining task and plan: 40 → 28 ms
        .in_scope(scope)
        .filter(completed_q | missed_q)
        .annotate(
            completed_in=Case(
                When(completed_q, then=_month_of("finished_on", periods, moments=False)),
                output_field=DateField(),
            ),
            missed_in=Case(
                When(missed_q, then=_month_of("due_date", periods, moments=False)), output_field=DateField()
            ),
        )
        .order_by()
        .values_list("completed_in", "missed_in")
        .annotate(n=Count("id"))
    )
    completed, missed = Counter(), Counter()
    for completed_in, missed_in, n in rows:
        completed[completed_in] += n
        missed[missed_in] += n
    return completed, missed


def monthly_trend(*, today: dt.date, months: int = TREND_MONTHS, scope=None) -> list[dict]:
    """The last ``months`` months: measures completed, deadlines missed, on-time report rate. Four grouped queries.

    - completed: measures (finished now) whose day of completion (``finished_on``) fell in the month;
    - overdue: measures due in the month (up to yesterday) not finished by their deadline (open, or
      逾期完成: tasks.models.finished_late_q);
    - on_time_rate: reports on the month submitted by their due date ÷ units that owed the
      month's report (reports/reporting_units.py); empty while the month's report is not yet
      due, and for a month nobody owed (before any plan was imported).
    """
    first = first_of_month(today)
    for _ in range(months - 1):
        first = previous_month(first)
    periods = [first]
    while len(periods) < months:
        periods.append(next_month(periods[-1]))
    completed, overdue = _completed_and_missed(first, today, periods, scope)

    first_owed = first_owed_months(None if scope is None else Unit.objects.in_scope(scope), from_period=first)
    on_time = on_time_counts(
        MonthlyReport.objects.in_scope(scope).filter(period__gte=first), first_owed, by="period"
    )
    calendar = WorkdayCalendar.from_database()
    trend = []
    for period in periods:
        due = report_due_date(period, calendar)
        expected = sum(1 for first_month in first_owed.values() if first_month <= period)
        rate = on_time[period] / expected if expected and due < today else None
        trend.append(
            {
                "period": period,
                "completed": completed.get(period, 0),
                "overdue": overdue.get(period, 0),
                "on_time_rate": rate,
            }
        )
    return trend
