"""The notification bell in the page header: the signed-in user's unread count, counted only when shown."""

from __future__ import annotations

from functools import cache


def notification_bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        # A callable, so pages that do not show the bell (the admin, downloads) never run the query.
        from .models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"notification_unread_count": unread}
