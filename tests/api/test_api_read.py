"""Reading through the API: what each list returns, filters, ordering, and who sees what."""

import pytest

from departments.api_tokens import issue_token

pytestmark = pytest.mark.django_db


def test_every_list_answers_for_the_office(client, office_admin, known_world):
    client.force_login(office_admin)
    for endpoint, count in [
        ("plans", 1),
        ("chapters", 2),
        ("tasks", 2),
        ("measures", 5),
        ("assignments", 7),
        ("progress-updates", 2),
        ("units", 2),
        ("monthly-reports", 1),
        ("rankings", 0),
        ("ranking-rows", 0),
    ]:
        response = client.get(f"/api/{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response.json()["count"] == count, endpoint


def test_a_measure_carries_units_deadline_milestones_latest_progress_and_light(client, viewer, known_world):
    w = known_world
    client.force_login(viewer)
    data = client.get(f"/api/measures/{w['overdue'].pk}/").json()
    assert data["due_date"] == w["overdue"].due_date.isoformat() and data["light"] == "red"
    assert {(a["unit_name"], a["role"]) for a in data["assignments"]} == {
        ("区生态环境局", "lead"),
        ("区交通委", "assisting"),
    }
    assert data["latest_progress"]["note"] == "已完成一半工地的围挡" and data["milestones"] == []
    listed = {m["id"]: m for m in client.get("/api/measures/").json()["results"]}
    assert listed[w["overdue"].pk]["latest_progress"]["note"] == "已完成一半工地的围挡"
    assert listed[w["later"].pk]["latest_progress"] is None


def test_measure_filters_and_ordering(client, viewer, known_world):
    w = known_world
    client.force_login(viewer)

    def ids(**params):
        return {m["id"] for m in client.get("/api/measures/", params).json()["results"]}

    assert ids(light="red") == {w["overdue"].pk}
    assert ids(unit=w["traffic"].pk, role="lead") == {w["later"].pk, w["ongoing"].pk}
    assert ids(q="扬尘") == {w["overdue"].pk}
    assert ids(status="done") == {w["done"].pk}
    dues = [m["due_date"] for m in client.get("/api/measures/", {"ordering": "due_date"}).json()["results"]]
    assert [d for d in dues if d] == sorted(d for d in dues if d)
    assert client.get("/api/measures/", {"unit": "99999999999999999999999"}).status_code == 400
    assert client.get("/api/measures/99999999999999999999999/").status_code == 404


def test_units_carry_aliases_and_groups(client, viewer, known_world):
    from departments.models import Unit, UnitAlias

    ecology = known_world["ecology"]
    UnitAlias.objects.create(unit=ecology, name="生态局")
    group = Unit.objects.create(name="各委办局", district="丰台区", kind=Unit.Kind.GROUP)
    group.members.add(ecology)
    client.force_login(viewer)
    data = client.get(f"/api/units/{ecology.pk}/").json()
    assert data["aliases"][0]["name"] == "生态局" and data["groups"][0]["name"] == "各委办局"
    assert client.get("/api/units/", {"q": "生态局"}).json()["count"] == 1


def test_unit_staff_read_only_their_units_measures_and_reports(client, known_world):
    w = known_world
    client.force_login(w["staff"])  # ecology
    measures = {m["id"] for m in client.get("/api/measures/").json()["results"]}
    assert measures == {w[k].pk for k in ("done", "overdue", "soon", "later")}
    assert client.get(f"/api/measures/{w['ongoing'].pk}/").status_code == 404
    assert [r["unit"] for r in client.get("/api/monthly-reports/").json()["results"]] == [w["ecology"].pk]


def test_token_authentication(client, known_world, viewer):
    _, secret = issue_token(user=viewer, name="test")
    assert client.get("/api/plans/").status_code in (401, 403)
    response = client.get("/api/plans/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200 and response.json()["count"] == 1
