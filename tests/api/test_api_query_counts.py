"""Every API list runs the same number of queries whatever the amount of data."""

EXPECTED = {
    "/api/plans/": 4,
    "/api/chapters/": 4,
    "/api/tasks/": 4,
    "/api/measures/": 8,
    "/api/measures/?light=yellow": 8,
    "/api/assignments/": 5,
    "/api/progress-updates/": 6,
    "/api/units/": 7,
    "/api/monthly-reports/": 5,
    # rankings: one more, the reader's roles (the ranking is the office's and the leaders' only)
    "/api/rankings/": 6,
    "/api/ranking-rows/": 5,
}


def test_api_query_count_does_not_grow_with_data(
    client, office_admin, scaled_world, django_assert_num_queries
):
    """Run at both scales (scaled_world is parametrized); the expected counts are the same for both."""
    client.force_login(office_admin)
    for url, count in EXPECTED.items():
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] > 0, url
