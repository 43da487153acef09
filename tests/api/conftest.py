from tests.dashboards.conftest import (  # noqa: F401  (shared fixtures)
    known_world,
    sample_world,  # noqa: F401,E402
    scaled_world,
    unit_staff,
)
