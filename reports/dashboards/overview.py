"""The overview page's figures: status and light counts, completion by plan and chapter, overdue and
upcoming deadlines, in a fixed number of queries.

Every selector takes ``scope``: the jurisdiction (departments.Jurisdiction) whose plans it counts, None for all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    Count,
    QuerySet,
)

from tasks.models import (
    Chapter,
    Measure,
    Plan,
    due_between_q,
    finished_q,
    overdue_q,
    plan_in_force_q,
    plan_in_scope_q,
)
from tasks.traffic_light_sql import light_expression

from .measure_lists import LIGHTS, measure_rows
from .trend import ReportPeriodStatus, monthly_trend, report_period_status

UPCOMING_DAYS = 30  # the overview lists deadlines in the next 30 days
OVERVIEW_CHAPTERS = 15  # the overview charts the chapters with most overdue measures; the rest are exported

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
        ranked = sorted(
            self.by_chapter, key=lambda c: (-c.measure_overdue, -c.measure_total, c.plan.title, c.number)
        )
        return ranked[:OVERVIEW_CHAPTERS]


def status_counts(*, scope=None) -> list[dict]:
    counts = dict(
        Measure.objects.in_force().in_scope(scope).order_by().values_list("status").annotate(n=Count("id"))
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Measure.Status.choices
    ]


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


def completion_by_plan(*, today: dt.date, scope=None) -> list[Plan]:
    """Every plan with measure_total, measure_done, measure_overdue and done_rate: one query."""
    plans = (
        Plan.objects.in_force()
        .in_scope(scope)
        .annotate(**_completion_annotations("tasks__measures__", today))
        .order_by("-year_start", "title")
    )
    return _with_rate(list(plans))


def _chapters(scope) -> QuerySet:
    """The chapters of the plans in force (of ``scope``), each with its plan, in the pages' order."""
    return (
        Chapter.objects.filter(plan_in_force_q("plan__"), plan_in_scope_q(scope, "plan__"))
        .select_related("plan")
        .order_by("-plan__year_start", "plan__title", "number")
    )


def completion_by_chapter(*, today: dt.date, plan: Plan | None = None, scope=None) -> list[Chapter]:
    """Every chapter (of ``plan``, or of all plans) with its completion figures: one query."""
    chapters = _chapters(scope).annotate(**_completion_annotations("tasks__measures__", today))
    if plan is not None:
        chapters = chapters.filter(plan=plan)
    return _with_rate(list(chapters))


def overdue_measures(*, today: dt.date, scope=None) -> QuerySet:
    """Open measures past their deadline, the longest overdue first, with units and latest progress."""
    return measure_rows(Measure.objects.in_force().in_scope(scope).overdue(on=today)).order_by(
        "due_date", "id"
    )


def upcoming_measures(*, today: dt.date, days: int = UPCOMING_DAYS, scope=None) -> QuerySet:
    return measure_rows(
        Measure.objects.in_force().in_scope(scope).due_between(today, today + dt.timedelta(days=days))
    ).order_by("due_date", "id")


def with_days_overdue(measures, *, today: dt.date) -> list[Measure]:
    rows = list(measures)
    for measure in rows:
        measure.days_overdue = (today - measure.due_date).days if measure.due_date else None
        measure.days_left = -measure.days_overdue if measure.days_overdue is not None else None
    return rows


def status_and_light_counts(today: dt.date, scope=None) -> tuple[list[dict], list[dict]]:
    """Measures by status and by light, from one pass grouped by both."""
    statuses, lights = Counter(), Counter()
    for row in (
        Measure.objects.in_force()
        .in_scope(scope)
        .order_by()
        .annotate(light_value=light_expression(today=today))
        .values("status", "light_value")
        .annotate(n=Count("id"))
    ):
        statuses[row["status"]] += row["n"]
        lights[row["light_value"]] += row["n"]
    by_status = [
        {"status": value, "label": label, "count": statuses[value]} for value, label in Measure.Status.choices
    ]
    by_light = [
        {"light": light.value, "label": light.label, "count": lights[light.value]} for light in LIGHTS
    ]
    return by_status, by_light


