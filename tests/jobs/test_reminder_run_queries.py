"""A reminder run's queries grow only by one per e-mail sent (each marked sent as it leaves, so a crash never sends
one twice): the digests are composed, claimed and posted in-app in batches (issue 14: a city's 2,000 people in one
morning's run)."""

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


def test_a_run_for_twelve_people_takes_one_more_query_per_extra_email_than_a_run_for_three(mailoutbox):
    people_with_due_measures(3, prefix="few")
    few = queries_of_a_run()
    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    people_with_due_measures(9, prefix="more")

    assert queries_of_a_run() == few + 9
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 12 * 2  # e-mail and in-app each
    assert len(mailoutbox) == 3 + 12
