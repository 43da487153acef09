"""The browser tests leave no database connection behind (tests/browser.py)."""

import pytest
from django.db import connections

from tasks.models import Plan
from tests.browser import open_chromium, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_connections_opened_while_the_browser_runs_are_closed_with_it():
    require_chromium()
    outer = connections["default"]
    Plan.objects.exists()
    with open_chromium():
        Plan.objects.exists()
        inner = connections["default"]
        assert inner is not outer  # Playwright's loop gets connections of its own …
        assert inner.connection is not None
    assert inner.connection is None  # … closed when the browser closes
    assert outer.connection is not None  # the test's own connection is left to pytest-django
