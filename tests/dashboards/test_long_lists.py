"""Long lists stay short on the page: a unit's measures page by page, the overview's top chapters and late reports.

The full lists are one click (next page, the plan dashboard) or one export away.
"""

import importlib
import re

import pytest
from django.urls import reverse

from reports import dashboards
from reports.dashboards import on_time_q
from reports.dashboards import views as views_dashboards
from reports.models import MonthlyReport
from tasks.models import Assignment

pytestmark = pytest.mark.django_db


def shown(html):
    return [int(pk) for pk in re.findall(r'<tr data-measure="(\d+)"', html)]


def test_unit_page_pages_through_its_measures(client, office_admin, known_world, monkeypatch):
    monkeypatch.setattr(dashboards.units, "UNIT_MEASURES_PER_PAGE", 3)
    w = known_world
    client.force_login(office_admin)
    url = reverse("dashboards:unit_detail", args=[w["ecology"].pk])
    first = client.get(url).content.decode()
    assert re.search(r'data-figure="unit-measure-count">4<', first) and len(shown(first)) == 3
    assert 'hx-get="?page=2"' in first and re.search(
        r'data-figure="overdue">1<', first
    )  # figures cover all four
    second = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in second and len(shown(second)) == 1
    assert set(shown(first) + shown(second)) == {w[k].pk for k in ("done", "overdue", "soon", "later")}
    lights = dict(re.findall(r'<tr data-measure="(\d+)">.*?data-light="(\w+)"', first + second, re.S))
    assert lights[str(w["overdue"].pk)] == "red" and lights[str(w["done"].pk)] == "green"


def test_overview_shows_the_chapters_with_most_overdue_first(client, office_admin, known_world, monkeypatch):
    monkeypatch.setattr(importlib.import_module("reports.dashboards.overview"), "OVERVIEW_CHAPTERS", 1)
    w = known_world
    data = dashboards.overview(today=w["today"])
    assert len(data.by_chapter) == 2  # all chapters are still counted (and exported)
    assert [c.pk for c in data.chapters_shown] == [w["chapters"][0].pk]  # the one with the overdue measure
    client.force_login(office_admin)
    html = client.get(reverse("dashboards:overview")).content.decode()
    table = html[html.index('data-table="chapters"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r'data-chapter="(\d+)"', table) == [str(w["chapters"][0].pk)]


def test_overview_lists_the_first_late_reports_and_exports_them_all(
    client, office_admin, known_world, monkeypatch
):
    monkeypatch.setattr(views_dashboards, "REPORT_PROBLEMS_SHOWN", 0)
    client.force_login(office_admin)
    html = client.get(reverse("dashboards:overview")).content.decode()
    table = html[html.index('data-table="reports"') :]
    assert "区交通委" not in table[: table.index("</table>")] and "全部清单请导出" in html
    exported = client.get(reverse("dashboards:overview"), {"export": "reports"})
    assert exported.status_code == 200


def test_on_time_reports_counted_in_sql_match_the_model(scaled_world):
    reports = MonthlyReport.objects.all()
    expected = {r.pk for r in reports if r.is_on_time}
    assert set(reports.filter(on_time_q(reports)).values_list("pk", flat=True)) == expected
    assert expected  # the generated data has on-time reports …
    assert reports.filter(first_submitted_at__isnull=False).count() > len(expected)  # … and late ones


def test_unit_rows_count_each_measure_once_whatever_its_roles(known_world):
    w = known_world
    Assignment.objects.create(measure=w["overdue"], unit=w["ecology"], role=Assignment.Role.ASSISTING)
    row = {r.unit.pk: r for r in dashboards.unit_table(today=w["today"])}[w["ecology"].pk]
    assert (row.lead, row.assisting, row.measures, row.overdue) == (3, 1, 4, 1)


def test_unit_table_sorts_all_units_then_shows_a_page(client, viewer, known_world, monkeypatch):
    monkeypatch.setattr(views_dashboards, "UNITS_PER_PAGE", 1)
    w = known_world
    client.force_login(viewer)
    url = reverse("dashboards:units")

    def rows(html):
        return [int(pk) for pk in re.findall(r'<tr data-unit="(\d+)"', html)]

    first = client.get(url, {"sort": "-measures"}).content.decode()
    assert re.search(r'data-figure="unit-count">2<', first) and rows(first) == [w["ecology"].pk]
    second = client.get(url, {"sort": "-measures", "page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in second and rows(second) == [w["traffic"].pk]
    assert 'data-sort="measures"' in second and "page=2" not in re.search(
        r'href="([^"]*)"\s+hx-get="[^"]*"\s+'
        r'hx-target="#unit-results"\s+hx-push-url='
        r'"true"\s+data-sort="measures"',
        second,
    ).group(1)
