"""Measures as a plan → chapter → task tree, and the plan page's unit × chapter heat map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    QuerySet,
)

from tasks.chapter_pages import ChapterPages
from tasks.models import Assignment, Chapter, Measure, Plan, overdue_q

from .measure_lists import attach_lights, measure_rows, with_lights

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
    return measures.order_by(
        "-task__plan__year_start",
        "task__plan__title",
        "task__plan_id",
        "task__chapter__number",
        "task__number",
        "sequence",
        "id",
    )


TREE_CHAPTERS = ("-plan__year_start", "plan__title", "plan_id", "number")  # tree_order's chapter keys


def measure_page(measures: QuerySet, *, today: dt.date, page=None, per_page: int = 50) -> Page:
    """One page of ``measures`` in tree order, each with plan, chapter, units, latest progress and light.

    The page is chosen on the ids alone (ChapterPages: counted by chapter, sorted within the chapters shown)
    and only its measures are loaded and lit, in the same query."""
    ids = tree_order(measures).values_list("pk", flat=True)
    page = Paginator(ChapterPages(ids, TREE_CHAPTERS), per_page).get_page(page)
    shown = tree_order(Measure.objects.filter(pk__in=page.object_list))
    page.object_list = list(with_lights(measure_rows(shown), today=today))
    return page


def unit_chapter_heatmap(*, plan: Plan, today: dt.date, limit: int = 25) -> dict:
    """Measures carried by each unit in each chapter of ``plan`` (the busiest ``limit`` units): one query."""
    chapters = list(plan.chapters.order_by("number"))
    cells = (
        Assignment.objects.filter(measure__task__plan=plan)
        .order_by()
        .values("unit_id", "unit__name", "unit__district", "measure__task__chapter_id")
        .annotate(
            n=Count("measure_id", distinct=True),
            overdue=Count("measure_id", distinct=True, filter=overdue_q(today, "measure__")),
        )
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
