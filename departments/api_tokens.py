"""API tokens: issued with a name and an expiry, stored hashed, shown once, revoked when trust ends.

DRF's own Token kept the key in clear (the admin showed it in full), never expired and survived a
password reset. Here the secret is ``bst_`` + 40 random characters; only its SHA-256 is stored, with
the first characters as a prefix to tell tokens apart. A password change or a deactivation revokes
every token of the account (the signal below: every way of changing a password goes through
``User.save``). A request made with a token is recorded in the audit log as its owner, naming the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken

SECRET_PREFIX = "bst_"
DEFAULT_DAYS = 90
MAX_DAYS = 365


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token and its secret (to show once; it cannot be read back)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"有效期应为 1 到 {MAX_DAYS} 天。")
    secret = SECRET_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "API",
        prefix=secret[:12],
        digest=_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, secret


def revoke_token(*, token: ApiToken, reason: str) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = reason[:100]
        token.save(update_fields=["revoked_at", "revoked_reason"])


def revoke_all(*, user, reason: str) -> int:
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        revoke_token(token=token, reason=reason)  # one by one: each revocation is in the audit log
    return len(tokens)


def find_live_token(secret: str) -> ApiToken | None:
    candidates = (
        ApiToken.objects.live().select_related("user__office_scope__jurisdiction").filter(prefix=secret[:12])
    )
    digest = _digest(secret)
    return next((t for t in candidates if hmac.compare_digest(t.digest, digest)), None)


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token bst_…`` (or ``Bearer``) against the hashed tokens."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() not in (b"token", b"bearer"):
            return None
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        token = find_live_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已撤销。")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        _record_token_as_actor(token)
        return token.user, token


def _record_token_as_actor(token: ApiToken) -> None:
    """The audit log's middleware ran before the API knew the user: name the owner and the token now."""
    from auditlog.context import auditlog_value

    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = token.user
    context["additional_data"] = {"api_token": str(token), "api_token_id": token.pk}


@receiver(pre_save, sender=get_user_model(), dispatch_uid="revoke_tokens_when_trust_ends")
def _revoke_when_trust_ends(sender, instance, **kwargs):
    update_fields = kwargs.get("update_fields")
    if (
        instance.pk is None
        or kwargs.get("raw")
        or (update_fields and not {"password", "is_active"} & set(update_fields))
    ):
        return  # e.g. the last_login stamp at every sign-in
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        revoke_all(user=instance, reason="密码已更改")
    elif before["is_active"] and not instance.is_active:
        revoke_all(user=instance, reason="账号已停用")
