"""The Content-Security-Policy: sent on every page, and the key pages run under it in chromium without a
single violation (charts drawn, HTMX swaps, confirmations, the import editor, the admin)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from demo.accounts import DEMO_PASSWORD
from tasks.models import Measure
from tests.dashboards.conftest import load_sample_world
from tests.importers.test_browser_editor import PARTLY_READ_PLAN

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "security"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\son[a-z]+=|\sstyle=")


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and "unsafe" not in policy


def test_no_template_holds_inline_script_style_or_handlers():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


class Violations:
    """CSP violations a page reports: the console's 'Refused to …' errors and securitypolicyviolation events."""

    LISTEN = (
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )

    def __init__(self, page):
        self.console = []
        page.add_init_script(self.LISTEN)
        page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def of(self, page) -> list[str]:
        return self.console + page.evaluate("window.__csp || []")


def visit(page, url, violations, name, wait_for=None):
    page.goto(url, wait_until="load", timeout=120_000)
    if wait_for:
        page.wait_for_function(wait_for)
    page.screenshot(path=str(ARTIFACTS / f"csp-{name}.png"), full_page=True)
    assert violations.of(page) == [], (url, violations.of(page))


CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-chart]')].length > 0 && "
    "[...document.querySelectorAll('[data-chart]')].every(el => el.dataset.drawn === 'true')"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_run_under_the_policy_without_violations(chromium, live_server, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_sample_world(months=1)
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    violations = Violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    visit(page, f"{live_server.url}/", violations, "workbench")
    visit(page, f"{live_server.url}/plans/", violations, "plans")
    measure = Measure.objects.filter(signed_off_at__isnull=True).order_by("pk").first()
    visit(page, f"{live_server.url}/measures/{measure.pk}/", violations, "measure")
    visit(page, f"{live_server.url}/dashboard/", violations, "dashboard", wait_for=CHARTS_DRAWN)
    assert page.locator("[data-chart] canvas").count() > 0

    # HTMX swaps: 我的任务's search narrows the list without a page load.
    visit(page, f"{live_server.url}/my/", violations, "my-measures")
    page.fill("input[name=q]", "不存在的措施文字")
    page.wait_for_selector("text=没有符合条件的措施")
    assert violations.of(page) == []

    # A data-confirm form asks first (static/js/bluesky.js) and is not sent when the answer is no.
    page.goto(f"{live_server.url}/measures/{measure.pk}/")
    units = measure.assignments.count()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button[type=submit]").first.click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("确认") and page.url.endswith(f"/measures/{measure.pk}/")
    assert measure.assignments.count() == units

    # The import preview editor, with one edit swapped in by HTMX.
    page.goto(f"{live_server.url}/imports/new/")
    document = tmp_path / "丰台区扬尘和移动源治理方案.txt"  # a plan not yet imported
    document.write_text(PARTLY_READ_PLAN, encoding="utf-8")
    page.set_input_files("#id_file", str(document))
    with page.expect_navigation():  # loaded: htmx (deferred) wires the editor's forms only then
        page.click("button:has-text('上传并预览')")
    page.wait_for_selector("#editor")
    chapter = page.locator("form.chapter-title").first
    chapter.locator("input[name=title]").fill("改过的章标题")
    with page.expect_response(lambda r: "/edit/" in r.url):
        chapter.locator("button", has_text="改标题").click()
    page.wait_for_function(
        "() => document.querySelector('#editor') && !document.querySelector('.htmx-request')"
    )
    assert page.locator("form.chapter-title input[name=title]").first.input_value() == "改过的章标题"
    visit(page, page.url, violations, "import-editor")

    visit(page, f"{live_server.url}/admin/", violations, "admin")
    visit(page, f"{live_server.url}/admin/tasks/measure/", violations, "admin-measures")
    visit(page, f"{live_server.url}/admin/tasks/measure/{measure.pk}/change/", violations, "admin-measure")
