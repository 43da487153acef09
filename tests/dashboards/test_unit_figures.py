"""The by-unit table and a unit's own page: counts by role and state, report timeliness, sorting."""

import datetime as dt
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from departments.models import Unit
from reports import dashboards
from tasks.models import Assignment, Measure, Plan
from tasks.traffic_light import Light, measure_light

pytestmark = pytest.mark.django_db


def test_unit_rows_of_the_known_world(known_world):
    w = known_world
    rows = {r.unit.pk: r for r in dashboards.unit_table(today=w["today"])}
    ecology, traffic = rows[w["ecology"].pk], rows[w["traffic"].pk]
    assert (ecology.lead, ecology.responsible, ecology.assisting, ecology.measures) == (3, 1, 0, 4)
    assert (ecology.done, ecology.on_track, ecology.warning, ecology.overdue) == (1, 0, 2, 1)
    assert ecology.on_time_rate == 1.0 and ecology.last_report_period == w["period"]
    assert (traffic.lead, traffic.responsible, traffic.assisting, traffic.measures) == (2, 0, 1, 3)
    assert (traffic.done, traffic.on_track, traffic.warning, traffic.overdue) == (0, 1, 1, 1)
    assert traffic.on_time_rate == 0.0 and traffic.last_report_at is None


def test_unit_rows_match_the_database_on_generated_data(scaled_world):
    today = scaled_world["summary"].as_of
    rows = dashboards.unit_table(today=today)
    assert {r.unit.pk for r in rows} == set(Assignment.objects.values_list("unit_id", flat=True))
    for row in rows[:12]:
        unit = row.unit
        assert row.lead == Assignment.objects.filter(unit=unit, role="lead").count()
        assert row.assisting == Assignment.objects.filter(unit=unit, role="assisting").count()
        measures = Measure.objects.filter(assignments__unit=unit).distinct().select_related("task__plan")
        assert row.measures == measures.count()
        assert (
            row.overdue == Measure.objects.overdue(on=today).filter(assignments__unit=unit).distinct().count()
        )
        assert row.done == measures.filter(Q(status="done") | Q(signed_off_at__isnull=False)).count()
        lights = [
            measure_light(m, today=today) for m in measures if m.status != "done" and not m.signed_off_at
        ]
        assert row.warning == lights.count(Light.YELLOW) and row.on_track == lights.count(Light.GREEN)


def test_sorting_by_a_column_either_way(known_world):
    today = known_world["today"]
    by_measures = dashboards.unit_table(today=today, sort="-measures")
    assert [r.measures for r in by_measures] == sorted([r.measures for r in by_measures], reverse=True)
    by_name = dashboards.unit_table(today=today, sort="bogus")  # unknown keys fall back to the name
    assert [r.unit.name for r in by_name] == sorted(r.unit.name for r in by_name)


