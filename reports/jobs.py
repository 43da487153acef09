"""Celery jobs for reminders, the weekly notice and the monthly ranking: thin callers of the services.

Scheduled by CELERY_BEAT_SCHEDULE in bluesky/settings.py. All are safe to run
twice (acks_late: a job whose worker dies is run again): reminders by their
unique keys, files by being rebuilt and replaced atomically.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .notifications import reminders
from .outputs import notices, ranking
from .outputs.ranking_boards import ranked_scopes


def _date(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


@shared_task
def send_reminders(on: str | None = None) -> dict:
    summary = reminders.run_reminders(on=_date(on))
    return {
        "date": f"{summary.run_date}",
        "due": summary.due,
        "recorded": summary.recorded,
        "digests": summary.digests,
        "sent": summary.sent,
        "failed": summary.failed,
    }


@shared_task
def retry_deliveries() -> dict:
    sent, failed = reminders.deliver_due()
    return {"sent": sent, "failed": failed}


@shared_task
def build_weekly_notice(week_start: str | None = None) -> int:
    """The notices for the week starting ``week_start`` (ISO date), by default the week before this one: the
    one over everything (its id is returned) and one per jurisdiction an office works for."""
    start = (
        dt.date.fromisoformat(week_start) if week_start else notices.previous_week_start(timezone.localdate())
    )
    for scope in ranked_scopes():
        notices.build_weekly_notice(week_start=start, scope=scope)
    return notices.build_weekly_notice(week_start=start).pk


@shared_task
def build_monthly_ranking(period: str) -> int:
    """Build (or rebuild) the ranking of month ``period`` ("YYYY-MM-01")."""
    return ranking.build_ranking(period=dt.date.fromisoformat(period)).pk


@shared_task
def build_due_ranking(today: str | None = None) -> int | None:
    built = ranking.build_due_ranking(today=_date(today))
    return built.pk if built else None
