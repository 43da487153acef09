"""What the page header shows of an account's rights: the 操作日志 link only for those the page lets in."""

from __future__ import annotations

from functools import cache


def audit_log_link(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def can_read() -> bool:
        # A callable, so pages without the header (the admin, downloads) never ask for the scope.
        from .audit import can_read_audit_log

        return can_read_audit_log(user)

    return {"can_read_audit_log": can_read}
