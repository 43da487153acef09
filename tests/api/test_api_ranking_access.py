"""The ranking through the API follows the ranking pages: the office and leaders read it, unit staff do not."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ["/api/rankings/", "/api/ranking-rows/"])
def test_unit_staff_are_refused_the_ranking_api_as_they_are_the_ranking_page(client, unit_staff, endpoint):
    client.force_login(unit_staff)
    assert client.get("/jobs/rankings/").status_code == 403
    response = client.get(endpoint)
    assert response.status_code == 403
    assert "月排名" in response.json()["detail"]


@pytest.mark.parametrize("role", ["office_admin", "viewer"])
def test_office_and_leaders_read_the_ranking_api(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/api/rankings/").status_code == 200
    assert client.get("/api/ranking-rows/").status_code == 200
