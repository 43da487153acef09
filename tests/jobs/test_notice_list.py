"""The list of weekly notices: each notice's period runs Monday to Sunday, written as dates."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.outputs.notices import build_weekly_notice

pytestmark = pytest.mark.django_db


def test_the_notice_list_shows_the_weeks_sunday(client, office_admin):
    for monday in (dt.date(2026, 11, 16), dt.date(2025, 12, 29)):  # the second crosses the new year
        build_weekly_notice(week_start=monday)
    client.force_login(office_admin)
    page = client.get(reverse("outputs:notices")).content.decode()
    assert "2026-11-16 — 2026-11-22" in page and "2025-12-29 — 2026-01-04" in page
    assert "+6" not in page
