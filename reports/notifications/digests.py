"""Step 1 of the reminder run (reminders.py): the new reminders recorded, and with those not yet sent gathered
into each person's digest of the day, one ``Delivery`` per channel, under the lock that serialises composing and
claiming. Each new reminder is inserted already in its digest (no second pass over a city's 45,000 rows)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from reports.models import Delivery, NotificationPreference, Reminder

from . import channels
from .deliveries import digest_lock
from .recording import insert_reminders

Kind = Reminder.Kind


KIND_ORDER = [
    Kind.OVERDUE_ESCALATED,
    Kind.REPORTS_MISSING,
    Kind.OVERDUE,
    Kind.DEADLINE_TODAY,
    Kind.REPORT_TODAY,
    Kind.DEADLINE_AHEAD,
    Kind.REPORT_AHEAD,
]


def digest_text(reminders: list, run_date: dt.date) -> tuple[str, str]:
    """The subject and body of one person's digest: reminders (anything with their kind, subject, due_date and
    text) grouped by kind, most urgent first."""
    by_kind: dict[str, list] = defaultdict(list)
    for reminder in reminders:
        by_kind[reminder.kind].append(reminder)
    subject = f"【蓝天保卫战】{run_date:%Y-%m-%d} 提醒：共 {len(reminders)} 项"
    lines = []
    for kind in KIND_ORDER:
        items = sorted(by_kind.get(kind, []), key=lambda r: (r.due_date, r.subject))
        if items:
            lines.append(f"{Kind(kind).label}（{len(items)}）")
            lines += [f"  · {r.text}" for r in items]
            lines.append("")
    return subject, "\n".join(lines).rstrip() + "\n"


@transaction.atomic
def record_and_compose(due: list, *, run_date: dt.date) -> tuple[int, int]:
    """Record the reminders of ``due`` not recorded yet (anything with recipient_id, kind, subject, due_date and
    text), each already in its recipient's digest of ``run_date``, and gather into that digest the reminders
    recorded earlier and not yet sent. Returns (reminders recorded, deliveries created).

    A fixed number of queries whatever the number of people (one per person only for a digest composed
    earlier the same day and not yet attempted, which is rewritten with what joined it). Under the lock, no
    other run records or composes meanwhile: the reminders read as recorded are all there are.
    """
    digest_lock()
    new = not_recorded(due)
    already_out = set(
        Delivery.objects.filter(run_date=run_date, attempts__gt=0).values_list("recipient_id", flat=True)
    )
    waiting = set(
        Reminder.objects.filter(digest_date__isnull=True)
        .exclude(recipient_id__in=already_out)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    recipients = (waiting | {r.recipient_id for r in new}) - already_out
    todays = _recorded_for_today(
        recipients, run_date
    )  # rows with what digest_text reads, not model instances
    earlier = set(todays)  # people with reminders recorded before this run, joining today's digest
    for reminder in new:
        if reminder.recipient_id in recipients:
            todays[reminder.recipient_id].append(reminder)
    if not todays:
        return _insert(new, {}, run_date), 0
    deliveries, first_channel, pk_of = _deliveries(todays, run_date)
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    pk_of.update({(d.recipient_id, d.channel): d.pk for d in deliveries})
    _join_digests({user_id: first_channel[user_id] for user_id in earlier}, run_date)
    delivery_of = {user_id: channel and pk_of[user_id, channel] for user_id, channel in first_channel.items()}
    return _insert(new, delivery_of, run_date), len(deliveries)


def record_undigested(due: list) -> int:
    """Record the reminders of ``due`` not recorded yet outside any digest (the next run gathers them into a digest);
    returns how many were recorded."""
    with transaction.atomic():
        digest_lock()
        return _insert(not_recorded(due), {}, None)


def not_recorded(due: list) -> list:
    """The reminders of ``due`` whose key (recipient, subject, kind, due date) is not recorded yet."""
    if not due:
        return []
    recorded = set(
        Reminder.objects.filter(
            recipient_id__in={r.recipient_id for r in due}, due_date__in={r.due_date for r in due}
        ).values_list("recipient_id", "subject", "kind", "due_date")
    )
    return [r for r in due if (r.recipient_id, r.subject, r.kind, r.due_date) not in recorded]


def _recorded_for_today(recipient_ids: set[int], run_date: dt.date) -> dict[int, list]:
    """The recorded reminders of ``recipient_ids`` for their digest of ``run_date``: the unsent ones and those of
    a digest composed earlier today and not yet attempted."""
    todays: dict[int, list] = defaultdict(list)
    if not recipient_ids:
        return todays
    joining = Q(recipient_id__in=recipient_ids) & (Q(digest_date__isnull=True) | Q(digest_date=run_date))
    for reminder in Reminder.objects.filter(joining).values_list(
        "recipient_id", "kind", "subject", "due_date", "text", named=True
    ):
        todays[reminder.recipient_id].append(reminder)
    return todays


def _deliveries(
    todays: dict[int, list], run_date: dt.date
) -> tuple[list[Delivery], dict[int, str | None], dict[tuple[int, str], int]]:
    """The new deliveries of each person's digest (a digest composed earlier today and not yet attempted is
    rewritten in place), the first channel each person's digest goes on (None: no channel), and the ids of
    the deliveries composed earlier today by (person, channel)."""
    existing = {
        (d.recipient_id, d.channel): d.pk
        for d in Delivery.objects.filter(recipient_id__in=todays, run_date=run_date).only(
            "recipient_id", "channel"
        )
    }
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=todays)}
    new, first_channel = [], {}
    for user in get_user_model().objects.filter(pk__in=todays).only("email"):
        subject, body = digest_text(todays[user.pk], run_date)
        chosen = channels.channels_for(user, preferences.get(user.pk) or NotificationPreference(user=user))
        first_channel[user.pk] = chosen[0] if chosen else None
        for channel in chosen:
            pk = existing.get((user.pk, channel))
            if pk is None:
                new.append(
                    Delivery(recipient=user, channel=channel, run_date=run_date, subject=subject, body=body)
                )
            else:  # the lock and `already_out` make sure it was not attempted
                Delivery.objects.filter(pk=pk).update(subject=subject, body=body)
    return new, first_channel, existing


def _join_digests(first_channel: dict[int, str | None], run_date: dt.date) -> None:
    """Put the recorded, unsent reminders of each person of ``first_channel`` in their digest of ``run_date``:
    one UPDATE per first channel, each reminder pointing at the delivery on its recipient's first channel
    (Reminder.delivery). Only the people who had reminders waiting: new reminders join their digest as they
    are recorded (_insert)."""
    by_channel: dict[str | None, list[int]] = defaultdict(list)
    for user_id, channel in first_channel.items():
        by_channel[channel].append(user_id)
    for channel, user_ids in by_channel.items():
        delivery = None
        if channel is not None:
            delivery = Subquery(
                Delivery.objects.filter(
                    recipient=OuterRef("recipient_id"), run_date=run_date, channel=channel
                ).values("pk")
            )
        Reminder.objects.filter(recipient_id__in=user_ids).filter(
            Q(digest_date__isnull=True) | Q(digest_date=run_date, delivery__isnull=True)
        ).update(digest_date=run_date, delivery=delivery)


def _insert(new: list, delivery_of: dict[int, int | None], run_date: dt.date | None) -> int:
    """Record the ``new`` reminders, each of a person in ``delivery_of`` already in that person's digest of
    ``run_date`` (the delivery on their first channel, or None), the others outside any digest; returns how many
    were recorded (recording.py: in one go)."""
    return insert_reminders(
        [
            (
                r.recipient_id,
                r.kind,
                r.subject,
                r.due_date,
                r.text,
                run_date if r.recipient_id in delivery_of else None,
                delivery_of.get(r.recipient_id),
            )
            for r in new
        ]
    )
