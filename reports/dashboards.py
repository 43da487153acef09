"""The office's dashboards: figures on plans, units and deadlines, read with a fixed number of queries.

Counts, rates and traffic lights are aggregated in the database: the light
is the rule of ``tasks/traffic_light.py`` spelled in SQL by
``tasks/traffic_light_sql.py`` (a test checks both agree), so no page loads
every measure to count its lights. Pages show the top of each long list
(most overdue, busiest) with the full list one click or one export away.

Every selector takes ``today`` so that figures are reproducible in tests.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from django.db.models import Case, Count, DateField, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from departments.models import Unit
from tasks.models import Assignment, Chapter, Measure, Plan, ProgressUpdate
from tasks.selectors import assignments_in_role_order
from tasks.traffic_light import Light
from tasks.traffic_light_sql import light_counts as sql_light_counts
from tasks.traffic_light_sql import light_expression

from .models import MonthlyReport
from .reporting_units import first_owed_months, owes, units_owing_report
from .selectors import LATE, MISSING, ON_TIME, TIMELINESS_LABELS, default_period, timeliness
from .workdays import WorkdayCalendar, first_of_month, next_month, previous_month, report_due_date

UPCOMING_DAYS = 30  # the overview lists deadlines in the next 30 days
TREND_MONTHS = 12
REPORT_WINDOW_MONTHS = 12  # a unit's on-time report rate covers the months it owed of the last 12 due
LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)
OVERVIEW_CHAPTERS = 15  # the overview charts the chapters with most overdue measures; the rest are exported
UNIT_MEASURES_PER_PAGE = 50


def finished_q(prefix: str = "") -> Q:
    """A measure counts as finished once reported done or signed off (as in MeasureQuerySet.open)."""
    return Q(**{f"{prefix}status": Measure.Status.DONE}) | Q(**{f"{prefix}signed_off_at__isnull": False})


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    return ~finished_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


# --- Traffic lights ------------------------------------------------------------------


def with_lights(measures: QuerySet, *, today: dt.date) -> QuerySet:
    """``measures`` with each one's light computed by the database (``light_value``; see attach_lights)."""
    return measures.annotate(light_value=light_expression(today=today))


def attach_lights(rows, *, attr: str = "light", measure=lambda row: row):
    """Turn the ``light_value`` annotation of each row's measure into a Light (for the templates)."""
    rows = list(rows)
    for row in rows:
        value = getattr(measure(row), "light_value", None)
        setattr(row, attr, Light(value) if value else None)
    return rows


def light_summary(measures: QuerySet, *, today: dt.date) -> list[dict]:
    """[{light, label, count}] for green, yellow and red over ``measures``: one grouped query."""
    counts = sql_light_counts(measures, today=today)
    return [{"light": light.value, "label": light.label, "count": counts[light.value]} for light in LIGHTS]


# --- Shared prefetches ------------------------------------------------------------------


def _assignments_prefetch() -> Prefetch:
    return Prefetch("assignments", queryset=assignments_in_role_order())  # 牵头, 主责, 协办


def _latest_progress_prefetch(prefix: str = "") -> Prefetch:
    """The newest progress update of each measure, as ``measure.latest_progress`` (a list of 0 or 1)."""
    return Prefetch(
        f"{prefix}progress_updates",
        queryset=ProgressUpdate.objects.select_related("unit").order_by("-created_at", "-id")[:1],
        to_attr="latest_progress",
    )


def measure_rows(measures: QuerySet) -> QuerySet:
    """Measures ready for a dashboard table: plan, chapter, units and latest progress in four queries."""
    return measures.select_related("task__plan", "task__chapter").prefetch_related(
        _assignments_prefetch(), _latest_progress_prefetch()
    )


# --- Overview ----------------------------------------------------------------------


