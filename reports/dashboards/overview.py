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

from tasks.models import Chapter, Measure, Plan, finished_q, overdue_q, plan_in_force_q, plan_in_scope_q
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


def completion_by_chapter(*, today: dt.date, plan: Plan | None = None, scope=None) -> list[Chapter]:
    """Every chapter (of ``plan``, or of all plans) with its completion figures: one query."""
    chapters = (
        Chapter.objects.filter(plan_in_force_q("plan__"), plan_in_scope_q(scope, "plan__"))
        .select_related("plan")
        .annotate(**_completion_annotations("tasks__measures__", today))
    )
    if plan is not None:
        chapters = chapters.filter(plan=plan)
    return _with_rate(list(chapters.order_by("-plan__year_start", "plan__title", "number")))


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
    by_status, by_light = status_and_light_counts(today, scope)
    by_chapter = completion_by_chapter(today=today, scope=scope)
    overdue_all = overdue_measures(today=today, scope=scope)
    upcoming_all = upcoming_measures(today=today, scope=scope)
    return Overview(
        today=today,
        total=sum(item["count"] for item in by_light),
        by_status=by_status,
        by_light=by_light,
        by_plan=_plans_from_chapters(by_chapter, scope),
        by_chapter=by_chapter,
        overdue=with_days_overdue(overdue_all[:list_limit], today=today),
        overdue_total=overdue_all.count(),
        upcoming=with_days_overdue(upcoming_all[:list_limit], today=today),
        upcoming_total=upcoming_all.count(),
        reports=report_period_status(today=today, scope=scope),
        trend=monthly_trend(today=today, scope=scope),
    )
