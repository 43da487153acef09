"""Two real Celery workers on Redis run the reminder job side by side (several worker hosts, or a job
sent twice by a second beat): every person still gets each digest once, by e-mail and in the app."""

import re

import pytest

from reports.jobs import send_reminders
from reports.models import Delivery, Notification, Reminder
from tests.jobs.test_reminders_concurrent import TUESDAY, people_with_due_measures
from tests.worker_logs import settled_log

pytestmark = pytest.mark.celery_worker


def test_two_workers_running_the_reminder_job_at_once_send_each_digest_once(start_celery_worker):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (set DATABASE_URL): SQLite lets one process write at a time")
    people = people_with_due_measures(12, "twoworkers")
    # E-mail goes to the console backend, i.e. each worker's log: the logs together are the outbox.
    logs = [
        start_celery_worker(
            extra_env={"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        )[1]
        for _ in range(2)
    ]

    # Four runs of the same day's job, queued at once: each worker takes one, then the next.
    results = [send_reminders.apply_async(args=[f"{TUESDAY}"]) for _ in range(4)]
    summaries = [result.get(timeout=120) for result in results]

    texts = [settled_log(log, succeeded=1) for log in logs]
    outbox = "\n".join(texts)
    for text in texts:  # both workers really ran the job
        assert "reports.jobs.send_reminders[" in text and " succeeded in " in text, outbox
    assert sum(s["sent"] for s in summaries) == 24  # 12 people × (e-mail + in-app), across the four runs
    assert Reminder.objects.filter(recipient__in=people).count() == 12 * 5
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 24
    for person in people:
        assert len(re.findall(rf"^To: {re.escape(person.email)}$", outbox, re.M)) == 1, person.email
        assert Notification.objects.filter(user=person).count() == 1
