"""Sending the digests: each delivery is claimed by one process (a conditional UPDATE of its attempt counter),
sent through its channel, and on failure retried with exponential backoff (see reminders.py, step 3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from reports.models import Delivery, Reminder

from . import channels

# Any constant: the key of the PostgreSQL advisory lock that serialises composing and claiming.
_LOCK_KEY = 0x626C7565  # "blue"


def digest_lock() -> None:
    """Serialise composing and claiming across processes until the transaction ends."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        else:
            # A write that changes nothing: SQLite takes its database write lock now, not at the first real write.
            cursor.execute(f"UPDATE {Reminder._meta.db_table} SET id = id WHERE 1 = 0")


def _backoff(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.BLUESKY_DELIVERY_RETRY_SECONDS * 2 ** (attempt - 1))


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    """Take this attempt of the delivery, or learn that another process did. Its lease is the backoff."""
    with transaction.atomic():
        digest_lock()
        return bool(
            Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
            .exclude(state=Delivery.State.SENT)
            .update(attempts=F("attempts") + 1, next_attempt_at=now + _backoff(delivery.attempts + 1))
        )


def deliver(delivery: Delivery, *, now: dt.datetime | None = None) -> bool | None:
    """Send one delivery once: True sent, False failed (retried later), None taken by another process."""
    now = now or timezone.now()
    if not _claim(delivery, now):
        return None
    delivery.refresh_from_db()
    try:
        with transaction.atomic():  # the in-app notification and the "sent" mark commit together
            channels.send(delivery)
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
            )
    except channels.ChannelError as exc:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED, last_error=str(exc)[:2000]
        )
        return False
    return True


def due_deliveries(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    return (
        Delivery.objects.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.FAILED],
            attempts__lt=settings.BLUESKY_DELIVERY_MAX_ATTEMPTS,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("recipient")
        .order_by("pk")
    )


def deliver_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send every delivery that is pending or whose backoff has passed; returns (sent, failed)."""
    sent = failed = 0
    for delivery in due_deliveries(now=now):
        outcome = deliver(delivery, now=now)
        sent += outcome is True
        failed += outcome is False
    return sent, failed
