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
    "/api/rankings/": 5,
    "/api/ranking-rows/": 4,
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
