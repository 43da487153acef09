"""Every dashboard page (and its .xlsx) runs the same number of queries whatever the amount of data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# page → queries (session, user, groups, permissions for the menu, then the page's own). The unit pages
# read each unit's first owed month (reports/reporting_units.py) for its on-time report rate; the trend asks
# first whether every plan in force came before its window (then no unit's first month needs reading), and so
# do the unit pages for their report window.
EXPECTED = {
    "/dashboard/": 26,  # … measures by status, light and chapter with the overdue and due-soon totals in one
    # grouped query (dashboards.measure_figures), the trend's completions and missed deadlines in another, the plans
    # that lower plans carry out (承接), the 辖区 selector
    "/dashboard/?export=overdue": 6,
    "/dashboard/units/": 18,  # … sorted by name: the busiest units, the count, the page, the units shown
    "/dashboard/units/?sort=-overdue&district=丰台区": 15,  # … sorted by a figure: every unit figured
    "/dashboard/units/?export=units": 11,
    "/dashboard/units/{unit}/": 23,  # … its light counts come from its row of the unit table
    "/dashboard/units/{unit}/?page=2": 23,
    "/dashboard/units/{unit}/?export=measures": 7,
    "/dashboard/plans/": 20,  # … the chart's plan: its measures grouped by chapter (measure_figures), its chapters
    "/dashboard/plans/?status=in_progress&light=red": 20,
    "/dashboard/plans/?export=measures": 6,
}


def test_dashboard_query_count_does_not_grow_with_data(client, office_admin, scaled_world):
    """Run at both scales (scaled_world is parametrized); the expected counts are the same for both."""
    client.force_login(office_admin)
    counted = {}
    for url in EXPECTED:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(unit=scaled_world["unit_id"]))
        assert response.status_code == 200, url
        counted[url] = len(queries.captured_queries)
    assert counted == EXPECTED  # every page's count at once, where one differs
