"""An office (or leader) account of district A reads and changes only A's records through the pages: B's ids are
404s, lists and dashboards show A's; the municipal office sees every district and narrows to one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import MonthlyReport
from tasks.models import Assignment, Measure, MeasureLink, Plan

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_district_office_lists_only_its_districts_plans(client, city):
    body = _get(client, city.office_a, reverse("plan_list")).content.decode()
    assert city.a.plan.title in body
    assert city.b.plan.title not in body
    assert city.plan.title not in body  # the municipal plan is the city's, not the district's


def test_municipal_office_lists_every_plan_of_the_city(client, city):
    body = _get(client, city.office_city, reverse("plan_list")).content.decode()
    assert all(p.title in body for p in (city.a.plan, city.b.plan, city.plan))


@pytest.mark.parametrize("who", ["office_a", "viewer_a"])
def test_another_districts_records_are_not_found_by_id(client, city, who):
    user = getattr(city, who)
    b = city.b
    urls = [
        reverse("plan_detail", args=[b.plan.pk]),
        reverse("measure_detail", args=[b.overdue.pk]),
        reverse("reports:detail", args=[b.bureau.pk, 2026, 2]),
        reverse("dashboards:unit_detail", args=[b.bureau.pk]),
    ]
    for url in urls:
        assert _get(client, user, url).status_code == 404, url
    for url in (
        reverse("plan_detail", args=[city.a.plan.pk]),
        reverse("measure_detail", args=[city.a.overdue.pk]),
    ):
        assert _get(client, user, url).status_code == 200, url


def test_district_office_cannot_change_another_districts_records(client, city):
    client.force_login(city.office_a)
    b = city.b
    posts = {
        reverse("measure_progress", args=[b.overdue.pk]): {"status": "done", "note": "伪造", "version": 1},
        reverse("measure_sign_off", args=[b.overdue.pk]): {"comment": "伪造"},
        reverse("assignment_add", args=[b.overdue.pk]): {
            "assign-unit": city.a.bureau.pk,
            "assign-role": "lead",
        },
        reverse("assignment_remove", args=[b.overdue.pk, b.overdue.assignments.get().pk]): {},
        reverse("reports:review", args=[b.report.pk]): {"decision": "accept", "comment": "", "version": 1},
        reverse("reports:detail", args=[b.bureau.pk, 2026, 3]): {"summary": "伪造", "version": 1},
        reverse("importers:chapter_add", args=[b.plan.pk]): {"title": "伪造章节"},
        reverse("importers:measure_edit", args=[b.overdue.pk]): {
            "text": "伪造",
            "deadline_text": "",
            "version": 1,
        },
        reverse("importers:withdraw_plan", args=[b.plan.pk]): {"reason": "伪造"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    b.overdue.refresh_from_db()
    assert b.overdue.status == Measure.Status.IN_PROGRESS and b.overdue.signed_off_at is None
    assert b.overdue.text != "伪造" and b.overdue.progress_updates.count() == 0
    assert Assignment.objects.filter(measure=b.overdue).count() == 1
    assert MonthlyReport.objects.get(pk=b.report.pk).state == MonthlyReport.State.SUBMITTED
    assert not MonthlyReport.objects.filter(unit=b.bureau, period__month=3).exists()
    assert not b.plan.chapters.filter(title="伪造章节").exists()
    b.plan.refresh_from_db()
    assert b.plan.withdrawn_at is None


def test_district_office_still_changes_its_own_records(client, city):
    client.force_login(city.office_a)
    a = city.a
    response = client.post(
        reverse("measure_progress", args=[a.overdue.pk]), {"status": "done", "note": "完成", "version": 1}
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("reports:review", args=[a.report.pk]), {"decision": "accept", "comment": "", "version": 1}
        ).status_code
        == 302
    )
    assert MonthlyReport.objects.get(pk=a.report.pk).state == MonthlyReport.State.ACCEPTED


def test_my_measures_and_review_queue_hold_only_the_district(client, city):
    client.force_login(city.office_a)
    body = client.get(reverse("my_measures")).content.decode()
    assert city.a.overdue.code in body and city.b.overdue.code not in body
    queue = client.get(reverse("reports:review_queue")).content.decode()
    assert city.a.bureau.name in queue  # A's submitted report waits
    assert f'value="{city.b.report.pk}"' not in queue and f"/reports/{city.b.bureau.pk}/" not in queue


def test_dashboard_overview_counts_the_district_only(client, city):
    client.force_login(city.office_a)
    body = client.get(reverse("dashboards:overview")).content.decode()
    assert 'data-figure="total">2<' in body  # A's two measures, not B's nor the city's
    assert 'data-figure="overdue-total">1<' in body
    assert city.b.plan.title not in body


def test_municipal_office_sees_all_and_drills_into_a_district(client, city):
    client.force_login(city.office_city)
    whole = client.get(reverse("dashboards:overview")).content.decode()
    assert 'data-figure="total">5<' in whole  # two districts' two measures and the municipal one
    assert 'value="110106"' in whole and 'value="110102"' in whole  # the district selector
    fengtai = client.get(reverse("dashboards:overview") + "?jurisdiction=110106").content.decode()
    assert 'data-figure="total">2<' in fengtai and 'data-scope="110106"' in fengtai


def test_a_district_office_cannot_drill_out_of_its_district(client, city):
    client.force_login(city.office_a)
    body = client.get(reverse("dashboards:overview") + "?jurisdiction=110102").content.decode()
    assert 'data-figure="total">2<' in body and 'data-scope="110106"' in body


def test_unit_and_plan_dashboards_and_their_exports_hold_only_the_district(client, city):
    client.force_login(city.office_a)
    units = client.get(reverse("dashboards:units")).content.decode()
    assert f'href="/dashboard/units/{city.a.bureau.pk}/"' in units
    assert f'href="/dashboard/units/{city.b.bureau.pk}/"' not in units
    plans = client.get(reverse("dashboards:plans")).content.decode()
    assert city.a.overdue.code in plans and city.b.overdue.code not in plans
    exported = client.get(reverse("dashboards:overview") + "?export=overdue")
    import io

    from openpyxl import load_workbook

    cells = {c.value for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows() for c in row}
    assert city.a.overdue.code in cells and city.b.overdue.code not in cells


def test_an_office_without_a_scope_still_sees_everything(client, city):
    client.force_login(city.office_all)
    assert (
        _get(client, city.office_all, reverse("measure_detail", args=[city.b.overdue.pk])).status_code == 200
    )
    body = client.get(reverse("plan_list")).content.decode()
    assert city.a.plan.title in body and city.b.plan.title in body


def test_another_districts_evidence_is_not_found(client, city):
    from tasks.services import UploadedFile, record_progress
    from tests.workflow.conftest import png_bytes

    record_progress(
        measure=city.b.overdue,
        user=city.office_b,
        status="in_progress",
        note="进展",
        files=[UploadedFile("现场.png", png_bytes())],
    )
    evidence = city.b.overdue.progress_updates.get().evidence.get()
    assert _get(client, city.office_a, reverse("evidence_download", args=[evidence.pk])).status_code == 404
    assert _get(client, city.office_b, reverse("evidence_download", args=[evidence.pk])).status_code == 200


def test_the_admin_lists_and_opens_only_the_districts_records(client, city):
    client.force_login(city.office_a)
    plans = client.get("/admin/tasks/plan/").content.decode()
    assert city.a.plan.title in plans and city.b.plan.title not in plans
    units = client.get("/admin/departments/unit/").content.decode()
    assert "丰台区政府" in units and "西城区政府" not in units
    assert client.get(f"/admin/tasks/plan/{city.a.plan.pk}/change/").status_code == 200
    # Django's admin answers an id it cannot find with a redirect to its index, and says so.
    assert client.get(f"/admin/tasks/measure/{city.b.overdue.pk}/change/").status_code == 302
    assert client.get(f"/admin/reports/monthlyreport/{city.b.report.pk}/change/").status_code == 302


def test_a_district_office_reads_what_its_plan_carries_out_without_a_link_to_a_page_it_cannot_open(
    client, city
):
    Plan.objects.filter(pk=city.a.plan.pk).update(carries_out=city.plan)
    MeasureLink.objects.create(
        measure=city.a.overdue, upper=city.municipal_measure, state=MeasureLink.State.CONFIRMED
    )
    upper_plan_url = reverse("plan_detail", args=[city.plan.pk])
    upper_measure_url = reverse("measure_detail", args=[city.municipal_measure.pk])

    client.force_login(city.office_a)
    plan_page = client.get(reverse("plan_detail", args=[city.a.plan.pk])).content.decode()
    measure_page = client.get(reverse("measure_detail", args=[city.a.overdue.pk])).content.decode()
    assert city.plan.title in plan_page and f'href="{upper_plan_url}"' not in plan_page
    assert f"{city.plan.title} M-1" in measure_page and f'href="{upper_measure_url}"' not in measure_page
    assert city.municipal_measure.text[:20] in measure_page  # what it carries out, read in place
    assert client.get(upper_measure_url).status_code == 404  # the page it is not linked to

    client.force_login(city.office_city)
    assert (
        f'href="{upper_plan_url}"'
        in client.get(reverse("plan_detail", args=[city.a.plan.pk])).content.decode()
    )
    measure_page = client.get(reverse("measure_detail", args=[city.a.overdue.pk])).content.decode()
    assert f'href="{upper_measure_url}"' in measure_page