@dataclass
class Overview:
    today: dt.date
    total: int
    by_status: list[dict]
    by_light: list[dict]
    by_plan: list[Plan]
    by_chapter: list[Chapter]
    overdue: list[Measure]
    overdue_total: int
    upcoming: list[Measure]
    upcoming_total: int
    reports: "ReportPeriodStatus"
    trend: list[dict]

    @property
    def chapters_shown(self) -> list[Chapter]:
        """The chapters with most overdue measures (then most measures), for the overview's chart and table."""
        ranked = sorted(self.by_chapter, key=lambda c: (-c.measure_overdue, -c.measure_total, c.plan.title, c.number))
        return ranked[:OVERVIEW_CHAPTERS]


def status_counts() -> list[dict]:
    counts = dict(Measure.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in Measure.Status.choices]


def _completion_annotations(prefix: str, today: dt.date) -> dict:
    return {
        "measure_total": Count(f"{prefix}id"),
        "measure_done": Count(f"{prefix}id", filter=finished_q(f"{prefix}")),
        "measure_overdue": Count(f"{prefix}id", filter=overdue_q(today, f"{prefix}")),
    }


def _with_rate(items):
    for item in items:
        item.done_rate = item.measure_done / item.measure_total if item.measure_total else None
    return items


def completion_by_plan(*, today: dt.date) -> list[Plan]:
    """Every plan with measure_total, measure_done, measure_overdue and done_rate: one query."""
    plans = Plan.objects.annotate(**_completion_annotations("tasks__measures__", today)).order_by("-year_start", "title")
    return _with_rate(list(plans))


def completion_by_chapter(*, today: dt.date, plan: Plan | None = None) -> list[Chapter]:
    """Every chapter (of ``plan``, or of all plans) with its completion figures: one query."""
    chapters = Chapter.objects.select_related("plan").annotate(**_completion_annotations("tasks__measures__", today))
    if plan is not None:
        chapters = chapters.filter(plan=plan)
    return _with_rate(list(chapters.order_by("-plan__year_start", "plan__title", "number")))


def overdue_measures(*, today: dt.date) -> QuerySet:
    """Open measures past their deadline, the longest overdue first, with units and latest progress."""
    return measure_rows(Measure.objects.overdue(on=today)).order_by("due_date", "id")


def upcoming_measures(*, today: dt.date, days: int = UPCOMING_DAYS) -> QuerySet:
    return measure_rows(Measure.objects.due_between(today, today + dt.timedelta(days=days))).order_by("due_date", "id")


def with_days_overdue(measures, *, today: dt.date) -> list[Measure]:
    rows = list(measures)
    for measure in rows:
        measure.days_overdue = (today - measure.due_date).days if measure.due_date else None
        measure.days_left = -measure.days_overdue if measure.days_overdue is not None else None
    return rows


def _status_and_light_counts(today: dt.date) -> tuple[list[dict], list[dict]]:
    """Measures by status and by light, from one pass grouped by both."""
    statuses, lights = Counter(), Counter()
    for row in Measure.objects.order_by().annotate(light_value=light_expression(today=today)).values(
        "status", "light_value"
    ).annotate(n=Count("id")):
        statuses[row["status"]] += row["n"]
        lights[row["light_value"]] += row["n"]
    by_status = [{"status": value, "label": label, "count": statuses[value]} for value, label in Measure.Status.choices]
    by_light = [{"light": light.value, "label": light.label, "count": lights[light.value]} for light in LIGHTS]
    return by_status, by_light


def _plans_from_chapters(chapters: list[Chapter]) -> list[Plan]:
    """Every plan's completion figures, summed from its chapters' (a measure's task sits in one chapter)."""
    plans = list(Plan.objects.order_by("-year_start", "title"))
    totals = {plan.pk: plan for plan in plans}
    for plan in plans:
        plan.measure_total = plan.measure_done = plan.measure_overdue = 0
    for chapter in chapters:
        plan = totals[chapter.plan_id]
        plan.measure_total += chapter.measure_total
        plan.measure_done += chapter.measure_done
        plan.measure_overdue += chapter.measure_overdue
    return _with_rate(plans)


