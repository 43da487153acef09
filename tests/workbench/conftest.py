"""The dashboards' worlds (a small one with figures counted by hand; generated data at two scales)."""

from tests.dashboards.conftest import known_world, scaled_world  # noqa: F401
