"""Reading plans and measures: named queries with a fixed number of SQL statements."""
from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import Assignment, Chapter, Measure, Plan, Task


def plan_list() -> QuerySet[Plan]:
    """Every plan with its counts, in one query."""
    return Plan.objects.annotate(
        chapter_count=Count("chapters", distinct=True),
        task_count=Count("tasks", distinct=True),
        measure_count=Count("tasks__measures", distinct=True),
    ).order_by("-year_start", "title")


def plan_tree(plan: Plan) -> list[Chapter]:
    """A plan's chapters with tasks, measures, assignments (and units) and milestones: five queries."""
    measures = Measure.objects.order_by("sequence").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role", "id")),
        "milestones",
    )
    tasks = Task.objects.order_by("number").prefetch_related(Prefetch("measures", queryset=measures))
    return list(plan.chapters.order_by("number").prefetch_related(Prefetch("tasks", queryset=tasks)))
