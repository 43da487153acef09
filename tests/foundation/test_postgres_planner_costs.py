"""On PostgreSQL the app's connections tell the planner that a random page read is cheap (the tables fit in
memory): with the server's default, the plan list scanned every measure once per plan at city scale."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_app_connections_use_a_random_page_cost_for_data_in_memory():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
