"""The dashboards in a real browser (Debian's chromium through Playwright) on the sample data.

An office administrator signs in, opens each dashboard, waits for the charts,
compares the figures shown with the database and saves a screenshot under
test-artifacts/.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD
from departments.models import Unit
from tasks.models import Assignment, Measure
from tasks.traffic_light import measure_light
from tests.dashboards.conftest import load_sample_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboards"


@pytest.fixture
def page(chromium):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return chromium.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")


def figure(page, name) -> str:
    return page.locator(f'[data-figure="{name}"]').first.inner_text().strip()


def wait_for_charts(page):
    page.wait_for_function(  # a function, not an expression: the page's CSP forbids eval
        "() => document.querySelectorAll('[data-chart]').length > 0 && "
        "[...document.querySelectorAll('[data-chart]')].every(el => el.dataset.drawn === 'true')"
    )
    assert page.locator("[data-chart] canvas").count() >= page.locator("[data-chart]").count()


def test_office_admin_sees_dashboard_figures_matching_the_database(live_server, page):
    load_sample_world()
    today = timezone.localdate()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")

    # Overview
    page.goto(f"{live_server.url}/dashboard/")
    wait_for_charts(page)
    assert figure(page, "total") == str(Measure.objects.count())
    assert figure(page, "overdue-total") == str(Measure.objects.overdue(on=today).count())
    lights = Counter(
        measure_light(m, today=today).value for m in Measure.objects.select_related("task__plan")
    )
    for light in ("green", "yellow", "red"):
        assert figure(page, f"light-{light}") == str(lights[light])
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    # By unit, sorted by overdue measures
    carrying = Unit.objects.filter(Exists(Assignment.objects.filter(unit=OuterRef("pk"))))
    page.goto(f"{live_server.url}/dashboard/units/")
    wait_for_charts(page)
    assert figure(page, "unit-count") == str(carrying.count())
    page.click('a[data-sort="overdue"]')  # a count: most first, then fewest first, then most again
    page.wait_for_url(re.compile(r"sort=-overdue"))
    page.click('a[data-sort="overdue"]')
    page.wait_for_url(re.compile(r"sort=overdue(&|$)"))
    page.click('a[data-sort="overdue"]')
    page.wait_for_url(re.compile(r"sort=-overdue"))
    first = page.locator('table[data-table="units"] tbody tr').first
    unit = Unit.objects.get(pk=first.get_attribute("data-unit"))
    overdue = Measure.objects.overdue(on=today).filter(assignments__unit=unit).distinct().count()
    assert first.locator('[data-col="overdue"]').inner_text() == str(overdue)
    assert overdue == max(
        Measure.objects.overdue(on=today).filter(assignments__unit=u).distinct().count() for u in carrying
    )
    page.screenshot(path=str(ARTIFACTS / "units.png"), full_page=True)

    # A unit's own page
    first.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/dashboard/units/{unit.pk}/"))
    wait_for_charts(page)
    assert figure(page, "lead") == str(Assignment.objects.filter(unit=unit, role="lead").count())
    assert figure(page, "overdue") == str(overdue)
    # Each light shows its whole label (not clipped into the measure pages' dot).
    assert page.locator("[data-light]").count() > 0
    assert page.evaluate(
        "[...document.querySelectorAll('[data-light]')].every(el => el.scrollWidth <= el.clientWidth"
        " && el.offsetWidth > el.offsetHeight)"
    )
    page.screenshot(path=str(ARTIFACTS / "unit-detail.png"), full_page=True)

    # On the unit table, filtering keeps an order chosen without a reload (the form's hidden sort follows it).
    page.goto(f"{live_server.url}/dashboard/units/")
    page.click('a[data-sort="overdue"]')
    page.wait_for_url(re.compile(r"sort=-overdue"))
    page.select_option("select[name=kind]", index=1)
    page.wait_for_url(re.compile(r"kind="))
    assert "sort=-overdue" in page.url

    # By plan and chapter, searching without a reload
    page.goto(f"{live_server.url}/dashboard/plans/")
    wait_for_charts(page)
    assert figure(page, "measure-count") == str(Measure.objects.count())
    page.fill("input[name=q]", "扬尘")
    expected = Measure.objects.filter(
        Q(text__icontains="扬尘") | Q(task__title__icontains="扬尘") | Q(deadline_text__icontains="扬尘")
    ).count()
    page.wait_for_function(
        f"() => document.querySelector('[data-figure=\"measure-count\"]').innerText.trim() === '{expected}'"
    )
    assert "q=" in page.url and page.locator("[data-chart] canvas").count() >= 2  # charts kept, list swapped
    page.screenshot(path=str(ARTIFACTS / "plans.png"), full_page=True)


def test_the_offices_wide_pages_do_not_scroll_sideways_at_phone_width(live_server, chromium):
    """At 390 px the dashboards' wide tables scroll inside the page and the filters' selects wrap: the page
    itself is no wider than the screen (the units dashboard was 780 px wide, the overview 856)."""
    load_sample_world()
    page = chromium.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    widths = {}
    for path in ("/dashboard/", "/dashboard/units/", "/dashboard/plans/", "/my/", "/reports/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
    page.screenshot(path=str(ARTIFACTS / "units-390.png"), full_page=True)
    assert widths == dict.fromkeys(widths, 390)
