"""Bad input to the API answers 400 with a Chinese message, never 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", ["+16:00", "-23:59"])
def test_a_time_zone_offset_the_database_cannot_store_is_a_400(client, office_admin, offset):
    client.force_login(office_admin)
    response = client.get("/api/progress-updates/", {"since": f"2026-01-01T00:00:00{offset}"})
    assert response.status_code == 400
    assert "时区偏移" in str(response.json())


def test_an_offset_that_is_no_time_at_all_is_a_400(client, office_admin):
    client.force_login(office_admin)
    assert client.get("/api/progress-updates/", {"since": "2026-01-01T00:00:00+99:00"}).status_code == 400


def test_a_real_offset_still_filters(client, office_admin):
    client.force_login(office_admin)
    assert client.get("/api/progress-updates/", {"until": "2026-01-01T00:00:00+15:59"}).status_code == 200


def test_json_nested_fifty_thousand_levels_deep_is_a_400(client, office_admin):
    client.force_login(office_admin)
    body = "[" * 50_000 + "]" * 50_000
    response = client.post("/api/progress-updates/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_nesting(client, office_admin):
    client.force_login(office_admin)
    body = '{"note": "' + "[" * 500 + '"}'
    response = client.post("/api/progress-updates/", body, content_type="application/json")
    assert response.status_code == 400 and "嵌套" not in str(response.json())  # an ordinary validation error