def test_units_page_sorts_filters_and_swaps_only_the_table_for_htmx(client, viewer, known_world):
    client.force_login(viewer)
    url = reverse("dashboards:units")
    html = client.get(url, {"sort": "-overdue"}).content.decode()
    assert html.index("区生态环境局") < html.index("区交通委") or html.index("区交通委") < html.index(
        "区生态环境局"
    )
    assert re.search(r'data-figure="unit-count">2<', html)
    partial = client.get(url, {"q": "交通"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "区交通委" in partial and "区生态环境局" not in partial


def test_counts_and_rates_sort_largest_first_on_the_first_click_names_a_to_z(client, viewer, known_world):
    client.force_login(viewer)
    url = reverse("dashboards:units")

    def next_sort(html, key):
        href = re.search(rf'<a\s+href="([^"]*)"[^>]*data-sort="{key}"', html).group(1)
        return re.search(r"sort=([^&]*)", href.replace("&amp;", "&")).group(1)

    html = client.get(url).content.decode()  # sorted by name
    for key in (
        "lead",
        "responsible",
        "assisting",
        "measures",
        "done",
        "on_track",
        "warning",
        "overdue",
        "on_time_rate",
        "last_report_at",
    ):
        assert next_sort(html, key) == f"-{key}", key
    assert (next_sort(html, "name"), next_sort(html, "district")) == ("-name", "district")
    # The second click turns the order round, the third back again.
    assert next_sort(client.get(url, {"sort": "-overdue"}).content.decode(), "overdue") == "overdue"
    assert next_sort(client.get(url, {"sort": "overdue"}).content.decode(), "overdue") == "-overdue"
    assert next_sort(client.get(url, {"sort": "district"}).content.decode(), "district") == "-district"


def test_unit_page_drills_down_to_measures_progress_and_reports(client, office_admin, known_world):
    w = known_world
    client.force_login(office_admin)
    html = client.get(reverse("dashboards:unit_detail", args=[w["ecology"].pk])).content.decode()
    for measure in ("done", "overdue", "soon", "later"):
        assert f'data-measure="{w[measure].pk}"' in html
    assert f'data-measure="{w["ongoing"].pk}"' not in html
    assert re.search(r'data-figure="overdue">1<', html) and re.search(r'data-figure="lead">3<', html)
    assert "已完成一半工地的围挡" in html and w["period"].strftime("%Y-%m") in html
    assert (
        client.get(
            reverse("dashboards:unit_detail", args=[Unit.objects.order_by("-pk").first().pk + 1])
        ).status_code
        == 404
    )


def test_the_unit_chart_tells_same_named_units_apart():
    from reports.dashboards import UnitRow
    from reports.dashboards.charts import unit_bar
    from tests.factories import UnitFactory

    rows = [UnitRow(unit=UnitFactory(name="区城市管理委", district=d)) for d in ("丰台区", "朝阳区")]
    assert unit_bar(rows)["categories"] == ["区城市管理委（丰台区）", "区城市管理委（朝阳区）"]


@pytest.mark.parametrize("sort", ["name", "-name", "district", "-district", "-overdue", "measures", "bogus"])
def test_a_page_of_units_shows_the_rows_of_the_whole_table_whichever_the_sort(scaled_world, sort):
    """Sorted by name or district only the page's units are figured (dashboards.unit_page): the same rows,
    in the same order, as the whole table sorted and cut into pages; the chart's busiest units likewise."""
    today = scaled_world["summary"].as_of
    table = dashboards.unit_table(today=today, sort=sort)
    shown, number = [], 1
    while True:
        page = dashboards.unit_page(today=today, sort=sort, page=number, per_page=7, busiest=5)
        shown += page.page.object_list
        if not page.page.has_next():
            break
        number += 1
    assert [(r.unit.pk, r.measures, r.overdue, r.warning, r.on_time_rate) for r in shown] == [
        (r.unit.pk, r.measures, r.overdue, r.warning, r.on_time_rate) for r in table
    ]
    busiest = sorted(table, key=lambda r: (-r.measures, r.unit.name))[:5]
    assert [(r.unit.pk, r.done, r.overdue) for r in page.busiest] == [
        (r.unit.pk, r.done, r.overdue) for r in busiest
    ]


def test_each_units_measure_count_without_the_join_is_the_in_force_count_through_it(scaled_world):
    """The busiest units are counted without joining each assignment to its plan (tasks.models.measure_in_force_q):
    the same counts as through the join (in_force_q), with a plan withdrawn and a unit in two roles on a measure."""
    from django.db.models import Count

    from reports.dashboards.units import _measure_counts
    from tasks.models import in_force_q

    Plan.objects.filter(pk=Plan.objects.order_by("pk").values("pk")[:1]).update(withdrawn_at=timezone.now())
    lead = Assignment.objects.filter(role="lead").order_by("pk").first()
    Assignment.objects.create(measure=lead.measure, unit=lead.unit, role="assisting")
    through_the_join = (
        Assignment.objects.filter(in_force_q("measure__"))
        .values("unit_id")
        .annotate(n=Count("measure_id", distinct=True))
        .values_list("unit_id", "n")
    )
    assert Assignment.objects.exclude(in_force_q("measure__")).exists()
    assert sorted(_measure_counts(None)) == sorted(through_the_join)
    some = Unit.objects.filter(pk__in=[pk for pk, _n in through_the_join][:3])
    assert sorted(_measure_counts(some)) == sorted(through_the_join.filter(unit__in=some))


def test_a_units_page_shows_the_lights_the_database_gives(scaled_world):
    """A unit's page takes its light counts from its row and its fifty measures' lights from the Python rule:
    the same as counting the lights of the measures it carries (light_summary) and as the SQL light of each row
    (what its export shows), for every unit, with a plan withdrawn and a measure finished late."""
    from django.core.paginator import Paginator
    from django.db.models import Exists, OuterRef

    from reports.dashboards.units import UNIT_MEASURES_PER_PAGE

    today = scaled_world["summary"].as_of
    Plan.objects.filter(pk=Plan.objects.order_by("pk").values("pk")[:1]).update(withdrawn_at=timezone.now())
    late = Measure.objects.in_force().filter(due_date__lt=today).order_by("pk").first()
    Measure.objects.filter(pk=late.pk).update(status="done", finished_on=late.due_date + dt.timedelta(days=1))
    for unit in Unit.objects.filter(assignments__isnull=False).distinct():
        detail = dashboards.unit_detail(unit=unit, today=today)
        carried = Measure.objects.in_force().filter(
            Exists(Assignment.objects.filter(unit=unit, measure=OuterRef("pk")))
        )
        assert detail.by_light == dashboards.light_summary(carried, today=today), unit
        first = Paginator(dashboards.unit_assignments(unit, today=today), UNIT_MEASURES_PER_PAGE).page(1)
        sql = dashboards.attach_lights(first.object_list)
        assert [(a.pk, a.light) for a in detail.page.object_list] == [(a.pk, a.light) for a in sql], unit
