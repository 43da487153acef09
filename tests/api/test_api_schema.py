"""The OpenAPI schema, its Swagger UI (assets served by us, no CDN) and a Schemathesis run against it."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from departments.api_tokens import issue_token
from reports.models import MonthlyReport
from tasks.models import Measure

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_served_to_signed_in_users(client, viewer):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(viewer)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/measures/",
        "/api/units/",
        "/api/monthly-reports/{id}/submit/",
        "/api/rankings/",
        "/api/progress-updates/",
        "/api/assignments/",
        "/api/ranking-rows/",
    ):
        assert path in schema["paths"], path
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


@pytest.fixture
def wsgi_app():
    """Django's WSGI app inside the test transaction: keep the connection open between requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_response_off_schema(
    sample_world, django_user_model, wsgi_app
):
    """On the sample plans with their demo activity: every operation, a few generated requests each."""
    assert Measure.objects.count() > 100 and (MonthlyReport.objects.exists() or not sample_world["activity"])
    _, secret = issue_token(
        user=django_user_model.objects.get(username="office"), name="schemathesis"
    )  # the demo office admin
    headers = {"Authorization": f"Token {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    checks = [not_a_server_error, response_schema_conformance]
    failures, operations, calls = [], 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call_and_validate(headers=headers, checks=checks)
            calls.append(response.status_code)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 20 and len(calls) >= 2 * operations
    assert calls.count(200) + calls.count(201) >= operations  # not only refusals
    assert not failures, "\n\n".join(failures)
