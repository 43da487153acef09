"""The API answers as its schema says: 401 without credentials, JSON 404s, typed filters (empty = no filter,
malformed or repeated = 400), 404 for a body naming nothing, 409 for a state that refuses a valid request,
JSON bodies only. Schemathesis checks the same across every operation (test_api_schema.py); these pin each
rule down on a small world."""

import pytest
from django.utils import timezone

from tasks.models import Measure

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_without_credentials_the_api_answers_401_naming_the_token_scheme(client, known_world):
    response = client.get("/api/plans/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_an_address_under_api_that_names_nothing_is_a_json_404(client, known_world, viewer):
    client.force_login(viewer)
    for url in ("/api/plans/abc/", "/api/plans/-1/", "/api/nothing-here/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json() == {"detail": "未找到。"}, url
    assert client.get("/api/plans/99999999999999999/").status_code == 404
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]  # the site keeps its page


def test_an_empty_filter_is_no_filter(client, known_world, viewer):
    client.force_login(viewer)
    everything = client.get("/api/measures/").json()["count"]
    for name in ("plan", "unit", "chapter", "needs_review", "district", "status", "year", "page", "ordering"):
        response = client.get("/api/measures/", {name: ""})
        assert response.status_code == 200 and response.json()["count"] == everything, name


@pytest.mark.parametrize(
    "query",
    [
        {"needs_review": "maybe"},
        {"plan": "0"},
        {"year": "1.5"},
        {"unit": "-3"},
    ],
)
def test_a_malformed_filter_is_a_400_not_all_rows(client, known_world, viewer, query):
    client.force_login(viewer)
    response = client.get("/api/measures/", query)
    assert response.status_code == 400 and set(response.json()) == set(query)


def test_a_filter_given_twice_is_a_400_naming_it(client, known_world, viewer):
    client.force_login(viewer)
    response = client.get("/api/units/?kind=district_bureau&kind=other")
    assert response.status_code == 400 and response.json() == {"kind": ["该参数只能给一次。"]}


def test_an_ordering_or_district_with_a_nul_character_is_a_400_and_an_unknown_field_is_ignored(
    client, known_world, viewer
):
    client.force_login(viewer)
    response = client.get("/api/measures/", {"ordering": "due_date\x00"})
    assert response.status_code == 400 and response.json() == {"ordering": ["不能包含空字符（NUL）。"]}
    assert client.get("/api/measures/", {"ordering": "no_such_field"}).status_code == 200
    for path in ("/api/measures/", "/api/units/"):  # an open choice (the districts) too, not a database error
        response = client.get(path, {"district": "东城\x00"})
        assert response.status_code == 400 and response.json() == {"district": ["不能包含空字符（NUL）。"]}


def test_booleans_read_true_and_false_and_a_plan_of_nothing_finds_nothing(client, known_world, viewer):
    client.force_login(viewer)
    everything = client.get("/api/measures/").json()["count"]
    yes = client.get("/api/measures/", {"needs_review": "true"}).json()["count"]
    no = client.get("/api/measures/", {"needs_review": "false"}).json()["count"]
    assert yes + no == everything
    assert client.get("/api/measures/", {"plan": 2**40}).json()["count"] == 0
    assert client.get("/api/measures/", {"district": "没有这个区"}).json()["count"] == 0


def test_a_body_naming_a_measure_or_unit_of_nothing_is_a_404(client, known_world):
    client.force_login(known_world["staff"])
    response = post(client, "/api/progress-updates/", {"measure": 2**40, "status": "done", "note": "x"})
    assert response.status_code == 404 and response.json() == {"detail": "没有这项措施。"}
    response = post(client, "/api/monthly-reports/", {"unit": 2**40, "period": "2026-01-01"})
    assert response.status_code == 404 and response.json() == {"detail": "没有这个单位。"}


def test_progress_on_a_signed_off_measure_is_a_409(client, known_world):
    w = known_world
    Measure.objects.filter(pk=w["soon"].pk).update(signed_off_at=timezone.now())
    client.force_login(w["staff"])
    response = post(
        client, "/api/progress-updates/", {"measure": w["soon"].pk, "status": "done", "note": "x"}
    )
    assert response.status_code == 409 and "销号" in response.json()["detail"]


def test_the_api_reads_json_bodies_only(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    response = client.post("/api/progress-updates/", {"measure": w["soon"].pk, "status": "done", "note": "x"})
    assert response.status_code == 415


def test_the_schema_documents_every_error_and_empty_filters(client, viewer):
    client.force_login(viewer)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/schema/" not in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert parameter["allowEmptyValue"] is True, (path, parameter)
                    if parameter["name"] not in ("page", "ordering", "q", "district"):
                        assert (
                            "enum" in parameter["schema"]
                            or parameter["schema"]["type"] != "string"
                            or ("format" in parameter["schema"])
                        ), (path, parameter)
    measures = {p["name"]: p["schema"] for p in schema["paths"]["/api/measures/"]["get"]["parameters"]}
    assert measures["plan"] == {"type": "integer", "minimum": 1, "maximum": 2**62}
    assert measures["year"]["minimum"] == 1900 and measures["needs_review"]["type"] == "boolean"
