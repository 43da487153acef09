"""In Debian's chromium: the worksheet of a plan already imported is recognised ("内容无变化"), and an
import is withdrawn and restored from the plan page, each step confirmed first and kept in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from departments.services import load_unit_directory
from importers.services import import_file
from tasks.models import HistoryEntry, Measure, Plan
from tests.conftest import sample_bytes
from tests.factories import DEMO_PASSWORD, make_user

from .plan_formats import fengtai_bare_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "identity"


@pytest.fixture
def office_page(chromium, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_unit_directory()
    make_user("office", "office_admin")

    def open_page(width: int = 1200):
        page = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "office")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return open_page


def shot(page, name: str) -> None:
    """The top of the page as the office sees it (a plan page's full length is thousands of pixels)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_the_worksheet_of_an_imported_plan_is_recognised_and_confirmed_as_one_plan(
    office_page, live_server, tmp_path
):
    plan = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan
    ledger = tmp_path / "任务分解表.xlsx"
    ledger.write_bytes(fengtai_bare_xlsx())
    page = office_page()
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("#id_file", str(ledger))
    page.click("text=上传并预览")
    page.wait_for_selector("#plan-identity")
    assert f"导入的《{plan.title}》" in page.inner_text("#plan-identity-title")
    assert page.is_visible("#identity-unchanged")
    page.click("#plan-metadata summary")
    shot(page, "01-preview-recognised")
    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    assert Plan.objects.count() == 1 and Measure.objects.count() == 70


def test_an_import_is_withdrawn_and_restored_from_the_plan_page(office_page, live_server):
    plan = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan
    page = office_page(width=390)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.click("#withdraw-plan-box summary")
    page.fill("#withdraw-reason", "重复导入")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.click("#withdraw-plan")
    page.wait_for_selector("#plan-withdrawn")
    shot(page, "02-withdrawn-plan-390px")
    assert "撤回《" in dialogs[0]
    page.goto(f"{live_server.url}/plans/")  # the plan list (/ is the 工作台)
    page.wait_for_selector("#withdrawn-plans")
    shot(page, "03-plan-list-withdrawn")

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.click("#restore-plan")
    page.wait_for_selector("#withdraw-plan-box")
    assert "恢复《" in dialogs[1]
    plan.refresh_from_db()
    assert plan.withdrawn_at is None and Measure.objects.filter(task__plan=plan).count() == 70
    actions = list(HistoryEntry.objects.filter(plan=plan).order_by("id").values_list("action", flat=True))
    assert actions == [HistoryEntry.Action.WITHDRAW, HistoryEntry.Action.RESTORE]
    shot(page, "04-restored-plan")
