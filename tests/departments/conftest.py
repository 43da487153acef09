"""Beijing's divisions, for the tests that name them.

The data migration creates them, but a transactional test elsewhere in the run flushes the database.
"""

import pytest

from departments.jurisdictions import load_jurisdictions


@pytest.fixture
def beijing(db):
    load_jurisdictions(province="11")