def overview(*, today: dt.date, list_limit: int = 20) -> Overview:
    """Everything on the overview page: a fixed number of queries whatever the data."""
    by_status, by_light = _status_and_light_counts(today)
    by_chapter = completion_by_chapter(today=today)
    overdue_all = overdue_measures(today=today)
    upcoming_all = upcoming_measures(today=today)
    return Overview(
        today=today,
        total=sum(item["count"] for item in by_light),
        by_status=by_status,
        by_light=by_light,
        by_plan=_plans_from_chapters(by_chapter),
        by_chapter=by_chapter,
        overdue=with_days_overdue(overdue_all[:list_limit], today=today),
        overdue_total=overdue_all.count(),
        upcoming=with_days_overdue(upcoming_all[:list_limit], today=today),
        upcoming_total=upcoming_all.count(),
        reports=report_period_status(today=today),
        trend=monthly_trend(today=today),
    )


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


@dataclass
class ReportProblem:
    unit: Unit
    report: MonthlyReport | None
    timeliness: str  # reports.selectors: late, missing (past due) or pending (not yet due)

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


def report_period_status(*, today: dt.date, calendar: WorkdayCalendar | None = None) -> ReportPeriodStatus:
    """Units owing the current period's report whose report is late or still missing: three queries.

    Only the units that owe the month count (reports/reporting_units.py): a plan
    imported this month adds nothing to last month's figures.
    """
    period = current_report_period(today)
    due = report_due_date(period, calendar or WorkdayCalendar.from_database())
    reports = {r.unit_id: r for r in MonthlyReport.objects.filter(period=period)}
    problems, on_time, expected = [], 0, 0
    for unit in units_owing_report(period).order_by("district", "name"):
        expected += 1
        report = reports.get(unit.pk)
        state = timeliness(
            due_date=report.due_date if report else due, first_submitted_at=report and report.first_submitted_at,
            today=today,
        )
        if state == ON_TIME:
            on_time += 1
        else:
            problems.append(ReportProblem(unit=unit, report=report, timeliness=state))
    return ReportPeriodStatus(period=period, due_date=due, expected=expected, on_time=on_time, problems=problems)


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


def on_time_months(reports: QuerySet, first_owed: dict[int, dt.date]) -> set[tuple[int, dt.date]]:
    """(unit id, month) of each report of ``reports`` submitted on time on a month its unit owed: two queries.

    A report filed for a month the unit did not owe counts neither way.
    """
    return {
        (unit_id, period)
        for unit_id, period in reports.filter(on_time_q(reports)).order_by().values_list("unit_id", "period")
        if owes(first_owed, unit_id, period)
    }


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


def _done_updates(**filters) -> QuerySet:
    """“Done” reports that set their measure done (a 协办单位's own “done” does not complete the measure)."""
    return ProgressUpdate.objects.completions().filter(**filters)


def _first_done_updates() -> QuerySet:
    """Each measure's first “done” report (none earlier for the same measure)."""
    earlier = _done_updates(measure=OuterRef("measure_id"), created_at__lt=OuterRef("created_at"))
    return _done_updates().filter(~Exists(earlier))


