"""The OpenAPI schema, its Swagger UI (assets served by us, no CDN) and Schemathesis with every check against
it, as each role.

The same run from the command line, against a server on the demo data (`make run`), per role's token:
    st run http://127.0.0.1:8000/api/schema/?format=json -H "Authorization: Token bst_…" \\
        --checks all --max-examples 2 --seed 13 [--phases examples,fuzzing,stateful: all roles but the office]
"""

from collections import Counter

import pytest
import schemathesis
import schemathesis.config
import schemathesis.engine
import schemathesis.engine.events

from departments.api_tokens import issue_token
from reports.models import MonthlyReport
from tasks.models import Measure
from tests.dashboards.conftest import load_sample_world

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


ROLES = ("office", "staff", "leader", None)  # the demo accounts (office, unit staff, viewer) and anonymous
MAX_EXAMPLES = 2  # per operation and phase: the four roles run in about three minutes on a loaded machine
SEED = 13
# The coverage phase sends every boundary and invalid value the schema defines (some 900 calls, over two
# minutes here, whatever max-examples says). The input rules do not depend on who asks, so it runs once, as
# the office (which passes authorisation and reaches every check); the other roles run examples, fuzzing
# (valid and invalid data) and stateful sequences.
COVERAGE_ROLE = "office"


@pytest.fixture(scope="module")
def served_world(django_db_setup, django_db_blocker):
    """The sample plans with their demo activity, an API token for each demo account and a live server on
    them, once for the four roles (loading the world takes most of a minute on a loaded machine).

    Committed (the server answers from its own thread and connection) and flushed afterwards, as
    pytest-django's ``live_server`` with ``transactional_db`` does per test."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        activity = load_sample_world()["activity"]
        assert Measure.objects.count() > 100 and (MonthlyReport.objects.exists() or not activity)
        users = get_user_model().objects.filter(username__in=[r for r in ROLES if r])
        tokens = {user.username: issue_token(user=user, name="schemathesis")[1] for user in users}
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url, tokens
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def run_schemathesis(
    *, url: str, secret: str | None, loader_secret: str, coverage: bool
) -> tuple[list[str], list[int]]:
    """Schemathesis's engine as `st run --checks all --max-examples 2 --seed 13` runs it (the phases
    examples, fuzzing, stateful, and coverage if asked), over HTTP against ``url`` (the live test server: the engine's
    WSGI transport fails on its redirect-limit option). Returns the failures and the statuses."""
    settings = {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": coverage}},
    }
    if secret:
        settings["headers"] = {"Authorization": f"Token {secret}"}
    schema = schemathesis.openapi.from_url(
        f"{url}/api/schema/?format=json",
        config=schemathesis.config.SchemathesisConfig.from_dict(settings),
        headers={"Authorization": f"Token {loader_secret}"},
        timeout=120,  # building the schema takes seconds on a loaded machine (the default is 10 s)
    )
    schema.config.checks.update(included_check_names=["all"])  # as `--checks all`
    failures, statuses = [], []
    for event in schemathesis.engine.from_schema(schema).execute():
        recorder = getattr(event, "recorder", None)
        if recorder is not None:
            statuses += [i.response.status_code for i in recorder.interactions.values() if i.response]
            for nodes in recorder.checks.values():
                failures += [
                    f"{recorder.label} [{node.name}] {node.failure_info.failure.title}: "
                    f"{node.failure_info.failure.message}\n{node.failure_info.code_sample}"
                    for node in nodes
                    if node.failure_info is not None
                ]
        if isinstance(
            event, (schemathesis.engine.events.NonFatalError, schemathesis.engine.events.FatalError)
        ):
            failures.append(f"error: {event}")
    return failures, statuses


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_schemathesis_with_every_check_finds_nothing_as_each_role(role, served_world):
    """No 5xx, every answer documented and shaped as documented, valid input accepted and invalid refused,
    authentication enforced: for the office, a unit's staff, a leader and without signing in."""
    url, tokens = served_world
    failures, statuses = run_schemathesis(
        url=url, secret=tokens.get(role), loader_secret=tokens["office"], coverage=role == COVERAGE_ROLE
    )
    print(f"{role or 'anonymous'}: {len(statuses)} calls, statuses {sorted(Counter(statuses).items())}")
    coverage = role == COVERAGE_ROLE
    assert len(statuses) > (1000 if coverage else 50)
    if role is None:
        assert set(statuses) <= {401, 404, 405}  # nothing without credentials
    else:
        assert sum(200 <= s < 300 for s in statuses) > (200 if coverage else 20)  # not only refusals
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(dict.fromkeys(failures))
