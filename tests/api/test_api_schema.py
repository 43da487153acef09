"""The OpenAPI schema, its Swagger UI (assets served by us, no CDN) and Schemathesis with every check against
it, as each role.

The same run from the command line, against a server on the demo data (`make run`), per role's token:
    st run http://127.0.0.1:8000/api/schema/?format=json -H "Authorization: Token bst_…" \\
        --checks all --max-examples 10 --seed 13
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
MAX_EXAMPLES = 10
SEED = 13


@pytest.fixture
def tokens(sample_world, django_user_model):
    """An API token for each demo account, on the sample plans with their demo activity (committed: the
    Schemathesis engine calls the app from its own thread)."""
    assert Measure.objects.count() > 100 and (MonthlyReport.objects.exists() or not sample_world["activity"])
    users = django_user_model.objects.filter(username__in=[r for r in ROLES if r])
    return {user.username: issue_token(user=user, name="schemathesis")[1] for user in users}


def run_schemathesis(*, url: str, secret: str | None, loader_secret: str) -> tuple[list[str], list[int]]:
    """Schemathesis's engine as `st run --checks all --max-examples 10 --seed 13` runs it (every phase:
    examples, coverage, fuzzing, stateful), over HTTP against ``url`` (the live test server: the engine's
    WSGI transport fails on its redirect-limit option). Returns the failures and the statuses."""
    settings = {"seed": SEED, "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True}}
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
def test_schemathesis_with_every_check_finds_nothing_as_each_role(role, tokens, live_server):
    """No 5xx, every answer documented and shaped as documented, valid input accepted and invalid refused,
    authentication enforced: for the office, a unit's staff, a leader and without signing in."""
    failures, statuses = run_schemathesis(
        url=live_server.url, secret=tokens.get(role), loader_secret=tokens["office"]
    )
    print(f"{role or 'anonymous'}: {len(statuses)} calls, statuses {sorted(Counter(statuses).items())}")
    assert len(statuses) > 200
    if role is None:
        assert set(statuses) <= {401, 404, 405}  # nothing without credentials
    else:
        assert sum(200 <= s < 300 for s in statuses) > 50  # not only refusals
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(dict.fromkeys(failures))
