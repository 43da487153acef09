"""我的任务: the measures a user's units carry, grouped by plan and chapter, with role, light, filters and search."""

import datetime as dt

import pytest
from django.urls import reverse

from tasks.models import Assignment, Measure
from tests.factories import AssignmentFactory, ChapterFactory, MeasureFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db
URL = reverse("my_measures")


def codes(response) -> list[str]:
    return [row.measure.code for g in response.context["groups"] for c in g.chapters for row in c.rows]


def test_staff_see_their_units_measures_with_their_role(client, world):
    client.force_login(world.staff_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["1-1"]
    (row,) = response.context["groups"][0].chapters[0].rows
    assert row.roles == ["牵头"]
    client.force_login(world.staff_b)
    response = client.get(URL)
    assert codes(response) == ["1-1", "1-2"]
    assert [r.roles for r in response.context["groups"][0].chapters[0].rows] == [["协办"], ["牵头"]]
    body = response.content.decode()
    assert "丰台区蓝天保卫战行动计划" in body and "调整能源结构" in body and "协办" in body


def test_measures_are_grouped_by_plan_and_then_chapter(client, world):
    other_plan = PlanFactory(title="第二份计划", year_start=2025, year_end=2026)
    chapter = ChapterFactory(plan=other_plan, number=2, title="移动源治理")
    AssignmentFactory(
        measure=MeasureFactory(task=TaskFactory(chapter=chapter, plan=other_plan), code="9-1"),
        unit=world.unit_a,
        role=Assignment.Role.RESPONSIBLE,
    )
    client.force_login(world.staff_a)
    groups = client.get(URL).context["groups"]
    assert [g.plan.title for g in groups] == ["丰台区蓝天保卫战行动计划", "第二份计划"]
    assert [c.chapter.title for c in groups[1].chapters] == ["移动源治理"]
    assert groups[1].chapters[0].rows[0].roles == ["主责"]


def test_filters_by_role_status_deadline_plan_and_search(client, world):
    Measure.objects.filter(pk=world.measure_b.pk).update(
        status=Measure.Status.IN_PROGRESS, due_date=dt.date(2020, 1, 1)
    )
    client.force_login(world.staff_b)
    assert codes(client.get(URL, {"role": "lead"})) == ["1-2"]
    assert codes(client.get(URL, {"role": "assisting"})) == ["1-1"]
    assert codes(client.get(URL, {"status": "in_progress"})) == ["1-2"]
    assert codes(client.get(URL, {"due": "overdue"})) == ["1-2"]
    assert codes(client.get(URL, {"due": "none"})) == []
    assert codes(client.get(URL, {"q": "扬尘"})) == ["1-2"]
    assert codes(client.get(URL, {"plan": world.measure_a.task.plan_id})) == ["1-1", "1-2"]
    # An overdue measure shows a red light.
    rows = client.get(URL, {"due": "overdue"}).context["groups"][0].chapters[0].rows
    assert rows[0].light.value == "red"


def test_htmx_request_gets_only_the_results_partial(client, world):
    client.force_login(world.staff_b)
    response = client.get(URL, {"q": "扬尘"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "1-2" in body and "1-1" not in body
    assert response.templates[0].name == "tasks/_my_measures_results.html"


def test_office_and_viewers_see_everything_and_filter_by_unit(client, world):
    for user in (world.office, world.viewer):
        client.force_login(user)
        assert codes(client.get(URL)) == ["1-1", "1-2"]
        assert codes(client.get(URL, {"unit": world.unit_a.pk})) == ["1-1"]
        response = client.get(URL, {"unit": world.unit_b.pk, "role": "assisting"})
        assert codes(response) == ["1-1"]
        assert response.context["groups"][0].chapters[0].rows[0].roles == ["协办"]


def test_staff_cannot_widen_their_view_with_another_units_id(client, world):
    client.force_login(world.staff_a)
    assert codes(client.get(URL, {"unit": world.unit_b.pk})) == ["1-1"]


def test_the_page_links_the_nav_and_loads_vendored_htmx(client, world):
    client.force_login(world.staff_a)
    body = client.get(URL).content.decode()
    assert "/static/vendor/htmx-2.0.11/htmx.min.js" in body
    assert reverse("reports:list") in body and reverse("reports:review_queue") not in body
    client.force_login(world.office)
    assert reverse("reports:review_queue") in client.get(URL).content.decode()


def test_deadline_windows_count_from_today(client, world):
    from django.utils import timezone

    today = timezone.localdate()
    Measure.objects.filter(pk=world.measure_a.pk).update(due_date=today + dt.timedelta(days=5))
    Measure.objects.filter(pk=world.measure_b.pk).update(due_date=today + dt.timedelta(days=20))
    client.force_login(world.staff_b)
    assert codes(client.get(URL, {"due": "7"})) == ["1-1"]
    assert codes(client.get(URL, {"due": "30"})) == ["1-1", "1-2"]
    rows = client.get(URL, {"due": "7"}).context["groups"][0].chapters[0].rows
    assert rows[0].light.value == "yellow"


def test_long_lists_are_paged_and_the_pager_keeps_the_filters(client, world):
    for sequence in range(3, 60):
        AssignmentFactory(
            measure=MeasureFactory(task=world.measure_a.task, sequence=sequence, code=f"1-{sequence}"),
            unit=world.unit_a,
        )
    client.force_login(world.staff_a)
    first = client.get(URL, {"q": "测试"})
    assert first.context["page"].paginator.count == 57 and len(codes(first)) == 50
    assert "?q=%E6%B5%8B%E8%AF%95&page=2" in first.content.decode()
    second = client.get(URL, {"q": "测试", "page": 2})
    assert len(codes(second)) == 7 and not set(codes(first)) & set(codes(second))
