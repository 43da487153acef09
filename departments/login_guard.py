"""Throttling sign-in (登录限流) so that guessing is slow and no one can lock a user out for everyone.

Three counts of failed sign-ins, each over a sliding window (15 minutes by default):

- **a username from one address**: 5 failures block that username from that address;
- **one address, any usernames**: 20 failures block the address (spraying one password
  over many accounts is stopped, and only the sprayer's address is blocked);
- **one account, any addresses**: past 10 failures the account is only *slowed down*:
  each further attempt waits 2, 4, 8 … seconds (at most 5 minutes) after the last
  failure. A browser that has signed in to the account before (a signed "known device"
  cookie) is not slowed, so the owner still signs in while someone else guesses.

The address is the client's (``bluesky.client_address``: ``X-Forwarded-For`` only from a
trusted proxy). Counts live in Django's cache (Redis in production, shared by every web
worker; the database while Redis is down, ``bluesky/cache.py``).

The check sits in the authentication backend, so every way of signing in (the login
page, the admin's login) is covered; the login form turns a refusal into its Chinese message.

Why not django-axes: it needs its own tables, middleware and settings for what is here a
few cache keys, and it locks accounts (the lock-out-for-everyone this module avoids).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from bluesky import rate_counts
from bluesky.client_address import client_address

DEVICE_COOKIE = "bluesky_known_device"
DEVICE_SALT = "departments.login_guard.known-device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def window_seconds() -> int:
    return _setting("LOGIN_GUARD_WINDOW_SECONDS", 15 * 60)


def lockout_seconds() -> int:
    return _setting("LOGIN_GUARD_LOCKOUT_SECONDS", 15 * 60)


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _name(username: str) -> str:
    return username.strip().lower()


def _count_failure(key: str, now: float) -> int:
    return rate_counts.count(key, window_seconds(), now)


def _pair_key(kind: str, username: str, ip: str) -> str:
    return f"login-guard:{kind}:{_digest(_name(username), ip)}"


def _address_key(kind: str, ip: str) -> str:
    return f"login-guard:address-{kind}:{_digest(ip)}"


def _account_key(username: str) -> str:
    return f"login-guard:account-fail:{_digest(_name(username))}"


def _blocked(key: str) -> bool:
    until = cache.get(key)
    return until is not None and until > time.time()


def _minutes() -> int:
    return max(1, round(lockout_seconds() / 60))


def is_locked(username: str, ip: str) -> bool:
    """Whether this username is blocked from this address (too many failures of it from there)."""
    return _blocked(_pair_key("lock", username, ip))


def is_address_blocked(ip: str) -> bool:
    return _blocked(_address_key("block", ip))


def account_wait_seconds(username: str, now: float | None = None) -> int:
    """Seconds an unknown browser must still wait before trying this account again (0: none)."""
    now = time.time() if now is None else now
    failures = rate_counts.recent(_account_key(username), window_seconds(), now)
    excess = len(failures) - _setting("LOGIN_GUARD_ACCOUNT_SLOWDOWN_AFTER", 10)
    if excess <= 0:
        return 0
    delay = min(2**excess, _setting("LOGIN_GUARD_MAX_DELAY_SECONDS", 5 * 60))
    return max(0, int(failures[-1] + delay - now + 0.999))


def is_known_device(request, username: str) -> bool:
    if request is None:
        return False
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    return value == _digest(_name(username))


def remember_device(response, username: str) -> None:
    """Mark the browser that just signed in to ``username``, so the account-wide slow-down spares it."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        _digest(_name(username)),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def refusal(username: str, request) -> str | None:
    """Why an attempt to sign in as ``username`` is refused before its password is checked, or None."""
    ip = client_address(request)
    if is_address_blocked(ip):
        return gettext("该地址登录失败次数过多，已被暂时阻止，请 %(minutes)d 分钟后再试。") % {
            "minutes": _minutes()
        }
    if is_locked(username, ip):
        return gettext(
            "登录失败次数过多，该账号已被暂时锁定，请 %(minutes)d 分钟后再试；忘记密码可通过“忘记密码”重置。"
        ) % {"minutes": _minutes()}
    wait = account_wait_seconds(username)
    if wait and not is_known_device(request, username):
        return gettext("该账号近期登录失败较多，为保护账号请 %(seconds)d 秒后再试。") % {"seconds": wait}
    return None


def record_failure(username: str, ip: str) -> bool:
    """Count a failure in all three counts; return whether the username is now blocked from this address."""
    now = time.time()
    _count_failure(_account_key(username), now)
    if _count_failure(_address_key("fail", ip), now) >= _setting("LOGIN_GUARD_ADDRESS_MAX_FAILURES", 20):
        cache.set(_address_key("block", ip), now + lockout_seconds(), lockout_seconds())
        cache.delete(_address_key("fail", ip))
    if _count_failure(_pair_key("fail", username, ip), now) >= _setting("LOGIN_GUARD_MAX_FAILURES", 5):
        cache.set(_pair_key("lock", username, ip), now + lockout_seconds(), lockout_seconds())
        cache.delete(_pair_key("fail", username, ip))
    return is_locked(username, ip) or is_address_blocked(ip)


def record_success(username: str, ip: str) -> None:
    """A right password ends this username's counts; the address's stays (a sprayer could reset it)."""
    cache.delete_many(
        [_pair_key("fail", username, ip), _pair_key("lock", username, ip), _account_key(username)]
    )


def clear(username: str, ip: str) -> None:
    """Forget every count for this username and address (tests, and an office unblocking someone)."""
    record_success(username, ip)
    cache.delete_many([_address_key("fail", ip), _address_key("block", ip)])


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a throttled attempt and counts failures.

    It loads a signed-in user with the jurisdiction the account works for (departments/scopes.py), so
    no page pays a query to learn what it may show.
    """

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("office_scope__jurisdiction")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        reason = refusal(username, request)
        if reason:
            raise PermissionDenied(reason)  # stops Django trying any other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, client_address(request))
        else:
            record_success(username, client_address(request))
        return user


class GuardedAuthenticationForm(AuthenticationForm):
    """The login form, saying why a throttled attempt is refused."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        reason = refusal(username, self.request) if username else None
        if reason:
            raise ValidationError(reason, code="locked")
        try:
            return super().clean()
        except ValidationError:
            reason = refusal(username, self.request) if username else None
            if reason:  # this failure was the last one allowed
                raise ValidationError(reason, code="locked")
            raise


class GuardedLoginView(LoginView):
    """The login page: the guarded form, and a signed-in browser remembered as a known device."""

    authentication_form = GuardedAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        remember_device(response, form.get_user().get_username())
        return response
