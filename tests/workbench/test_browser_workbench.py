"""The 工作台, batch 通过 / 销号 and 催报 in Debian's chromium, with screenshots under test-artifacts/workbench/.

Each role signs in and lands on its own 工作台; the office ticks several reports and measures in the review
queue and approves / signs them off at once; it urges three units from the units table, and a member of one
of them finds the office's text on their own 工作台. The staff 工作台 is also shot at phone width (390 px).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from reports.models import MonthlyReport, ReportHistoryEntry, Urge
from tasks.models import Assignment, Measure
from tests.factories import DEMO_PASSWORD, AssignmentFactory, MeasureFactory, UnitFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "workbench"


@pytest.fixture
def browser(chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return chromium


@pytest.fixture
def office_world(known_world):
    """known_world plus three more units with staff, three submitted reports and three measures reported done."""
    w = known_world
    task = w["done"].task
    extra_units = [UnitFactory(name=name) for name in ("区水务局", "区园林绿化局", "区商务局")]
    for i, unit in enumerate(extra_units):
        make_user(f"staff-{i}", "unit_staff", units=[unit])
        measure = MeasureFactory(
            task=task, sequence=10 + i, text=f"已完成的措施{i}", status=Measure.Status.DONE, percent=100
        )
        AssignmentFactory(measure=measure, unit=unit, role=Assignment.Role.LEAD)
        now = timezone.now()
        MonthlyReport.objects.create(
            unit=unit,
            period=w["period"],
            due_date=w["due"],
            state=MonthlyReport.State.SUBMITTED,
            summary="本月按计划推进",
            first_submitted_at=now,
            submitted_at=now,
        )
    make_user("office", "office_admin")
    make_user("leader", "viewer")
    return {**w, "extra_units": extra_units}


def sign_in(browser, live_server, username, width=1280):
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def count(page, name) -> int:
    return int(page.locator(f'[data-count="{name}"]').inner_text())


def test_each_role_lands_on_its_workbench(browser, live_server, office_world):
    staff = sign_in(browser, live_server, "ecology-staff")
    assert staff.locator("h1").inner_text() == "工作台"
    assert count(staff, "overdue") == 1 and count(staff, "due_soon") == 1
    shot(staff, "01-staff-workbench")
    with staff.expect_navigation():  # loaded: content() right after the click read a still empty page
        staff.click('[data-count="overdue"]')
    assert "due=overdue" in staff.url and "治理施工扬尘" in staff.content()

    phone = sign_in(browser, live_server, "ecology-staff", width=390)
    shot(phone, "02-staff-workbench-390px")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing sticks out sideways

    office = sign_in(browser, live_server, "office")
    assert count(office, "reports") == 4 and count(office, "sign_off") == 4
    shot(office, "03-office-workbench")

    leader = sign_in(browser, live_server, "leader")
    assert count(leader, "total") == Measure.objects.count()
    shot(leader, "04-leader-workbench")


def test_office_batch_approves_and_signs_off(browser, live_server, office_world):
    office = sign_in(browser, live_server, "office")
    with office.expect_navigation():  # loaded: bluesky.js (deferred) wires 全选 only then
        office.click('[data-count="reports"]')
    office.check('[data-select-all="report"]')
    shot(office, "05-review-queue-ticked")
    with office.expect_navigation():  # loaded: the measures' 全选 below is wired by bluesky.js only then
        office.click("text=批量通过所选月报")
    office.wait_for_selector("text=已通过 4 项")
    shot(office, "06-batch-approved")
    assert MonthlyReport.objects.filter(state=MonthlyReport.State.ACCEPTED).count() == 4
    assert ReportHistoryEntry.objects.filter(action=ReportHistoryEntry.Action.ACCEPT).count() == 4

    office.check('[data-select-all="measure"]')
    with office.expect_navigation():  # loaded: content() below reads past the message
        office.click("text=批量销号所选措施")
    office.wait_for_selector("text=已销号 4 项")
    shot(office, "07-batch-signed-off")
    assert Measure.objects.filter(signed_off_at__isnull=False).count() == 4
    assert "没有待销号的措施" in office.content()


def test_office_urges_three_units_and_a_unit_sees_it(browser, live_server, office_world):
    office = sign_in(browser, live_server, "office")
    office.goto(f"{live_server.url}/dashboard/units/")
    for unit in office_world["extra_units"]:
        office.check(f'tr[data-unit="{unit.pk}"] input[name=unit]')
    office.click("text=催办所选单位")
    office.wait_for_selector("textarea[name=text]")
    office.fill("textarea[name=text]", "请于本周五前补报逾期措施的进展和佐证材料。")
    shot(office, "08-urge-three-units")
    office.click("button:has-text('发送')")
    office.wait_for_selector("text=已向 3 个单位发出催办")
    assert Urge.objects.count() == 3

    office.goto(f"{live_server.url}/dashboard/units/{office_world['extra_units'][0].pk}/")
    assert "请于本周五前补报" in office.locator("#urges").inner_text()
    shot(office, "09-unit-page-urged")

    staff = sign_in(browser, live_server, "staff-0", width=390)
    assert "请于本周五前补报逾期措施的进展和佐证材料。" in staff.locator("#urges").inner_text()
    assert count(staff, "unread") == 1
    shot(staff, "10-unit-sees-urge-390px")
