"""A reminder run takes as many queries for twelve people as for three: the reminders are recorded in their
digests, the digests composed, claimed, posted in-app and their e-mails marked sent in batches (issue 14: a city's
2,000 people in one morning's run)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Delivery, Notification, Reminder
from reports.notifications.reminders import run_reminders
from reports.workdays import WorkdayCalendar
from tests.jobs.test_reminders_concurrent import TUESDAY, people_with_due_measures

pytestmark = pytest.mark.django_db


def queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as run:
        summary = run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
    assert summary.failed == 0
    return len(run.captured_queries)


def test_a_run_for_twelve_people_takes_as_many_queries_as_a_run_for_three(mailoutbox):
    people_with_due_measures(3, prefix="few")
    few = queries_of_a_run()
    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    people_with_due_measures(9, prefix="more")

    assert queries_of_a_run() == few
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 12 * 2  # e-mail and in-app each
    assert len(mailoutbox) == 3 + 12