@dataclass
class MeasureFigures:
    """The overview's counts of measures, all from one pass over them (``measure_figures``)."""

    by_status: list[dict]
    by_light: list[dict]
    by_chapter: list[Chapter]  # with measure_total, measure_done, measure_overdue and done_rate
    overdue: int
    upcoming: int  # open and due within UPCOMING_DAYS


def measure_figures(*, today: dt.date, scope=None) -> MeasureFigures:
    """Measures by status, by light and by chapter (done, overdue), and how many are overdue or due soon: one
    query grouped by chapter, status and light, where five read every measure (each through its task and plan),
    and one for the chapters. The rules are tasks.models' (finished_q, overdue_q, due_between_q) and the light
    tasks/traffic_light_sql.py's."""
    soon = today + dt.timedelta(days=UPCOMING_DAYS)
    rows = (
        Measure.objects.in_force()
        .in_scope(scope)
        .order_by()
        .annotate(light_value=light_expression(today=today))
        .values_list("task__chapter_id", "status", "light_value")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=finished_q()),
            overdue=Count("id", filter=overdue_q(today)),
            upcoming=Count("id", filter=due_between_q(today, soon)),
        )
    )
    statuses, lights, chapters = Counter(), Counter(), {}
    overdue_total = upcoming_total = 0
    for chapter_id, status, light, n, done, overdue, upcoming in rows:
        statuses[status] += n
        lights[light] += n
        counts = chapters.setdefault(chapter_id, [0, 0, 0])  # total, done, overdue
        counts[0] += n
        counts[1] += done
        counts[2] += overdue
        overdue_total += overdue
        upcoming_total += upcoming
    by_chapter = list(_chapters(scope))
    for chapter in by_chapter:
        chapter.measure_total, chapter.measure_done, chapter.measure_overdue = chapters.get(
            chapter.pk, (0, 0, 0)
        )
    return MeasureFigures(
        by_status=[
            {"status": value, "label": label, "count": statuses[value]}
            for value, label in Measure.Status.choices
        ],
        by_light=[
            {"light": light.value, "label": light.label, "count": lights[light.value]} for light in LIGHTS
        ],
        by_chapter=_with_rate(by_chapter),
        overdue=overdue_total,
        upcoming=upcoming_total,
    )


def _plans_from_chapters(chapters: list[Chapter], scope=None) -> list[Plan]:
    """Every plan's completion figures, summed from its chapters' (a measure's task sits in one chapter)."""
    plans = list(Plan.objects.in_force().in_scope(scope).order_by("-year_start", "title"))
    totals = {plan.pk: plan for plan in plans}
    for plan in plans:
        plan.measure_total = plan.measure_done = plan.measure_overdue = 0
    for chapter in chapters:
        plan = totals[chapter.plan_id]
        plan.measure_total += chapter.measure_total
        plan.measure_done += chapter.measure_done
        plan.measure_overdue += chapter.measure_overdue
    return _with_rate(plans)


def overview(*, today: dt.date, list_limit: int = 20, scope=None) -> Overview:
    """Everything on the overview page (of jurisdiction ``scope``): a fixed number of queries whatever the data."""
    figures = measure_figures(today=today, scope=scope)
    return Overview(
        today=today,
        total=sum(item["count"] for item in figures.by_light),
        by_status=figures.by_status,
        by_light=figures.by_light,
        by_plan=_plans_from_chapters(figures.by_chapter, scope),
        by_chapter=figures.by_chapter,
        overdue=with_days_overdue(overdue_measures(today=today, scope=scope)[:list_limit], today=today),
        overdue_total=figures.overdue,
        upcoming=with_days_overdue(upcoming_measures(today=today, scope=scope)[:list_limit], today=today),
        upcoming_total=figures.upcoming,
        reports=report_period_status(today=today, scope=scope),
        trend=monthly_trend(today=today, scope=scope),
    )
