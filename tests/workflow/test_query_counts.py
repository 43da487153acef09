"""The workflow pages run a fixed number of queries: the count at a larger data scale equals the count at a small one."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import MonthlyReport
from reports.services import get_or_create_report, submit_report
from tasks.models import Assignment
from tasks.services import UploadedFile, record_progress
from tests.factories import ChapterFactory, MeasureFactory, PlanFactory, TaskFactory, UnitFactory

from .conftest import png_bytes

pytestmark = pytest.mark.django_db
SUBMITTED = dt.date(2025, 9, 1)
DRAFT = dt.date(2025, 8, 1)
MAX_QUERIES = 25


def grow(world, n: int) -> None:
    """n more units, each on the shared measure with a progress update and evidence, each with a measure of its
    own (in its own plan and chapter) that unit A leads and that is reported done, and a submitted report."""
    for i in range(n):
        unit = UnitFactory()
        plan = PlanFactory()
        measure = MeasureFactory(task=TaskFactory(chapter=ChapterFactory(plan=plan), plan=plan))
        Assignment.objects.create(measure=measure, unit=world.unit_a, role=Assignment.Role.LEAD)
        Assignment.objects.create(measure=measure, unit=unit, role=Assignment.Role.ASSISTING)
        Assignment.objects.create(measure=world.measure_a, unit=unit, role=Assignment.Role.ASSISTING)
        world.measure_a.milestones.create(
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i), text=f"节点{unit.pk}"
        )
        record_progress(
            measure=world.measure_a,
            user=world.office,
            status="in_progress",
            note=f"进展{i}",
            unit_id=unit.pk,
            files=[UploadedFile(f"{i}.png", png_bytes())],
        )
        # Done as its lead reports it (an assisting unit's "done" would leave the measure open).
        record_progress(
            measure=measure, user=world.office, status="done", note="完成", unit_id=world.unit_a.pk
        )
        submit_report(
            report=get_or_create_report(unit=unit, period=SUBMITTED, user=world.office),
            user=world.office,
            summary="小结",
        )
    # Unit A's report, submitted afresh so that its snapshot holds every measure unit A now carries.
    MonthlyReport.objects.filter(unit=world.unit_a, period=SUBMITTED).delete()
    submit_report(
        report=get_or_create_report(unit=world.unit_a, period=SUBMITTED, user=world.staff_a),
        user=world.staff_a,
        summary="A 小结",
    )


PAGES = {
    "my measures (staff)": ("staff_a", lambda w: reverse("my_measures"), {}),
    "my measures (office, filtered, HTMX)": (
        "office",
        lambda w: reverse("my_measures"),
        {"status": "done", "q": "测试"},
    ),
    "measure page (staff)": ("staff_a", lambda w: reverse("measure_detail", args=[w.measure_a.pk]), {}),
    "measure page (office)": ("office", lambda w: reverse("measure_detail", args=[w.measure_a.pk]), {}),
    "report page (submitted)": (
        "staff_a",
        lambda w: reverse("reports:detail", args=[w.unit_a.pk, 2025, 9]),
        {},
    ),
    "report page (draft)": ("staff_a", lambda w: reverse("reports:detail", args=[w.unit_a.pk, 2025, 8]), {}),
    "report list (staff)": ("staff_a", lambda w: reverse("reports:list"), {}),
    "report overview (office)": ("office", lambda w: reverse("reports:list"), {"period": "2025-09"}),
    "review queue": ("office", lambda w: reverse("reports:review_queue"), {}),
}


def count(client, world, page) -> int:
    actor, url, params = PAGES[page]
    client.force_login(getattr(world, actor))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world), params, headers={"HX-Request": "true"} if "HTMX" in page else {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_the_data(client, world, django_assert_num_queries, page):
    grow(world, 1)
    small = count(client, world, page)
    assert small <= MAX_QUERIES
    grow(world, 6)
    actor, url, params = PAGES[page]
    client.force_login(getattr(world, actor))
    with django_assert_num_queries(small):
        response = client.get(url(world), params, headers={"HX-Request": "true"} if "HTMX" in page else {})
    assert response.status_code == 200
    # The larger scale really shows more.
    if page == "review queue":
        assert len(response.context["reports"]) == 8 and len(response.context["measures"]) == 7
    if page.startswith("measure page"):
        assert len(response.context["latest"]) == 7
    if page.startswith("report page"):
        assert len(response.context["lines"]) == 8
    if page.startswith("my measures"):
        assert response.context["page"].paginator.count >= 7
