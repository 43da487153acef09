"""Two reminder runs at the same moment (two beats, a retry during a run) send every digest once."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from reports.models import Delivery, Notification, Reminder
from reports.notifications.digests import record_undigested
from reports.notifications.reminders import due_reminders, run_reminders
from reports.workdays import WorkdayCalendar
from tests.factories import UnitFactory, measure_for, staff_user

TUESDAY = dt.date(2026, 3, 10)


def people_with_due_measures(count: int, prefix: str = "staff") -> list:
    """``count`` staff, each of a unit with five measures due around TUESDAY (so five reminders each)."""
    people = []
    for n in range(count):
        unit = UnitFactory(name=f"并发单位{prefix}{n}")
        people.append(staff_user(f"{prefix}{n}", unit))
        for days in (0, 1, 3, 7, -2):
            measure_for(unit, TUESDAY + dt.timedelta(days=days))
    return people


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_digest_once(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (set DATABASE_URL); SQLite serialises every writer anyway")
    people = people_with_due_measures(12)

    # Recorded beforehand, so that the runs reach the compose step together (the hardest case for it).
    record_undigested(due_reminders(on=TUESDAY, calendar=WorkdayCalendar({})))
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert Reminder.objects.count() == 12 * 5
    for person in people:
        assert len([m for m in mailoutbox if m.to == [person.email]]) == 1
        assert Notification.objects.filter(user=person).count() == 1
    assert Delivery.objects.filter(state="sent").count() == 24
