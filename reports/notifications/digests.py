"""Step 2 of the reminder run (reminders.py): the reminders not yet sent, gathered into each person's digest of
the day, one ``Delivery`` per channel, under the lock that serialises composing and claiming."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from reports.models import Delivery, NotificationPreference, Reminder

from . import channels
from .deliveries import digest_lock

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
def compose_digests(*, run_date: dt.date) -> int:
    """Gather unsent reminders into each person's digest for ``run_date``; returns deliveries created.

    A fixed number of queries whatever the number of people (one per person only for a digest composed
    earlier the same day and not yet attempted, which is rewritten with what joined it).
    """
    digest_lock()
    already_out = Delivery.objects.filter(run_date=run_date, attempts__gt=0).values("recipient_id")
    unsent = Reminder.objects.filter(digest_date__isnull=True).exclude(recipient_id__in=already_out)
    recipient_ids = set(unsent.order_by().values_list("recipient_id", flat=True).distinct())
    if not recipient_ids:
        return 0
    # Under the lock, the same reminders as read above: the unsent ones and those of a digest composed
    # earlier today and not yet attempted.
    joining = Q(recipient_id__in=recipient_ids) & (Q(digest_date__isnull=True) | Q(digest_date=run_date))
    todays: dict[int, list] = defaultdict(list)  # rows with what digest_text reads, not model instances
    for reminder in Reminder.objects.filter(joining).values_list(
        "recipient_id", "kind", "subject", "due_date", "text", named=True
    ):
        todays[reminder.recipient_id].append(reminder)
    new, first_channel = _deliveries(todays, run_date)
    Delivery.objects.bulk_create(new, batch_size=500)
    _join_digests(first_channel, run_date)
    return len(new)


def _deliveries(
    todays: dict[int, list], run_date: dt.date
) -> tuple[list[Delivery], dict[str | None, list[int]]]:
    """The new deliveries of each person's digest (a digest composed earlier today and not yet attempted is
    rewritten in place), and the people by the first channel their digest goes on (None: no channel)."""
    existing = {
        (d.recipient_id, d.channel): d.pk
        for d in Delivery.objects.filter(recipient_id__in=todays, run_date=run_date).only(
            "recipient_id", "channel"
        )
    }
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=todays)}
    new, first_channel = [], defaultdict(list)
    for user in get_user_model().objects.filter(pk__in=todays).only("email"):
        subject, body = digest_text(todays[user.pk], run_date)
        chosen = channels.channels_for(user, preferences.get(user.pk) or NotificationPreference(user=user))
        first_channel[chosen[0] if chosen else None].append(user.pk)
        for channel in chosen:
            pk = existing.get((user.pk, channel))
            if pk is None:
                new.append(
                    Delivery(recipient=user, channel=channel, run_date=run_date, subject=subject, body=body)
                )
            else:  # the lock and `already_out` make sure it was not attempted
                Delivery.objects.filter(pk=pk).update(subject=subject, body=body)
    return new, first_channel


def _join_digests(first_channel: dict[str | None, list[int]], run_date: dt.date) -> None:
    """Put each person's unsent reminders in their digest of ``run_date``: one UPDATE per first channel, each
    reminder pointing at the delivery on its recipient's first channel (Reminder.delivery)."""
    for channel, user_ids in first_channel.items():
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