def monthly_trend(*, today: dt.date, months: int = TREND_MONTHS) -> list[dict]:
    """The last ``months`` months: measures completed, deadlines missed, on-time report rate. Six grouped queries.

    - completed: measures (finished now) whose first “done” report — or sign-off, if never
      reported done — fell in the month;
    - overdue: measures due in the month (up to yesterday) not finished by their deadline;
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
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))

    completed = Counter()
    for row in _first_done_updates().filter(created_at__gte=start).filter(finished_q("measure__")).annotate(
        month=_month_of("created_at", periods, moments=True)
    ).order_by().values("month").annotate(n=Count("measure_id", distinct=True)):
        completed[row["month"]] += row["n"]
    for row in Measure.objects.filter(finished_q(), signed_off_at__gte=start).filter(
        ~Exists(_done_updates(measure=OuterRef("pk")))
    ).annotate(month=_month_of("signed_off_at", periods, moments=True)).order_by().values("month").annotate(
        n=Count("id")
    ):
        completed[row["month"]] += row["n"]

    reported_done = Exists(_done_updates(measure=OuterRef("pk")))
    done_by_deadline = Exists(_done_updates(measure=OuterRef("pk"), created_at__date__lte=OuterRef("due_date")))
    missed = (
        Measure.objects.filter(due_date__gte=first, due_date__lt=today)
        .filter(
            ~finished_q()
            | (reported_done & ~done_by_deadline)
            | (~reported_done & Q(signed_off_at__date__gt=F("due_date")))
        )
        .annotate(month=_month_of("due_date", periods, moments=False)).order_by().values("month").annotate(n=Count("id"))
    )
    overdue = {row["month"]: row["n"] for row in missed}

    first_owed = first_owed_months()
    on_time = Counter(period for _unit, period in on_time_months(
        MonthlyReport.objects.filter(period__gte=first), first_owed
    ))
    calendar = WorkdayCalendar.from_database()
    trend = []
    for period in periods:
        due = report_due_date(period, calendar)
        expected = sum(1 for first_month in first_owed.values() if first_month <= period)
        rate = on_time[period] / expected if expected and due < today else None
        trend.append({
            "period": period, "completed": completed.get(period, 0), "overdue": overdue.get(period, 0),
            "on_time_rate": rate,
        })
    return trend


# --- By unit -----------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    lead: int = 0
    responsible: int = 0
    assisting: int = 0
    measures: int = 0
    done: int = 0
    on_track: int = 0
    warning: int = 0
    overdue: int = 0
    on_time_reports: int = 0
    reports_owed: int = 0  # months of the report window the unit owed
    on_time_rate: float | None = None
    last_report_at: dt.datetime | None = None
    last_report_period: dt.date | None = None


UNIT_SORT_KEYS = (
    "name", "district", "lead", "responsible", "assisting", "measures", "done", "on_track", "warning",
    "overdue", "on_time_rate", "last_report_at",
)


_STATE_COLUMNS = {"done": "done", Light.GREEN.value: "on_track", Light.YELLOW.value: "warning", Light.RED.value: "overdue"}


def _unit_counts(today: dt.date, unit_ids=None) -> dict[int, dict]:
    """Per unit: roles carried, and its measures done / on track / warning / overdue.

    One query grouped by unit and the measure's state (its light, with finished
    measures apart), so the light is computed once per assignment; a measure's
    state is the same in every group it appears in, so distinct counts add up.
    """
    assignments = Assignment.objects.order_by()
    if unit_ids is not None:
        assignments = assignments.filter(unit_id__in=unit_ids)
    rows = assignments.annotate(
        state=light_expression(today=today, prefix="measure__", finished="done")
    ).values("unit_id", "state").annotate(
        lead=Count("id", filter=Q(role=Assignment.Role.LEAD)),
        responsible=Count("id", filter=Q(role=Assignment.Role.RESPONSIBLE)),
        assisting=Count("id", filter=Q(role=Assignment.Role.ASSISTING)),
        measures=Count("measure_id", distinct=True),
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        c = counts.setdefault(row["unit_id"], Counter())
        c.update({key: row[key] for key in ("lead", "responsible", "assisting", "measures")})
        c[_STATE_COLUMNS[row["state"]]] += row["measures"]
    return counts


def _unit_reports(today: dt.date, unit_ids=None) -> dict[int, dict]:
    """Per unit: months of the report window it owed, of which reported on time, and its latest report."""
    calendar = WorkdayCalendar.from_database()
    window = report_window(today=today, calendar=calendar)
    first_owed = first_owed_months(unit_ids)
    reports = MonthlyReport.objects.order_by()
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    on_time = Counter(unit_id for unit_id, _period in on_time_months(reports.filter(period__in=window), first_owed))
    figures = {
        unit_id: {"owed": sum(1 for period in window if period >= first), "on_time": on_time[unit_id]}
        for unit_id, first in first_owed.items()
    }
    for row in reports.values("unit_id").annotate(
        last_at=Max("first_submitted_at"), last_period=Max("period", filter=Q(first_submitted_at__isnull=False)),
    ):
        figures.setdefault(row["unit_id"], {"owed": 0, "on_time": 0}).update(row)
    return figures


def unit_table(*, today: dt.date, units: QuerySet | None = None, sort: str = "name") -> list[UnitRow]:
    """Every unit carrying measures (or ``units``), with its figures: a fixed number of queries."""
    units = (units if units is not None else Unit.objects.all()).filter(
        Exists(Assignment.objects.filter(unit=OuterRef("pk")))
    )
    unit_list = list(units.order_by("district", "name"))
    ids = units.order_by().values("pk")  # a subquery: SQLite plans a long IN list of ids badly
    counts = _unit_counts(today, ids)
    reports = _unit_reports(today, ids)
    rows = []
    for unit in unit_list:
        row = UnitRow(unit=unit, **counts.get(unit.pk, {}))
        report = reports.get(unit.pk)
        if report:
            row.on_time_reports, row.reports_owed = report["on_time"], report["owed"]
            row.last_report_at = report.get("last_at")
            row.last_report_period = report.get("last_period")
        # Over the months the unit owed only: none owed yet (a plan imported this month, a group) → no rate.
        row.on_time_rate = row.on_time_reports / row.reports_owed if row.reports_owed else None
        rows.append(row)
    return sort_unit_rows(rows, sort)


def sort_unit_rows(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    key = sort.lstrip("-")
    if key not in UNIT_SORT_KEYS:
        key, sort = "name", "name"
    reverse = sort.startswith("-")

    def value(row):
        if key in ("name", "district"):
            return getattr(row.unit, key)
        return getattr(row, key)

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]  # blanks last, whichever the direction
    return sorted(present, key=value, reverse=reverse) + missing


@dataclass
class UnitDetail:
    unit: Unit
    row: UnitRow
    page: Page  # of the unit's assignments, each with ``light``
    by_light: list[dict]
    by_plan: list[dict]
    progress: list[ProgressUpdate]
    reports: list[MonthlyReport]


def unit_assignments(unit: Unit, *, today: dt.date) -> QuerySet:
    """The unit's measures (through its assignments), with plan, chapter, light and latest progress."""
    return (
        Assignment.objects.filter(unit=unit)
        .select_related("measure__task__plan", "measure__task__chapter")
        .annotate(light_value=light_expression(today=today, prefix="measure__"))
        .prefetch_related(_latest_progress_prefetch("measure__"), Prefetch(
            "measure__assignments", queryset=assignments_in_role_order()
        ))
        .order_by("measure__task__plan__year_start", "measure__task__plan_id", "measure__task__number",
                  "measure__sequence", "role")
    )


