"""In Debian's chromium: an upload shows 正在解析… with its steps while the job waits, and turns into the preview
by itself when the job has run; a file that does not parse shows the reason and a way back. Screenshots at
1280 and 390 px under test-artifacts/jobs/."""

from __future__ import annotations

from pathlib import Path

import pytest

from departments.services import load_unit_directory
from importers import jobs
from importers.models import PlanImport
from tests.conftest import SAMPLE_FILES
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "jobs"


def _office_page(chromium, live_server, width):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def office(db):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_unit_directory()
    return make_user("office", "office_admin")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_follows_the_parse_and_shows_the_preview_when_ready(
    chromium, live_server, office, jobs_queued_not_run, width
):
    page = _office_page(chromium, live_server, width)
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("#id_file", str(SAMPLE_FILES["mentougou"]))
    page.click("text=上传并预览")
    page.wait_for_selector("#parse-status progress")
    assert "正在解析…" in page.inner_text("#parse-status")
    plan_import = PlanImport.objects.get()
    PlanImport.objects.filter(pk=plan_import.pk).update(step=PlanImport.Step.STRUCTURE)
    page.wait_for_selector("li.current:has-text('识别结构')")  # the box polls the job's progress
    page.screenshot(path=str(ARTIFACTS / f"parsing-{width}.png"), full_page=True)

    jobs.parse_upload.apply(args=[plan_import.pk])  # the worker runs the job

    page.wait_for_selector("#count-measures")  # the page reloaded into the preview by itself
    assert page.inner_text("#count-measures") == "68"


def test_a_file_that_does_not_parse_says_why_and_offers_a_new_upload(chromium, live_server, office, tmp_path):
    notes = tmp_path / "会议纪要.txt"
    notes.write_text("会议纪要：今天天气很好。")
    for width in (1280, 390):
        page = _office_page(chromium, live_server, width)
        page.goto(f"{live_server.url}/imports/new/")
        page.set_input_files("#id_file", str(notes))
        page.click("text=上传并预览")
        page.wait_for_selector("#parse-error")
        assert "没有找到可识别的重点任务" in page.inner_text("#parse-error")
        page.screenshot(path=str(ARTIFACTS / f"parse-failed-{width}.png"), full_page=True)
    page.click("#parse-status a.btn")  # 重新上传
    page.wait_for_selector("#id_file")
