"""The 操作日志 page in Debian's chromium: the office filters it with the form; screenshots at 1280 and 390 px
under test-artifacts/auditpage/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from auditlog.context import set_actor

from tests.browser import sign_in
from tests.factories import MeasureFactory, UnitFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "auditpage"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_narrows_the_log_to_changes_with_the_form(chromium, live_server, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    staff = make_user("zhang", "unit_staff")
    staff.first_name = "张三"
    staff.save()
    with set_actor(staff):
        UnitFactory(name="丰台区生态环境局")
        measure = MeasureFactory(due_date=dt.date(2026, 6, 30), text="加强施工工地扬尘管控")
        measure.due_date, measure.deadline_note = dt.date(2026, 12, 31), "按区里要求顺延"
        measure.save()
    make_user("office", "office_admin")
    page = sign_in(chromium, live_server, "office", width=width)
    page.click("nav >> text=操作日志")
    assert page.locator("h1").inner_text() == "操作日志"
    page.select_option("select[name=action]", label="修改")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/audit/?*action=1*")
    rows = page.locator("table.audit-log tbody tr")
    assert rows.count() >= 1 and "新增" not in "".join(rows.all_inner_texts())
    measure_row = rows.filter(has_text="具体措施")
    assert measure_row.count() == 1
    text = measure_row.inner_text()
    assert "张三" in text and "修改" in text and "完成日期：2026-06-30 → 2026-12-31" in text
    page.screenshot(path=str(ARTIFACTS / f"audit-log-{width}.png"), full_page=True)
