"""API lists read by faster queries answer what the straightforward rules answered, on varied data.

Each test builds the old answer with the old query (a join grouped per row, every ranking row through DRF's
model serializer) and compares it with what the list returns, page by page.
"""

import pytest
from django.db.models import Count
from django.utils import timezone
from rest_framework import serializers

from reports.api.serializers import RankingRowSerializer
from reports.models import RankingRow
from reports.outputs.ranking import build_ranking
from tasks.models import Chapter, Task
from tests.dashboards.conftest import generate
from tests.factories import ChapterFactory, MeasureFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


class RowsByDrf(RankingRowSerializer):
    """The row serializer as first written: DRF's walk field by field (bluesky/api/serializers.py skips it),
    the unit's name read from the unit (the lists now read it annotated)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta(RankingRowSerializer.Meta):
        list_serializer_class = serializers.ListSerializer


def every_page(client, url: str) -> list[dict]:
    rows = []
    while url:
        answer = client.get(url).json()
        rows += answer["results"]
        url = answer["next"]
    return rows


def test_each_listed_task_counts_its_measures_as_the_grouped_join_did(client, office_admin):
    generate("small")
    TaskFactory(title="没有措施的任务")  # counted 0, as the left join counted it
    withdrawn = PlanFactory(title="已撤回的计划")
    MeasureFactory.create_batch(3, task=TaskFactory(chapter__plan=withdrawn, plan=withdrawn))
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    old = (
        Task.objects.filter(plan__withdrawn_at__isnull=True)
        .annotate(measure_count=Count("measures"))
        .order_by("plan_id", "number")
    )
    expected = [
        {
            "id": t.pk,
            "plan": t.plan_id,
            "chapter": t.chapter_id,
            "number": t.number,
            "title": t.title,
            "measure_count": t.measure_count,
        }
        for t in old
    ]
    assert len({row["measure_count"] for row in expected}) > 2  # varied: 0, and several different counts
    client.force_login(office_admin)
    assert every_page(client, "/api/tasks/") == expected
    by_count = every_page(client, "/api/tasks/?ordering=-measure_count")
    assert sorted(by_count, key=lambda row: row["id"]) == sorted(expected, key=lambda row: row["id"])
    assert [row["measure_count"] for row in by_count] == sorted(
        (row["measure_count"] for row in expected), reverse=True
    )


def test_each_listed_chapter_counts_its_tasks_and_measures_as_the_grouped_join_did(client, office_admin):
    generate("small")
    ChapterFactory(title="没有任务的章节")
    old = (
        Chapter.objects.filter(plan__withdrawn_at__isnull=True)
        .annotate(
            task_count=Count("tasks", distinct=True), measure_count=Count("tasks__measures", distinct=True)
        )
        .order_by("plan_id", "number")
    )
    expected = [
        {
            "id": c.pk,
            "plan": c.plan_id,
            "number": c.number,
            "title": c.title,
            "task_count": c.task_count,
            "measure_count": c.measure_count,
        }
        for c in old
    ]
    assert len({row["measure_count"] for row in expected}) > 2  # varied, and some chapters have tasks
    assert any(row["task_count"] for row in expected) and not all(row["task_count"] for row in expected)
    client.force_login(office_admin)
    assert every_page(client, "/api/chapters/") == expected


def test_a_rankings_rows_read_flat_are_what_drfs_model_serializer_gave(client, office_admin):
    """Two months' rankings of generated data: rows with and without a change of rank, scores and rates of
    every kind, both boards; every field of every row as DRF's ``ModelSerializer`` shows it."""
    summary = generate("larger")
    for period in summary.periods[-2:]:
        build_ranking(period=period)
    rows = list(
        RankingRow.objects.with_unit_name()
        .select_related("unit", "ranking")
        .order_by("ranking", "board", "rank")
    )
    assert {row.rank_change is None for row in rows} == {True, False}
    by_drf = serializers.ListSerializer(child=RowsByDrf()).to_representation(rows)
    assert RankingRowSerializer(rows, many=True).data == by_drf
    client.force_login(office_admin)
    listed = every_page(client, "/api/rankings/")
    assert [row for ranking in listed for row in ranking["rows"]] == by_drf
    paged = every_page(client, "/api/ranking-rows/")
    key = lambda row: (row["period"], row["board"], row["rank"], row["unit"])  # noqa: E731
    assert sorted(paged, key=key) == sorted(by_drf, key=key)


def test_a_reports_items_read_flat_are_what_drfs_model_serializer_gave(client, office_admin):
    """Every submitted report of generated data (items of every status, percents and notes empty or not): its
    detail's items as DRF's ``ModelSerializer`` shows them, one by one."""
    from reports.api.serializers import MonthlyReportItemSerializer
    from reports.models import MonthlyReport, MonthlyReportItem

    class ItemsByDrf(MonthlyReportItemSerializer):
        class Meta(MonthlyReportItemSerializer.Meta):
            list_serializer_class = serializers.ListSerializer

    generate("small")
    client.force_login(office_admin)
    reports = MonthlyReport.objects.filter(items__isnull=False).distinct().order_by("pk")
    assert reports.count() > 3
    shown = 0
    for report in reports:
        items = MonthlyReportItem.objects.filter(report=report).select_related("measure").order_by("pk")
        got = client.get(f"/api/monthly-reports/{report.pk}/").json()["items"]
        assert sorted(got, key=lambda item: item["measure"]) == sorted(
            ItemsByDrf(items, many=True).data, key=lambda item: item["measure"]
        )
        shown += len(got)
    assert shown > 50
