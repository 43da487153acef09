"""The beat schedule in settings reaches django_celery_beat's database scheduler, in Beijing time."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from bluesky.celery import app


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as in its own process
def test_the_database_scheduler_installs_the_settings_schedule():
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    DatabaseScheduler(app=app)  # what `celery beat` does when it starts: update_from_dict(beat_schedule)

    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    reminders = tasks["reports.send-reminders"]
    assert reminders.task == "reports.jobs.send_reminders" and reminders.enabled
    assert (reminders.crontab.hour, reminders.crontab.minute, str(reminders.crontab.timezone)) == (
        "9",
        "0",
        "Asia/Shanghai",
    )
    weekly = tasks["reports.weekly-notice"].crontab
    assert (weekly.day_of_week, weekly.hour, weekly.minute) == ("mon", "7", "30")
    assert tasks["reports.monthly-ranking"].task == "reports.jobs.build_due_ranking"
    assert tasks["reports.retry-deliveries"].crontab.minute == "*/10"
    for name in (
        "reports.send-reminders",
        "reports.weekly-notice",
        "reports.monthly-ranking",
        "reports.retry-deliveries",
    ):
        assert app.tasks[tasks[name].task]  # the job exists (autodiscovered from reports/jobs.py)

    DatabaseScheduler(app=app)  # a restart updates the entries, never duplicates them
    assert PeriodicTask.objects.filter(name="reports.send-reminders").count() == 1


@pytest.mark.django_db
def test_the_jobs_run_in_process_without_a_broker(world, mailoutbox):
    """With neither REDIS_URL nor the folder broker, the jobs run eagerly: what tests and the shell see."""
    from reports.jobs import build_due_ranking, retry_deliveries, send_reminders

    result = send_reminders.delay("2026-03-10").get()
    assert result["date"] == "2026-03-10"
    assert retry_deliveries.delay().get() == {"sent": 0, "failed": 0}
    assert build_due_ranking.delay("2026-03-04").get() is None  # February's reports are not yet past due