def unit_plans(unit: Unit, *, today: dt.date) -> list[dict]:
    """The plans the unit carries measures of, with how many and how many overdue: one grouped query."""
    rows = (
        Assignment.objects.filter(unit=unit).order_by("measure__task__plan__year_start", "measure__task__plan_id")
        .values("measure__task__plan_id", "measure__task__plan__title", "measure__task__plan__year_start")
        .annotate(measures=Count("measure_id", distinct=True),
                  overdue=Count("measure_id", distinct=True, filter=overdue_q(today, "measure__")))
    )
    return [
        {"plan": Plan(pk=r["measure__task__plan_id"], title=r["measure__task__plan__title"]),
         "measures": r["measures"], "overdue": r["overdue"]}
        for r in rows
    ]


def unit_detail(*, unit: Unit, today: dt.date, page=None, history_limit: int = 30) -> UnitDetail:
    """A unit's own page: its figures, one page of its measures, its plans, recent progress and reports."""
    row = unit_table(today=today, units=Unit.objects.filter(pk=unit.pk))
    page = Paginator(unit_assignments(unit, today=today), UNIT_MEASURES_PER_PAGE).get_page(page)
    page.object_list = attach_lights(page.object_list)
    carried = Measure.objects.filter(Exists(Assignment.objects.filter(unit=unit, measure=OuterRef("pk"))))
    progress = list(
        ProgressUpdate.objects.filter(unit=unit).select_related("measure", "author")
        .order_by("-created_at", "-id")[:history_limit]
    )
    reports = list(MonthlyReport.objects.filter(unit=unit).order_by("-period")[:REPORT_WINDOW_MONTHS])
    return UnitDetail(
        unit=unit, row=row[0] if row else UnitRow(unit=unit), page=page,
        by_light=light_summary(carried, today=today), by_plan=unit_plans(unit, today=today),
        progress=progress, reports=reports,
    )


