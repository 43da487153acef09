"""API tokens: hashed at rest, shown once, expiring, revoked when trust ends, recorded with their use."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from departments.api_tokens import issue_token
from departments.models import ApiToken
from tests.factories import UnitFactory, make_user

pytestmark = pytest.mark.django_db


def _get(client, secret, url="/api/plans/"):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {secret}")


def test_a_token_is_stored_hashed_and_shown_once_on_the_tokens_page(client, office_admin):
    client.force_login(office_admin)
    issued = client.post(reverse("api_tokens"), {"name": "区数据平台对接", "days": 30})
    secret = issued.context["secret"]
    assert secret.startswith("bst_") and secret in issued.content.decode()
    assert issued["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get()
    assert secret not in (token.digest, token.prefix) and len(token.digest) == 64
    assert secret not in client.get(reverse("api_tokens")).content.decode()  # never again
    client.logout()
    assert _get(client, secret).status_code == 200


def test_an_expired_or_revoked_token_is_refused_in_chinese(client, office_admin):
    token, secret = issue_token(user=office_admin, name="对接", days=1)
    assert _get(client, secret).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused = _get(client, secret)
    assert refused.status_code in (401, 403) and "过期" in refused.json()["detail"]
    token2, secret2 = issue_token(user=office_admin, name="对接2")
    client.force_login(office_admin)
    client.post(reverse("api_token_revoke", args=[token2.pk]))
    client.logout()
    assert _get(client, secret2).status_code in (401, 403)


def test_a_password_change_or_deactivation_revokes_every_token(client, office_admin):
    staff = make_user("s-token", "unit_staff", units=[UnitFactory()])
    _, staff_secret = issue_token(user=staff, name="a")
    viewer = make_user("v-token", "viewer")
    _, viewer_secret = issue_token(user=viewer, name="b")
    staff.set_password("Another-pass-2026")
    staff.save()
    assert _get(client, staff_secret).status_code in (401, 403)
    assert ApiToken.objects.get(user=staff).revoked_reason == "密码已更改"
    client.force_login(office_admin)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_accounts", "_selected_action": [viewer.pk]},
    )
    client.logout()
    assert _get(client, viewer_secret).status_code in (401, 403)


def test_a_change_made_with_a_token_is_recorded_as_its_owner_naming_the_token(client, known_world):
    from tasks.models import ProgressUpdate

    w = known_world
    staff = w["staff"]
    token, secret = issue_token(user=staff, name="区平台")
    measure = w["soon"]
    response = client.post(
        "/api/progress-updates/",
        {
            "measure": measure.pk,
            "status": "in_progress",
            "percent": 30,
            "note": "通过接口报送",
            "expected_version": measure.version,
        },
        HTTP_AUTHORIZATION=f"Token {secret}",
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    update = ProgressUpdate.objects.get(note="通过接口报送")
    entry = LogEntry.objects.get_for_object(update).get()
    assert entry.actor == staff and entry.additional_data["api_token_id"] == token.pk


def test_staff_see_and_revoke_only_their_own_tokens(client, office_admin):
    staff = make_user("s-own", "unit_staff", units=[UnitFactory()])
    office_token, _ = issue_token(user=office_admin, name="office-only")
    client.force_login(staff)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "office-only" not in page
    assert client.post(reverse("api_token_revoke", args=[office_token.pk])).status_code == 404
