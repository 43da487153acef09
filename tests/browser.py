"""Debian's chromium under Playwright's sync API, for the browser tests (never `playwright install`).

Playwright runs an event loop in the test's thread, and under it Django hands
out database connections of their own (asgiref's storage follows the loop's
context): the ORM calls a test makes while the browser is open use them.
``open_chromium`` closes those before the loop ends; left open, they kept
PostgreSQL from dropping the test database at the end of the run.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip the test when chromium is not installed; in CI, fail instead (.ci/run installs it)."""
    import pytest

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: apt-get install -y chromium")
        pytest.skip("chromium is not installed")


@contextmanager
def open_chromium():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the test's ORM calls run beside Playwright's loop
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
            connections.close_all()


def sign_in(launched, live_server, username: str, *, width: int = 1280):
    """A new page of ``launched`` at ``width`` px, signed in as ``username`` (the demo password), on the 工作台."""
    from tests.factories import DEMO_PASSWORD

    page = launched.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page
