"""我的任务 pages its measures chapter by chapter (tasks/chapter_pages.py): every page holds the
rows, in the order, that slicing the whole sorted list gave, whatever the page size, filters and user."""

import datetime as dt

import pytest
from django.core.paginator import Paginator

from departments.models import Unit
from tasks.chapter_pages import MY_MEASURES_CHAPTERS, ChapterPages
from tasks.models import Assignment, Measure
from tasks.selectors import MeasureFilters, measures_for_user
from tests.dashboards.conftest import generate
from tests.factories import (
    AssignmentFactory,
    ChapterFactory,
    MeasureFactory,
    PlanFactory,
    TaskFactory,
    make_user,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def pages(measures, per_page: int) -> list[list[int]]:
    paginator = Paginator(measures, per_page)
    return [[m.pk for m in paginator.page(n).object_list] for n in paginator.page_range]


@pytest.fixture
def varied():
    """Generated plans, and two more whose chapters and tasks were numbered against the order they were
    created in (a later chapter numbered first, a plan of an earlier year), with chapters of one measure."""
    generate("larger")
    unit = Unit.objects.order_by("pk").first()
    for year in (2024, 2027):
        plan = PlanFactory(year_start=year, year_end=year + 2)
        for chapter_number in (3, 1, 2):
            chapter = ChapterFactory(plan=plan, number=chapter_number)
            for task_number in (chapter_number * 10 + 2, chapter_number * 10 + 1):
                task = TaskFactory(chapter=chapter, plan=plan, number=task_number)
                for sequence in range(chapter_number, 0, -1):
                    AssignmentFactory(
                        measure=MeasureFactory(task=task, sequence=sequence, status=Measure.Status.DONE),
                        unit=unit,
                        role=Assignment.Role.LEAD,
                    )
    return unit


@pytest.mark.parametrize("per_page", [1, 7, 50])
def test_pages_read_by_chapter_hold_what_slicing_the_sorted_list_held(varied, per_page):
    office = make_user("chief", "office_admin")
    staff = make_user("staff", units=[varied])
    for user, filters in (
        (office, MeasureFilters()),
        (office, MeasureFilters(status=Measure.Status.DONE)),
        (office, MeasureFilters(due="overdue")),
        (office, MeasureFilters(unit_id=varied.pk, role=Assignment.Role.LEAD)),
        (staff, MeasureFilters()),
        (staff, MeasureFilters(q="没有这样的措施")),
    ):
        measures = measures_for_user(user=user, filters=filters, today=TODAY)
        expected = pages(measures, per_page)
        assert pages(ChapterPages(measures, MY_MEASURES_CHAPTERS), per_page) == expected
        assert ChapterPages(measures, MY_MEASURES_CHAPTERS).count() == measures.count()
    assert (
        len(pages(measures_for_user(user=office, filters=MeasureFilters(), today=TODAY), 1)) > 150
    )  # the pages cross many chapters
