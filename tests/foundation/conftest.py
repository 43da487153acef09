"""Fixtures the foundation tests share with the dashboards (a known small world of measures and units)."""

from tests.dashboards.conftest import known_world  # noqa: F401
