"""A run's new reminders are written in one go (reports/notifications/recording.py: COPY on PostgreSQL): every
character of their text kept, and a key already recorded skipped rather than failing the run."""

import datetime as dt

import pytest

from reports.models import Reminder
from reports.notifications.recording import insert_reminders
from tests.factories import make_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_texts_are_recorded_as_written_tabs_newlines_and_backslashes_included():
    person = make_user("recorded")
    text = "措施\t1-2「严格落实」\n第二行 C:\\路径\\N \\t 末尾\r"
    assert insert_reminders([(person.pk, "overdue", "measure:1", DAY, text, None, None)]) == 1
    reminder = Reminder.objects.get()
    assert (reminder.text, reminder.digest_date, reminder.delivery_id) == (text, None, None)
    assert reminder.created_at is not None


def test_a_key_already_recorded_is_skipped_and_the_others_recorded():
    person = make_user("recorded")
    Reminder.objects.create(
        recipient=person, kind="overdue", subject="measure:1", due_date=DAY, text="先前的"
    )
    rows = [
        (person.pk, "overdue", "measure:1", DAY, "重复的", DAY, None),
        (person.pk, "overdue", "measure:2", DAY, "新的", DAY, None),
    ]
    assert insert_reminders(rows) == 1
    assert dict(Reminder.objects.values_list("subject", "text")) == {
        "measure:1": "先前的",
        "measure:2": "新的",
    }
    assert Reminder.objects.get(subject="measure:2").digest_date == DAY
