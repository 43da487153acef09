"""In Debian's chromium: staff submit the monthly report with an evidence file, withdraw it before review (the
office's queue no longer lists it), edit and resubmit; screenshots at 1280 px and 390 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.models import MonthlyReport, ReportAttachment, ReportHistoryEntry

from .conftest import pdf_bytes, report_url
from .test_browser_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports2"


@pytest.fixture
def browser(chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return chromium


def shots(page, name):
    """The page as it is, on a desktop (1280 px) and on a phone (390 px)."""
    for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_submit_with_attachment_withdraw_and_resubmit(browser, live_server, world, period, tmp_path):
    evidence = tmp_path / "锅炉改造验收单.pdf"
    evidence.write_bytes(pdf_bytes("acceptance"))
    url = f"{live_server.url}{report_url(world, period)}"

    staff = sign_in(browser, live_server, "staff_a")
    staff.goto(url)
    staff.fill("#id_summary", "本月完成锅炉改造 12 台，验收单见附件")
    staff.set_input_files("#id_files", str(evidence))
    with staff.expect_navigation():  # loaded: is_visible below reads past the message
        staff.click("button[name=action][value=submit]")
    staff.wait_for_selector("text=月报已报送")
    assert staff.is_visible("#attachments >> text=锅炉改造验收单.pdf")
    shots(staff, "01-submitted-with-attachment")
    assert ReportAttachment.objects.get().original_name == "锅炉改造验收单.pdf"

    office = sign_in(browser, live_server, "office")
    office.goto(f"{live_server.url}/reports/review/")
    assert office.is_visible("main >> text=区生态环境局")

    staff.click("#withdraw button")
    staff.wait_for_selector("text=已撤回")
    assert MonthlyReport.objects.get().state == "draft"
    assert staff.input_value("#id_summary") == "本月完成锅炉改造 12 台，验收单见附件"
    shots(staff, "02-withdrawn")
    office.reload()
    assert not office.is_visible("main >> text=区生态环境局")
    shots(office, "03-review-queue-after-withdraw")

    staff.fill("#id_summary", "本月完成锅炉改造 12 台（补充两台），验收单见附件")
    staff.dblclick("button[name=action][value=submit]")  # a double click: saved once
    staff.wait_for_selector("text=月报已报送")
    shots(staff, "04-resubmitted")
    report = MonthlyReport.objects.get()
    assert report.state == "submitted" and "补充两台" in report.summary
    assert ReportHistoryEntry.objects.filter(report=report).count() == 3  # submit, withdraw, submit
    assert ReportAttachment.objects.count() == 1

    office.reload()
    office.click("main >> text=区生态环境局")
    office.wait_for_selector("#attachments >> text=锅炉改造验收单.pdf")
    shots(office, "05-office-sees-attachment")
    with office.expect_download() as download:
        office.click("#attachments >> text=锅炉改造验收单.pdf")
    assert Path(download.value.path()).read_bytes() == pdf_bytes("acceptance")
