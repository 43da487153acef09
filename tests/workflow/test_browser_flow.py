"""The real flow in Debian's chromium: staff update a measure with evidence and submit the monthly report; the
office returns it with a reason; staff fix and resubmit; the office accepts; the history shows every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from reports.models import MonthlyReport
from reports.selectors import default_period
from tasks.models import Evidence, ProgressUpdate
from tests.factories import DEMO_PASSWORD

from .conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "workflow"


@pytest.fixture
def browser(chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return chromium


def sign_in(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_progress_report_return_resubmit_accept(browser, live_server, world, tmp_path):
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(png_bytes(40, 30))
    period = default_period(timezone.localdate())

    # Staff: 我的任务 → the measure → a progress update with an evidence file.
    staff = sign_in(browser, live_server, "staff_a")
    with staff.expect_navigation():  # loaded: htmx (deferred) wires the search box only then
        staff.click("nav >> text=我的任务")
    staff.wait_for_selector("text=完成燃煤锅炉清洁能源改造")
    shot(staff, "01-my-measures")
    staff.fill("input[name=q]", "扬尘")  # HTMX search: unit A does not carry that measure
    staff.wait_for_selector("text=没有符合条件的措施")
    staff.fill("input[name=q]", "锅炉")
    staff.click("text=完成燃煤锅炉清洁能源改造")
    staff.select_option("#id_status", "in_progress")
    staff.fill("#id_percent", "40")
    staff.fill("#id_note", "已完成 12 台燃煤锅炉清洁能源改造")
    staff.set_input_files("#id_files", str(photo))
    with staff.expect_navigation():  # loaded: is_visible below reads past the message
        staff.click("text=保存进展")
    staff.wait_for_selector("text=进展已保存")
    assert staff.is_visible("text=现场照片.png")
    shot(staff, "02-measure-updated")
    assert Evidence.objects.get().original_name == "现场照片.png"
    assert ProgressUpdate.objects.get().percent == 40

    # Staff: 月报 → last month's report → submit.
    staff.click("nav >> text=月报")
    staff.click(f"tr:has-text('{period:%Y年}{period.month}月') >> text=填报")
    staff.fill("#id_summary", "本月完成锅炉改造 12 台")
    staff.click("button:has-text('报送')")
    staff.wait_for_selector("text=月报已报送")
    shot(staff, "03-report-submitted")
    report = MonthlyReport.objects.get()
    assert report.state == "submitted"

    # Office: 审核 → return with a reason.
    office = sign_in(browser, live_server, "office")
    office.click("nav >> text=审核")
    row = office.locator("tr", has_text="区生态环境局")
    row.locator("input[name=comment]").fill("请补充改造台账和验收照片")
    shot(office, "04-review-queue")
    row.locator("button", has_text="退回").click()
    office.wait_for_selector("text=已退回")
    report.refresh_from_db()
    assert report.state == "returned"

    # Staff: sees the reason, fixes the summary, resubmits.
    staff.reload()
    staff.wait_for_selector("text=请补充改造台账和验收照片")
    shot(staff, "05-report-returned")
    staff.fill("#id_summary", "本月完成锅炉改造 12 台，已补充改造台账和验收照片")
    staff.click("button:has-text('重新报送')")
    staff.wait_for_selector("text=月报已报送")
    report.refresh_from_db()
    assert report.state == "resubmitted"

    # Office: accepts from the queue.
    office.click("nav >> text=审核")
    office.locator("tr", has_text="区生态环境局").locator("button", has_text="通过").click()
    office.wait_for_selector("text=已通过")
    report.refresh_from_db()
    assert report.state == "accepted"

    # The report page's history shows every step; the measure page's history shows the progress update.
    staff.reload()
    history = staff.locator("section.history").inner_text()
    for step in (
        "草稿 → 已报送",
        "已报送 → 已退回",
        "已退回 → 重新报送",
        "重新报送 → 已通过",
        "请补充改造台账和验收照片",
    ):
        assert step in history
    shot(staff, "06-report-accepted-history")
    staff.goto(f"{live_server.url}/measures/{world.measure_a.pk}/")
    history = staff.locator("section.history").inner_text()
    assert "未启动 → 推进中" in history and "已完成 12 台燃煤锅炉清洁能源改造" in history
    # Phone-sized screen: the page stays usable.
    staff.set_viewport_size({"width": 390, "height": 844})
    shot(staff, "07-measure-on-phone")
