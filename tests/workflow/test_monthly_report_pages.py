"""月报: a unit's report for a month — due date, timeliness, measures, summary, submit, return, resubmit, accept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.models import MonthlyReport, ReportHistoryEntry
from reports.selectors import LATE, MISSING, ON_TIME, PENDING, default_period, timeliness
from reports.services import get_or_create_report, return_report, submit_report
from reports.workdays import first_of_month
from tasks.models import Assignment
from tasks.services import record_progress
from tests.factories import AssignmentFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(unit, year, month):
    return reverse("reports:detail", args=[unit.pk, year, month])


def test_timeliness_on_time_late_missing_pending():
    due = dt.date(2025, 10, 11)

    def at(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 30)))

    assert timeliness(due_date=due, first_submitted_at=at(due), today=dt.date(2025, 10, 20)) == ON_TIME
    assert (
        timeliness(due_date=due, first_submitted_at=at(dt.date(2025, 10, 12)), today=dt.date(2025, 10, 20))
        == LATE
    )
    assert timeliness(due_date=due, first_submitted_at=None, today=dt.date(2025, 10, 12)) == MISSING
    assert timeliness(due_date=due, first_submitted_at=None, today=due) == PENDING


def test_default_period_is_last_month():
    assert default_period(dt.date(2026, 1, 5)) == dt.date(2025, 12, 1)


def test_the_report_page_shows_the_due_date_and_writes_nothing_on_get(client, world):
    client.force_login(world.staff_a)
    response = client.get(url(world.unit_a, 2025, 9))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2025-10-11" in body  # 3rd working day after National Day: a make-up Saturday
    assert "未报送（已逾期）" in body
    assert "1-1" in body  # the unit's measures, as they stand
    assert not MonthlyReport.objects.exists()


def test_submit_return_with_reason_resubmit_and_accept(client, world):
    record_progress(
        measure=world.measure_a, user=world.staff_a, status="in_progress", percent=30, note="开工"
    )
    period = default_period(timezone.localdate())
    report_url = url(world.unit_a, period.year, period.month)
    client.force_login(world.staff_a)
    assert "请填写本月工作小结" in client.post(report_url, {"summary": "", "version": 1}).content.decode()
    response = client.post(report_url, {"summary": "本月完成锅炉改造12台", "version": 1})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.state == "submitted"
    assert [(i.measure_id, i.status, i.percent, i.note) for i in report.items.all()] == [
        (world.measure_a.pk, "in_progress", 30, "开工")
    ]

    client.force_login(world.office)
    review = reverse("reports:review", args=[report.pk])
    response = client.post(review, {"decision": "return", "comment": "", "version": report.version})
    assert "退回时请写明原因。" in response.content.decode()
    client.post(review, {"decision": "return", "comment": "请补充改造台账", "version": report.version})
    report.refresh_from_db()
    assert report.state == "returned"

    client.force_login(world.staff_a)
    body = client.get(report_url).content.decode()
    assert "请补充改造台账" in body and "重新报送" in body
    client.post(report_url, {"summary": "已补充台账", "version": report.version})
    report.refresh_from_db()
    assert report.state == "resubmitted" and report.summary == "已补充台账"

    client.force_login(world.office)
    client.post(
        reverse("reports:review", args=[report.pk]), {"decision": "accept", "version": report.version}
    )
    report.refresh_from_db()
    assert report.state == "accepted"
    body = client.get(report_url).content.decode()
    for line in (
        "月报状态：草稿 → 已报送",
        "月报状态：已报送 → 已退回",
        "月报状态：已退回 → 重新报送",
        "月报状态：重新报送 → 已通过",
    ):
        assert line in body
    assert ReportHistoryEntry.objects.filter(report=report).count() == 4


def test_a_stale_review_keeps_the_reviewers_comment(client, world):
    period = default_period(timezone.localdate())
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
    client.force_login(world.office)
    response = client.post(
        reverse("reports:review", args=[report.pk]),
        {"decision": "return", "comment": "我的审核意见", "version": report.version - 1},
    )
    body = response.content.decode()
    assert "已被他人更新" in body and "我的审核意见" in body
    report.refresh_from_db()
    assert report.state == "submitted"


def test_staff_list_their_units_last_twelve_months(client, world):
    period = default_period(timezone.localdate())
    submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
    client.force_login(world.staff_a)
    rows = client.get(reverse("reports:list")).context["rows"]
    assert len(rows) == 13 and {r.unit for r in rows} == {
        world.unit_a
    }  # this month (may be filed early) + 12
    assert rows[0].period == first_of_month(timezone.localdate()) and rows[0].timeliness == PENDING
    assert rows[1].period == period and rows[1].report.state == "submitted"
    assert rows[2].report is None and rows[2].timeliness == MISSING


def test_office_overview_of_a_month_with_timeliness_filter(client, world):
    submit_report(
        report=get_or_create_report(unit=world.unit_a, period=dt.date(2025, 9, 1), user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
    client.force_login(world.office)
    rows = client.get(reverse("reports:list"), {"period": "2025-09"}).context["rows"]
    assert {(r.unit.name, r.timeliness) for r in rows} == {("区生态环境局", LATE), ("区城市管理委", MISSING)}
    rows = client.get(reverse("reports:list"), {"period": "2025-09", "timeliness": "missing"}).context["rows"]
    assert [r.unit.name for r in rows] == ["区城市管理委"]


def test_a_returned_report_cannot_be_returned_again_before_resubmission(world):
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=dt.date(2025, 9, 1), user=world.staff_a),
        user=world.staff_a,
        summary="x",
    )
    return_report(report=report, user=world.office, comment="补充")
    with pytest.raises(ValidationError, match="无需审核"):
        return_report(report=report, user=world.office, comment="再次")


@pytest.mark.django_db
def test_no_report_can_be_opened_or_submitted_for_a_month_that_has_not_come():
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from reports.models import MonthlyReport
    from reports.services import get_or_create_report
    from tests.factories import UnitFactory, make_user

    unit = UnitFactory()
    staff = make_user("future-staff", "unit_staff", units=[unit])
    today = timezone.localdate()
    next_month = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError, match="还没有到"):
        get_or_create_report(unit=unit, period=next_month, user=staff)
    assert not MonthlyReport.objects.exists()
    assert get_or_create_report(unit=unit, period=today, user=staff).period == today.replace(day=1)


def test_the_office_pages_through_a_citys_reports_a_hundred_units_at_a_time(client, world):
    for n in range(120):  # with the world's two: 122 units owe September's report
        AssignmentFactory(
            measure=world.measure_a, unit=UnitFactory(name=f"街道{n:03d}"), role=Assignment.Role.ASSISTING
        )
    client.force_login(world.office)

    first = client.get(reverse("reports:list"), {"period": "2025-09"})
    second = client.get(reverse("reports:list"), {"period": "2025-09", "page": 2})

    assert len(first.context["rows"]) == 122 and len(first.context["page"]) == 100
    assert "月报报送情况（122）" in first.content.decode() and "第 1 / 2 页" in first.content.decode()
    assert {r.unit.name for r in first.context["page"]} | {r.unit.name for r in second.context["page"]} == {
        r.unit.name for r in first.context["rows"]
    }
    assert len(second.context["page"]) == 22
