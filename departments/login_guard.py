"""Refusing sign-in after repeated failures (登录失败锁定).

Five failed sign-ins for one username from one IP address within fifteen
minutes lock that username from that address for fifteen minutes. Counts live
in Django's cache (Redis in production, so every web worker shares them).

The check sits in the authentication backend, so every way of signing in
(the login page, the admin's login) is covered; the login form only turns a
lock into a clear Chinese message.

Why not django-axes: it needs its own tables, middleware and settings for what
is here a few cache keys; the rule the office asked for is this small.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError


def max_failures() -> int:
    return getattr(settings, "LOGIN_GUARD_MAX_FAILURES", 5)


def window_seconds() -> int:
    return getattr(settings, "LOGIN_GUARD_WINDOW_SECONDS", 15 * 60)


def lockout_seconds() -> int:
    return getattr(settings, "LOGIN_GUARD_LOCKOUT_SECONDS", 15 * 60)


def locked_message() -> str:
    minutes = max(1, round(lockout_seconds() / 60))
    return f"登录失败次数过多，该账号已被暂时锁定，请 {minutes} 分钟后再试；忘记密码可通过“忘记密码”重置。"


def client_ip(request) -> str:
    """The peer address. X-Forwarded-For is not trusted: anyone can write it."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _key(kind: str, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{ip}".encode()).hexdigest()[:40]
    return f"login-guard:{kind}:{digest}"


def is_locked(username: str, ip: str) -> bool:
    until = cache.get(_key("lock", username, ip))
    return until is not None and until > time.time()


def record_failure(username: str, ip: str) -> bool:
    """Count a failure; return whether the username is now locked from this address."""
    now = time.time()
    key = _key("fail", username, ip)
    failures = [t for t in cache.get(key, []) if t > now - window_seconds()]
    failures.append(now)
    if len(failures) >= max_failures():
        cache.set(_key("lock", username, ip), now + lockout_seconds(), lockout_seconds())
        cache.delete(key)
        return True
    cache.set(key, failures, window_seconds())
    return False


def clear(username: str, ip: str) -> None:
    cache.delete_many([_key("fail", username, ip), _key("lock", username, ip)])


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses a locked username and counts failures.

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
        ip = client_ip(request)
        if is_locked(username, ip):
            raise PermissionDenied(locked_message())  # stops Django trying any other backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, ip)
        else:
            clear(username, ip)
        return user


class GuardedAuthenticationForm(AuthenticationForm):
    """The login form, saying why a locked username is refused."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if username and is_locked(username, ip):
            raise ValidationError(locked_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if username and is_locked(username, ip):  # this failure was the last one allowed
                raise ValidationError(locked_message(), code="locked")
            raise
