"""Rate-limiting password reset (找回密码): e-mails per account, requests per address.

- **per account**: at most 3 reset e-mails to one account per hour; past that the request
  is answered exactly as any other (the same "邮件已发送" page) and nothing is sent, so
  the page never tells whether an address belongs to an account or was throttled;
- **per address**: at most 10 reset requests from one client address per hour, whatever
  e-mail they name; past that the form says so in Chinese (it names no account, so it
  tells an attacker nothing about who has one).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.utils.translation import gettext

from bluesky import rate_counts
from bluesky.client_address import client_address

HOUR = 3600


def _per_account() -> int:
    return getattr(settings, "PASSWORD_RESET_MAX_PER_ACCOUNT", 3)


def _per_address() -> int:
    return getattr(settings, "PASSWORD_RESET_MAX_PER_ADDRESS", 10)


def _account_key(user) -> str:
    return f"reset-guard:account:{user.pk}"


def _address_key(ip: str) -> str:
    return f"reset-guard:address:{ip}"


def address_over_limit(ip: str) -> bool:
    """Count this reset request from ``ip``; whether it is past the hourly limit."""
    return rate_counts.count(_address_key(ip), HOUR) > _per_address()


def account_may_receive(user) -> bool:
    """Whether another reset e-mail may go to this account now (and count it if so)."""
    if len(rate_counts.recent(_account_key(user), HOUR)) >= _per_account():
        return False
    rate_counts.count(_account_key(user), HOUR)
    return True


def forget(*, ip: str = "", users=()) -> None:
    cache.delete_many([_address_key(ip), *(_account_key(user) for user in users)])


class GuardedPasswordResetForm(PasswordResetForm):
    """Django's reset form that skips accounts that had their hourly e-mails already."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if account_may_receive(user))


class GuardedPasswordResetView(PasswordResetView):
    form_class = GuardedPasswordResetForm

    def form_valid(self, form):
        if address_over_limit(client_address(self.request)):
            form.add_error(None, gettext("找回密码的请求过于频繁，请一小时后再试。"))
            return self.form_invalid(form)
        return super().form_valid(form)
