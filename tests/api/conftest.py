from tests.dashboards.conftest import known_world, scaled_world, unit_staff  # noqa: F401  (shared fixtures)
from tests.dashboards.conftest import sample_world  # noqa: F401,E402
