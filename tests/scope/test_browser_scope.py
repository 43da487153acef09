"""In Debian's chromium: a district office account sees only its district's plans, units, dashboard and ranking;
the municipal office sees every district, narrows the dashboard to one, and ranks the districts.
Screenshots (desktop 1280 px and phone 390 px) under test-artifacts/scope/."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.outputs.ranking import build_ranking
from tests.workbench.test_browser_workbench import sign_in

from .conftest import PERIOD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "scope"


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_district_office_sees_its_district_and_the_city_office_ranks_the_districts(
    chromium, live_server, city
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    build_ranking(period=PERIOD, scope=city.a.jurisdiction)
    build_ranking(period=PERIOD, scope=city.beijing)

    fengtai = sign_in(chromium, live_server, "office_ft")
    fengtai.goto(f"{live_server.url}/plans/")
    assert "丰台区大气污染防治行动计划" in fengtai.content()
    assert "西城区大气污染防治行动计划" not in fengtai.content() and "北京市行动计划" not in fengtai.content()
    shot(fengtai, "01-district-plans")
    fengtai.goto(f"{live_server.url}/dashboard/units/")
    units = fengtai.locator("table").last.inner_text()
    assert "丰台区政府" in units and "西城区政府" not in units and "市生态环境局" not in units
    shot(fengtai, "02-district-units")
    fengtai.goto(f"{live_server.url}/dashboard/")
    assert fengtai.locator('[data-figure="total"]').inner_text() == "2"
    shot(fengtai, "03-district-dashboard")
    fengtai.goto(f"{live_server.url}/jobs/rankings/2026-2/")
    ranking = fengtai.locator("table.ranking").inner_text()
    assert "区生态环境局" in ranking and "丰台区政府" in ranking and "西城区" not in ranking
    shot(fengtai, "04-district-ranking")
    forged = fengtai.goto(f"{live_server.url}/plans/{city.b.plan.pk}/")
    assert forged.status == 404

    phone = sign_in(chromium, live_server, "office_ft", width=390)
    phone.goto(f"{live_server.url}/dashboard/")
    shot(phone, "05-district-dashboard-390px")
    phone.goto(f"{live_server.url}/plans/")
    shot(phone, "06-district-plans-390px")

    beijing = sign_in(chromium, live_server, "office_bj")
    beijing.goto(f"{live_server.url}/plans/")
    assert all(
        t in beijing.content()
        for t in ("丰台区大气污染防治行动计划", "西城区大气污染防治行动计划", "北京市行动计划")
    )
    beijing.goto(f"{live_server.url}/dashboard/")
    assert beijing.locator('[data-figure="total"]').inner_text() == "5"
    beijing.select_option("[data-scope-select] select", "110106")
    beijing.click("[data-scope-select] button")
    beijing.wait_for_url("**jurisdiction=110106**")
    assert beijing.locator('[data-figure="total"]').inner_text() == "2"
    shot(beijing, "07-city-dashboard-drilled-into-fengtai")
    beijing.goto(f"{live_server.url}/jobs/rankings/2026-2/")
    boards = beijing.locator("[data-board]").all_inner_texts()
    assert boards == ["各区排名", "单位排名"]
    first = beijing.locator("table.ranking").first.inner_text()
    assert "丰台区政府" in first and "西城区政府" in first and "区生态环境局" not in first
    assert "市生态环境局" in beijing.locator("table.ranking").last.inner_text()
    shot(beijing, "08-city-ranking-of-districts")
    phone = sign_in(chromium, live_server, "office_bj", width=390)
    phone.goto(f"{live_server.url}/jobs/rankings/2026-2/")
    shot(phone, "09-city-ranking-390px")
