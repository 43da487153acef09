"""承接 in Debian's chromium: the office links Fengtai's plan to the municipal plan, confirms the proposals,
and the municipal measure's page shows each district's rolled-up progress (desktop and phone width)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.models import Measure, MeasureLink, Plan
from tests.factories import DEMO_PASSWORD, make_user

from .test_carrying_out import (
    DISTRICT_DUST,
    DISTRICT_FUEL,
    DISTRICT_UNRELATED,
    FUEL_QUALITY,
    GAS_STATIONS,
    SITE_DUST,
    _plan,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "carrying-out"


def test_the_office_confirms_links_and_the_municipal_measure_shows_its_districts(chromium, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    make_user("office", "office_admin")
    city, (_, fuel, _) = _plan(
        [GAS_STATIONS, FUEL_QUALITY, SITE_DUST],
        title="大气污染防治行动计划",
        level=Plan.Level.MUNICIPAL,
        district="",
    )
    fengtai, (d_fuel, _, _) = _plan(
        [DISTRICT_FUEL, DISTRICT_DUST, DISTRICT_UNRELATED], title="丰台区任务分解"
    )
    Measure.objects.filter(pk=d_fuel.pk).update(status=Measure.Status.DONE, percent=100)

    page = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/plans/{fengtai.pk}/")
    page.click("text=承接关系")
    assert page.locator("#upper_plan").input_value() == str(city.pk)  # the overlapping municipal plan
    page.click("[data-propose] button[type=submit]")
    page.wait_for_selector("[data-decide]")
    page.screenshot(path=str(ARTIFACTS / "links-proposed.png"), full_page=True)
    page.click("[data-decide] button[type=submit]")
    page.wait_for_selector("text=已确认 2 条承接关系")
    assert MeasureLink.objects.confirmed().count() == 2

    page.goto(f"{live_server.url}/measures/{fuel.pk}/")
    rollup = page.locator("[data-rollup]")
    assert "1 / 1 个下级已完成" in rollup.inner_text()
    assert "丰台区" in rollup.inner_text()
    page.screenshot(path=str(ARTIFACTS / "municipal-measure.png"), full_page=True)

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.goto(f"{live_server.url}/plans/{fengtai.pk}/links/")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    small.screenshot(path=str(ARTIFACTS / "links-phone.png"), full_page=True)
