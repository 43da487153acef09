"""A reminder run stopped half-way through a batch of e-mails. An unexpected error: the e-mails that left are
marked sent (none goes twice), the others are retried after their backoff. A process killed outright: the
e-mails that left are unmarked and go again once their claim lapses — a duplicate, never a lost e-mail
(reports/notifications/deliveries.py says why)."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys

import pytest
from django.utils import timezone

from reports.models import Delivery
from reports.notifications.deliveries import deliver_due
from reports.notifications.digests import record_and_compose
from reports.notifications.reminders import due_reminders, run_reminders
from reports.workdays import WorkdayCalendar
from tests.conftest import ROOT, test_database_url
from tests.jobs.mail_backends import STOP_AFTER
from tests.jobs.test_reminders_concurrent import TUESDAY, people_with_due_measures

NATIONAL = WorkdayCalendar({})
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def after_the_backoff() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=1)


@pytest.mark.django_db
def test_an_error_half_way_through_a_batch_marks_the_emails_that_left_and_retries_the_others(
    settings, mailoutbox
):
    people = people_with_due_measures(5, "stopped")
    settings.EMAIL_BACKEND = "tests.jobs.mail_backends.ErrorAfterTwo"
    with pytest.raises(RuntimeError):
        run_reminders(on=TUESDAY, calendar=NATIONAL)

    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    assert emails.filter(state=Delivery.State.SENT).count() == len(mailoutbox) == STOP_AFTER
    assert emails.filter(state=Delivery.State.PENDING, attempts=1).count() == 5 - STOP_AFTER  # claimed
    assert Delivery.objects.filter(channel=Delivery.Channel.IN_APP, state=Delivery.State.SENT).count() == 5

    settings.EMAIL_BACKEND = LOCMEM
    assert deliver_due(now=after_the_backoff()) == (5 - STOP_AFTER, 0)
    for person in people:
        assert [m.to for m in mailoutbox].count([person.email]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_half_way_through_a_batch_sends_its_emails_again_and_loses_none(
    tmp_path, settings, mailoutbox
):
    people = people_with_due_measures(5, "killed")
    record_and_compose(due_reminders(on=TUESDAY, calendar=NATIONAL), run_date=TUESDAY)
    (tmp_path / "mail").mkdir()
    env = os.environ | {
        "DATABASE_URL": test_database_url(),
        "BLUESKY_DATA_DIR": str(tmp_path),
        "DJANGO_EMAIL_BACKEND": "tests.jobs.mail_backends.KilledAfterTwo",
        "BLUESKY_TEST_MAIL_DIR": str(tmp_path / "mail"),
    }
    sender = "import django; django.setup(); from reports.notifications.deliveries import deliver_due; deliver_due()"
    done = subprocess.run(
        [sys.executable, "-c", sender],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == -signal.SIGKILL, done.stderr
    files = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
    left = re.findall(r"^To: (\S+)$", files, re.M)
    assert len(left) == STOP_AFTER
    emails = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    assert not emails.filter(state=Delivery.State.SENT).exists()  # killed before the batch's mark
    assert emails.filter(attempts=1).count() == 5  # the whole batch was claimed
    settings.EMAIL_BACKEND = LOCMEM
    assert deliver_due() == (0, 0)  # not before the claim lapses
    assert deliver_due(now=after_the_backoff()) == (5, 0)
    for person in people:
        received = left.count(person.email) + [m.to for m in mailoutbox].count([person.email])
        assert received == (2 if person.email in left else 1), person.email
