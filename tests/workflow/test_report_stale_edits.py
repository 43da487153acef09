"""Two tabs on one monthly report: the tab that loses the race says so and keeps what was typed; nothing is written."""

import pytest
from django.urls import reverse

from reports.models import MonthlyReport, Notification, ReportHistoryEntry, ReportReview
from reports.services import get_or_create_report, submit_report

from .conftest import report_url as detail

pytestmark = pytest.mark.django_db


def test_a_second_tab_submitting_after_the_first_keeps_its_text_and_writes_nothing(client, world, period):
    client.force_login(world.staff_a)
    assert (
        client.post(detail(world, period), {"summary": "第一个标签页的小结", "version": 1}).status_code == 302
    )
    response = client.post(detail(world, period), {"summary": "第二个标签页的小结", "version": 1})
    body = response.content.decode()
    assert response.status_code == 409
    assert "该月报已由他人报送（当前状态：已报送），您的内容未保存，现保留如下：" in body
    assert 'id="kept-text"' in body and "第二个标签页的小结</textarea>" in body
    report = MonthlyReport.objects.get()
    assert report.summary == "第一个标签页的小结" and report.version == 2
    assert ReportHistoryEntry.objects.filter(report=report).count() == 1


def test_a_return_after_another_tab_accepted_keeps_the_comment_and_writes_nothing(client, world, period):
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
    client.force_login(world.office)
    review = reverse("reports:review", args=[report.pk])
    assert client.post(review, {"decision": "accept", "version": report.version}).status_code == 302
    response = client.post(
        review, {"decision": "return", "comment": "请补充改造台账", "version": report.version}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "该月报已由他人审核（当前状态：已通过），您的意见未保存，现保留如下：" in body
    assert "请补充改造台账</textarea>" in body
    report.refresh_from_db()
    assert report.state == "accepted"
    assert not ReportReview.objects.filter(decision="return").exists()
    assert not Notification.objects.exists()


def test_a_stale_submission_of_a_report_still_open_keeps_the_text_in_the_form_for_a_second_try(
    client, world, period
):
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="初稿",
    )
    opened_at = report.version  # staff opens the page; meanwhile the office returns the report
    client.force_login(world.office)
    client.post(
        reverse("reports:review", args=[report.pk]),
        {"decision": "return", "comment": "请补充", "version": opened_at},
    )
    client.force_login(world.staff_a)
    response = client.post(detail(world, period), {"summary": "修改后的小结", "version": opened_at})
    body = response.content.decode()
    assert response.status_code == 409
    assert "该月报已被他人更新" in body and "仍保留在下方表单中" in body
    form = response.context["submit_form"]
    assert form["summary"].value() == "修改后的小结" and form["version"].value() == str(opened_at + 1)
    report.refresh_from_db()
    assert report.state == "returned" and report.summary == "初稿"
    # Having read the reason, the user sends the kept form again: it goes through.
    assert (
        client.post(detail(world, period), {"summary": "修改后的小结", "version": opened_at + 1}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.state == "resubmitted" and report.summary == "修改后的小结"
