"""The overview page's figures: status and light counts, completion by plan and chapter, overdue and
upcoming deadlines, in a fixed number of queries.

Every selector takes ``scope``: the jurisdiction (departments.Jurisdiction) whose plans it counts, None for all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

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
    plan_in_force_q,
    plan_in_scope_q,
)
from tasks.traffic_light import Light
from tasks.traffic_light_sql import light_count_aggregates, lights_of

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


def _with_rate(items):
    for item in items:
        item.done_rate = item.measure_done / item.measure_total if item.measure_total else None
    return items


def _chapters(scope, plan: Plan | None = None) -> QuerySet:
    """The chapters of the plans in force (of ``scope``; of ``plan``), each with its plan, in the pages' order."""
    chapters = (
        Chapter.objects.filter(plan_in_force_q("plan__"), plan_in_scope_q(scope, "plan__"))
        .select_related("plan")
        .order_by("-plan__year_start", "plan__title", "number")
    )
    return chapters if plan is None else chapters.filter(plan=plan)


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


class MeasureFigures:
    """Counts of the measures in force (of a jurisdiction, of a plan) as seen on a day: by status, by light, by
    chapter and plan (done, overdue), how many are overdue and due soon. ``measure_figures`` makes them.

    ``by_chapter`` and ``by_plan`` read the chapters and plans on first use: the leader's 工作台 reads the
    totals only."""

    def __init__(
        self, *, statuses: Counter, lights: Counter, chapters: dict, overdue: int, upcoming: int, scope, plan
    ):
        self.by_status = [
            {"status": value, "label": label, "count": statuses[value]}
            for value, label in Measure.Status.choices
        ]
        self.by_light = [
            {"light": light.value, "label": light.label, "count": lights[light.value]} for light in LIGHTS
        ]
        self.total = sum(statuses.values())
        self.overdue, self.upcoming = overdue, upcoming
        self._chapter_counts, self._scope, self._plan = chapters, scope, plan

    @cached_property
    def by_chapter(self) -> list[Chapter]:
        """Every chapter with measure_total, measure_done, measure_overdue and done_rate (chapters without
        measures too)."""
        chapters = list(_chapters(self._scope, self._plan))
        for chapter in chapters:
            chapter.measure_total, chapter.measure_done, chapter.measure_overdue = self._chapter_counts.get(
                chapter.pk, (0, 0, 0)
            )
        return _with_rate(chapters)

    @cached_property
    def by_plan(self) -> list[Plan]:
        """Every plan in force with its completion figures, summed from its chapters' (a task sits in one)."""
        plans = Plan.objects.in_force().in_scope(self._scope).order_by("-year_start", "title")
        plans = list(plans if self._plan is None else plans.filter(pk=self._plan.pk))
        totals = {plan.pk: plan for plan in plans}
        for plan in plans:
            plan.measure_total = plan.measure_done = plan.measure_overdue = 0
        for chapter in self.by_chapter:
            plan = totals[chapter.plan_id]
            plan.measure_total += chapter.measure_total
            plan.measure_done += chapter.measure_done
            plan.measure_overdue += chapter.measure_overdue
        return _with_rate(plans)


def measure_figures(*, today: dt.date, scope=None, plan: Plan | None = None) -> MeasureFigures:
    """The figures of the measures in force (of ``scope``, of ``plan``) on ``today``: one query grouped by chapter
    and status, its lights counted by filters (tasks/traffic_light_sql.light_count_aggregates: no CASE to group
    by), done, overdue (red) and due soon by tasks.models' rules (finished_q, overdue_q, due_between_q)."""
    soon = today + dt.timedelta(days=UPCOMING_DAYS)
    measures = Measure.objects.in_force().in_scope(scope)
    if plan is not None:
        measures = measures.filter(task__plan=plan)
    rows = (
        measures.order_by()
        .values("task__chapter_id", "status")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=finished_q()),
            upcoming=Count("pk", filter=due_between_q(today, soon)),
            **light_count_aggregates(today=today),  # its red count is overdue_q's: the overdue measures
        )
    )
    statuses, lights, chapters = Counter(), Counter(), {}
    overdue = upcoming = 0
    for row in rows:
        statuses[row["status"]] += row["n"]
        lights.update(lights_of(row["n"], row))
        counts = chapters.setdefault(row["task__chapter_id"], [0, 0, 0])  # total, done, overdue
        counts[0] += row["n"]
        counts[1] += row["done"]
        counts[2] += row[Light.RED.value]
        overdue += row[Light.RED.value]
        upcoming += row["upcoming"]
    return MeasureFigures(
        statuses=statuses,
        lights=lights,
        chapters=chapters,
        overdue=overdue,
        upcoming=upcoming,
        scope=scope,
        plan=plan,
    )


def overview(*, today: dt.date, list_limit: int = 20, scope=None) -> Overview:
    """Everything on the overview page (of jurisdiction ``scope``): a fixed number of queries whatever the data."""
    figures = measure_figures(today=today, scope=scope)
    return Overview(
        today=today,
        total=figures.total,
        by_status=figures.by_status,
        by_light=figures.by_light,
        by_plan=figures.by_plan,
        by_chapter=figures.by_chapter,
        overdue=with_days_overdue(overdue_measures(today=today, scope=scope)[:list_limit], today=today),
        overdue_total=figures.overdue,
        upcoming=with_days_overdue(upcoming_measures(today=today, scope=scope)[:list_limit], today=today),
        upcoming_total=figures.upcoming,
        reports=report_period_status(today=today, scope=scope),
        trend=monthly_trend(today=today, scope=scope),
    )