# --- By plan and chapter ---------------------------------------------------------------


@dataclass
class PlanNode:
    plan: Plan
    chapters: list["ChapterNode"] = field(default_factory=list)


@dataclass
class ChapterNode:
    chapter: Chapter
    tasks: list["TaskNode"] = field(default_factory=list)


@dataclass
class TaskNode:
    task: object
    measures: list[Measure] = field(default_factory=list)


def measure_tree(measures) -> list[PlanNode]:
    """Group an ordered page of measures (task, chapter, plan and light loaded) into plan → chapter → task."""
    plans: list[PlanNode] = []
    for measure in attach_lights(measures):
        task, chapter, plan = measure.task, measure.task.chapter, measure.task.plan
        if not plans or plans[-1].plan.pk != plan.pk:
            plans.append(PlanNode(plan))
        chapters = plans[-1].chapters
        if not chapters or chapters[-1].chapter.pk != chapter.pk:
            chapters.append(ChapterNode(chapter))
        tasks = chapters[-1].tasks
        if not tasks or tasks[-1].task.pk != task.pk:
            tasks.append(TaskNode(task))
        tasks[-1].measures.append(measure)
    return plans


def tree_order(measures: QuerySet) -> QuerySet:
    return measures.order_by("-task__plan__year_start", "task__plan__title", "task__plan_id",
                             "task__chapter__number", "task__number", "sequence", "id")


def unit_chapter_heatmap(*, plan: Plan, today: dt.date, limit: int = 25) -> dict:
    """Measures carried by each unit in each chapter of ``plan`` (the busiest ``limit`` units): one query."""
    chapters = list(plan.chapters.order_by("number"))
    cells = (
        Assignment.objects.filter(measure__task__plan=plan).order_by()
        .values("unit_id", "unit__name", "unit__district", "measure__task__chapter_id")
        .annotate(n=Count("measure_id", distinct=True),
                  overdue=Count("measure_id", distinct=True, filter=overdue_q(today, "measure__")))
    )
    units: dict[int, dict] = {}
    for cell in cells:
        unit = units.setdefault(cell["unit_id"], {"name": cell["unit__name"], "total": 0, "cells": {}})
        unit["cells"][cell["measure__task__chapter_id"]] = {"n": cell["n"], "overdue": cell["overdue"]}
        unit["total"] += cell["n"]
    busiest = sorted(units.values(), key=lambda u: (-u["total"], u["name"]))[:limit]
    for unit in busiest:
        unit["row"] = [unit["cells"].get(c.pk, {"n": 0, "overdue": 0}) for c in chapters]
    return {"chapters": chapters, "units": busiest}
