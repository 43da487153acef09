"""In chromium, at desktop and phone widths: the throttled sign-in and a refused evidence file say why in Chinese,
and the refused progress form keeps what was typed. Screenshots under test-artifacts/security/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from departments import login_guard
from tests.factories import DEMO_PASSWORD

from .test_evidence_safety import PROGRAM, office_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "security"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(autouse=True)
def _no_counts_left_over():
    login_guard.clear("staff_a", "127.0.0.1")
    yield
    login_guard.clear("staff_a", "127.0.0.1")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_throttled_sign_in_and_the_refused_evidence_say_why(
    chromium, live_server, world, tmp_path, width
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": WIDTHS[width], "height": 900}, locale="zh-CN")
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "staff_a")
        page.fill("#id_password", "wrong-password")
        with page.expect_navigation():  # the answer loaded: is_visible below does not wait for it
            page.click("button[type=submit]")
    assert page.is_visible("text=登录失败次数过多")
    page.screenshot(path=str(ARTIFACTS / f"sign-in-throttled-{width}.png"), full_page=True)

    login_guard.clear("staff_a", "127.0.0.1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "staff_a")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    document = tmp_path / "整改材料.docx"
    document.write_bytes(office_file("docx", {"word/media/image9.png": PROGRAM}))
    page.goto(f"{live_server.url}{reverse('measure_detail', args=[world.measure_a.pk])}")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_note", "第三季度整改情况说明")
    page.set_input_files("#id_files", str(document))
    page.click("text=保存进展")
    page.wait_for_selector("text=出于安全考虑不能作为佐证材料上传")
    assert page.input_value("#id_note") == "第三季度整改情况说明"
    page.locator("text=出于安全考虑").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"evidence-refused-{width}.png"), full_page=True)
