"""The unit directory upload in the admin, in Debian's chromium: errors by row and column, then a clean load.

Screenshots (desktop 1280 px, phone 390 px) under test-artifacts/juris/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from departments.jurisdictions import load_jurisdictions
from departments.models import Unit
from tests.factories import DEMO_PASSWORD, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "juris"
BAD = "名称,类型,所属行政区划,别名\n区生态环境局,区级委办局,火星区,\n区水务局,部门,110106,\n"
GOOD = "名称,类型,所属行政区划,别名\n区生态环境局,区级委办局,北京市丰台区,丰台区生态环境局\n区水务局,区级委办局,110106,\n"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_office_uploads_a_unit_directory_fixes_it_and_loads_it(chromium, live_server, tmp_path, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_jurisdictions(province="11")  # a transactional test starts from a flushed database
    make_user("office", "office_admin")
    page = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/admin/departments/unit/")
    page.click("text=载入单位名录（.xlsx/.csv）")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():  # the errors come with the posted form's page, not before it
        page.click("input[name=load]")
    rows = page.locator("#unit-file-errors tbody tr")
    assert rows.count() == 2
    assert "火星区" in rows.nth(0).inner_text() and "类型" in rows.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / f"load-units-errors-{width}.png"), full_page=True)
    assert not Unit.objects.exists()

    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("input[name=load]")
    assert "已载入" in page.inner_text(".messagelist")
    page.screenshot(path=str(ARTIFACTS / f"load-units-loaded-{width}.png"), full_page=True)
    assert set(Unit.objects.values_list("name", "jurisdiction__code")) == {
        ("区生态环境局", "110106"),
        ("区水务局", "110106"),
    }

    page.goto(f"{live_server.url}/admin/departments/jurisdiction/")
    page.screenshot(path=str(ARTIFACTS / f"jurisdictions-{width}.png"), full_page=True)
    assert "丰台区" in page.inner_text("#result_list")
