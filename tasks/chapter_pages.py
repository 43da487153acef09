"""Long lists of measures ordered chapter by chapter, paged without sorting the whole list: a city's 50,000
measures are never sorted to show 50 (我的任务, 计划看板)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from django.db.models import Count, QuerySet

from .models import Chapter

# 我的任务's order: plan (newest first), chapter, task, sequence. MY_MEASURES_CHAPTERS: its chapter keys.
MY_MEASURES_ORDER = (
    "-task__plan__year_start",
    "task__plan_id",
    "task__chapter__number",
    "task__number",
    "sequence",
)
MY_MEASURES_CHAPTERS = ("-plan__year_start", "plan_id", "number")


class ChapterPages:
    """``measures`` for Django's Paginator, counted chapter by chapter, each page read from the chapters it spans.

    ``measures`` is ordered chapter by chapter — its first keys are a chapter's (its plan's, then its number),
    ``chapter_order`` says them as a Chapter's fields — so a chapter's measures are consecutive. Sorting a
    city's 50,000 measures to pick 50 joined every one to its task, plan and chapter (~45 ms), after a ``COUNT``
    that joined them again (~25 ms); here one grouped query counts each chapter's measures (the paginator's
    count is their sum), a second puts those chapters in order, and a page sorts only the measures of the
    chapters it covers. A page is a lazy slice of ``measures`` (a values_list of ids stays one). The same rows
    in the same order as slicing the whole list (tests/workflow/test_my_measures_pages.py,
    tests/dashboards/test_plan_tree.py).
    """

    def __init__(self, measures: QuerySet, chapter_order: Sequence[str]):
        self.measures, self.chapter_order = measures, tuple(chapter_order)

    @cached_property
    def chapters(self) -> list[tuple[int, int]]:
        """(chapter id, its measures in the list), in the list's order: two queries (one with no measures)."""
        counts = dict(
            self.measures.prefetch_related(None)
            .order_by()
            .values(
                "task__chapter_id"
            )  # grouped by the id alone: a quarter of grouping by the plan's columns
            .annotate(n=Count("pk"))
            .values_list("task__chapter_id", "n")
        )
        if not counts:
            return []
        ordered = Chapter.objects.filter(pk__in=list(counts)).order_by(*self.chapter_order, "pk")
        return [(pk, counts[pk]) for pk in ordered.values_list("pk", flat=True)]

    def count(self) -> int:
        return sum(n for _chapter, n in self.chapters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> QuerySet:
        """The measures ``page.start`` to ``page.stop`` of the list (Django's Paginator asks for slices only)."""
        start, stop = page.start or 0, page.stop
        covering, before, seen = [], 0, 0
        for chapter_id, n in self.chapters:
            if seen + n > start and (stop is None or seen < stop):
                if not covering:
                    before = seen
                covering.append(chapter_id)
            seen += n
        if not covering:
            return self.measures.none()
        rows = self.measures.filter(task__chapter_id__in=covering)
        return rows[start - before : None if stop is None else stop - before]
