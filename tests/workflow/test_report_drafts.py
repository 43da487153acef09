"""保存草稿: the summary is kept without submitting, under the same stale-edit check as a submission."""

import pytest

from reports.models import MonthlyReport, ReportHistoryEntry
from reports.services import get_or_create_report, return_report, submit_report

from .conftest import report_url as detail

pytestmark = pytest.mark.django_db


def test_saving_a_draft_keeps_the_text_without_submitting(client, world, period):
    client.force_login(world.staff_a)
    assert "保存草稿" in client.get(detail(world, period)).content.decode()
    response = client.post(
        detail(world, period), {"summary": "写了一半的小结", "version": 1, "action": "draft"}
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == "draft" and report.summary == "写了一半的小结"
    assert report.first_submitted_at is None and not report.items.exists()
    assert not ReportHistoryEntry.objects.filter(report=report).exists()
    form = client.get(detail(world, period)).context["submit_form"]
    assert form["summary"].value() == "写了一半的小结" and form["version"].value() == report.version

    client.post(
        detail(world, period), {"summary": "完整的小结", "version": report.version, "action": "submit"}
    )
    report.refresh_from_db()
    assert report.state == "submitted" and report.summary == "完整的小结"


def test_a_draft_of_a_returned_report_stays_returned(client, world, period):
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="初稿",
    )
    report = return_report(report=report, user=world.office, comment="请补充")
    client.force_login(world.staff_a)
    client.post(detail(world, period), {"summary": "补充中", "version": report.version, "action": "draft"})
    report.refresh_from_db()
    assert report.state == "returned" and report.summary == "补充中"


def test_a_stale_draft_is_refused_and_its_text_kept(client, world, period):
    client.force_login(world.staff_a)
    client.post(detail(world, period), {"summary": "第一个标签页", "version": 1, "action": "draft"})
    response = client.post(
        detail(world, period), {"summary": "第二个标签页", "version": 1, "action": "draft"}
    )
    assert response.status_code == 409
    assert "该月报已被他人更新" in response.content.decode()
    assert response.context["submit_form"]["summary"].value() == "第二个标签页"
    assert MonthlyReport.objects.get().summary == "第一个标签页"


def test_a_returned_report_reads_in_english_for_an_english_browser(client, world, period):
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
    return_report(report=report, user=world.office, comment="请补充")
    client.force_login(world.staff_a)
    page = client.get(detail(world, period), headers={"accept-language": "en"}).content.decode()
    assert ">Resubmit</button>" in page  # the button, not the state's name (Resubmitted)
    assert "Summary of the month&#x27;s work" in page or "Summary of the month's work" in page
