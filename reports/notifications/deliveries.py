"""Sending the digests: each delivery is claimed by one process (a conditional UPDATE of its attempt counter),
sent through its channel, and on failure retried with exponential backoff (see reminders.py, step 2).

Deliveries go in batches of ``BATCH``. A batch's in-app notices are written in the same transaction as their
"sent" mark. Its e-mails (and webhook posts) are marked sent together, in one UPDATE once the last has left —
also when an unexpected error stops the batch half-way: those that left are marked, the others are retried
after their backoff. Only a process killed outright in the middle of a batch (SIGKILL, the machine losing
power) leaves the e-mails that already left unmarked: when their claim lapses (the backoff) they are sent
again. That is the choice: a duplicate e-mail, never a lost one. An office that reads a reminder twice loses
nothing; a reminder that never arrives is a deadline nobody was told of. (Marking each e-mail as it left
narrowed the window to one e-mail but cost a city's morning run 2,000 UPDATEs.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from reports.models import Delivery, Reminder

from . import channels

# Any constant: the key of the PostgreSQL advisory lock that serialises composing and claiming.
_LOCK_KEY = 0x626C7565  # "blue"
BATCH = 200  # deliveries claimed and sent together by deliver_due


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


def due_deliveries(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    return (
        Delivery.objects.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.FAILED],
            attempts__lt=settings.BLUESKY_DELIVERY_MAX_ATTEMPTS,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
    )


def _claim_batch(seen: dict[int, int], now: dt.datetime) -> list[Delivery]:
    """Take this attempt of each delivery of ``seen`` (id → attempts when read) that no other process took since
    (its attempt counter moved, or it was sent): the lease of an attempt is its backoff. Returns the deliveries
    taken, as they now stand (a digest rewritten meanwhile is sent as rewritten), with their recipients."""
    with transaction.atomic():
        digest_lock()
        current = Delivery.objects.filter(pk__in=seen).exclude(state=Delivery.State.SENT)
        mine: dict[int, list[int]] = defaultdict(list)  # attempts → ids
        for pk, attempts in current.values_list("pk", "attempts"):
            if attempts == seen[pk]:
                mine[attempts].append(pk)
        for attempts, pks in mine.items():
            Delivery.objects.filter(pk__in=pks).update(
                attempts=F("attempts") + 1, next_attempt_at=now + _backoff(attempts + 1)
            )
    claimed = [pk for pks in mine.values() for pk in pks]
    return list(Delivery.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk"))


def _mark_sent(pks: list[int]) -> None:
    Delivery.objects.filter(pk__in=pks).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )


def _mark_outcomes(sent: list[int], failed: dict[str, list[int]]) -> None:
    """Record what became of a batch's e-mails and webhook posts: one UPDATE for those sent, one per error."""
    if sent:
        _mark_sent(sent)
    for error, pks in failed.items():
        Delivery.objects.filter(pk__in=pks).update(state=Delivery.State.FAILED, last_error=error)


def _send_batch(deliveries: list[Delivery]) -> tuple[int, int]:
    """Send claimed deliveries: the in-app ones together with their "sent" mark (one transaction), the others one
    by one (e-mail over one SMTP connection), marked together once the last has gone or the batch stopped on an
    unexpected error (see the module's docstring). Returns (sent, failed)."""
    in_app = [d for d in deliveries if d.channel == Delivery.Channel.IN_APP]
    if in_app:
        with transaction.atomic():
            channels.send_in_app_many(in_app)
            _mark_sent([d.pk for d in in_app])
    sent: list[int] = []
    failed: dict[str, list[int]] = defaultdict(list)  # error → ids
    try:
        with channels.email_connection() as connection:
            for delivery in deliveries:
                if delivery.channel == Delivery.Channel.IN_APP:
                    continue
                try:
                    channels.send(delivery, email_connection=connection)
                except channels.ChannelError as exc:
                    failed[str(exc)[:2000]].append(delivery.pk)
                    channels.close_quietly(connection)
                    continue
                sent.append(delivery.pk)
    finally:
        _mark_outcomes(sent, failed)
    return len(in_app) + len(sent), sum(len(pks) for pks in failed.values())


def deliver_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send every delivery that is pending or whose backoff has passed, in batches; returns (sent, failed)."""
    now = now or timezone.now()
    due = list(due_deliveries(now=now).values_list("pk", "attempts"))
    sent = failed = 0
    for start in range(0, len(due), BATCH):
        claimed = _claim_batch(dict(due[start : start + BATCH]), now)
        batch_sent, batch_failed = _send_batch(claimed)
        sent, failed = sent + batch_sent, failed + batch_failed
    return sent, failed
