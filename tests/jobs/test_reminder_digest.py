"""One digest per person per run and channel; exactly once on rerun; failing channels retried with backoff."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from reports.models import Delivery, Notification, NotificationPreference, Reminder
from reports.notifications.digests import record_undigested
from reports.notifications.reminders import deliver_due, due_reminders, run_reminders
from reports.workdays import WorkdayCalendar
from tests.factories import measure_for

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 3, 10)
NATIONAL = WorkdayCalendar({})


@pytest.fixture
def three_for_alice(world):
    return [
        measure_for(world.env, TUESDAY + dt.timedelta(days=d), text=f"第{d}天到期的措施") for d in (0, 1, 3)
    ]


def test_one_digest_per_recipient_per_channel(world, three_for_alice, mailoutbox):
    summary = run_reminders(on=TUESDAY, calendar=NATIONAL)

    to_alice = [m for m in mailoutbox if m.to == ["alice@example.cn"]]
    assert len(to_alice) == 1
    body = to_alice[0].body
    assert all(f"第{d}天到期的措施" in body for d in (0, 1, 3))
    assert body.index("今日到期") < body.index("即将到期")  # the most urgent first
    assert to_alice[0].subject == "【蓝天保卫战】2026-03-10 提醒：共 3 项"
    notes = Notification.objects.filter(user=world.alice)
    assert notes.count() == 1 and "第3天到期的措施" in notes.get().body
    assert set(Delivery.objects.filter(recipient=world.alice).values_list("channel", "state")) == {
        ("email", "sent"),
        ("in_app", "sent"),
    }
    assert Reminder.objects.filter(recipient=world.alice, digest_date=TUESDAY).count() == 3
    assert summary.sent == 2 + 2  # alice (e-mail, in-app) and the office's missing-reports digest


def test_running_twice_sends_nothing_new(world, three_for_alice, mailoutbox):
    first = run_reminders(on=TUESDAY, calendar=NATIONAL)
    sent = len(mailoutbox)
    second = run_reminders(on=TUESDAY, calendar=NATIONAL)

    assert first.recorded == 4 and second.recorded == 0
    assert second.digests == 0 and second.sent == 0
    assert len(mailoutbox) == sent
    assert Notification.objects.count() == 2  # alice and the office, once each
    # The next day, only what is newly due is sent: the 1-day measure is now due today.
    run_reminders(on=TUESDAY + dt.timedelta(days=1), calendar=NATIONAL)
    latest = [m for m in mailoutbox if m.to == ["alice@example.cn"]][-1]
    assert "今日到期（1）" in latest.body and "第0天到期的措施" in latest.body  # yesterday's is overdue now
    assert "第3天到期的措施" not in latest.body


def test_dry_run_lists_what_would_be_sent_and_writes_nothing(world, three_for_alice, mailoutbox):
    summary = run_reminders(on=TUESDAY, dry_run=True, calendar=NATIONAL)
    assert len(summary.new) == 4
    assert not Reminder.objects.exists() and not Delivery.objects.exists() and not mailoutbox
    run_reminders(on=TUESDAY, calendar=NATIONAL)
    assert run_reminders(on=TUESDAY, dry_run=True, calendar=NATIONAL).new == []


def test_people_choose_their_channels(world, three_for_alice, mailoutbox):
    NotificationPreference.objects.create(user=world.alice, by_email=False, in_app=True)
    run_reminders(on=TUESDAY, calendar=NATIONAL)
    assert not [m for m in mailoutbox if "alice@example.cn" in m.to]
    assert Notification.objects.filter(user=world.alice).count() == 1


def test_a_person_without_email_gets_the_bell_only(world, mailoutbox):
    world.bob.email = ""
    world.bob.save()
    measure_for(world.traffic, TUESDAY)
    run_reminders(on=TUESDAY, calendar=NATIONAL)
    assert list(Delivery.objects.filter(recipient=world.bob).values_list("channel", flat=True)) == ["in_app"]


def test_reminders_found_after_the_days_digest_went_out_wait_for_the_next_digest(world, mailoutbox):
    measure_for(world.env, TUESDAY)
    run_reminders(on=TUESDAY, calendar=NATIONAL)
    late_addition = measure_for(world.env, TUESDAY, text="下午新增的措施")
    run_reminders(on=TUESDAY, calendar=NATIONAL)  # a second beat the same day
    assert (
        Reminder.objects.get(subject=f"measure:{late_addition.pk}", kind="deadline_today").digest_date is None
    )
    assert len([m for m in mailoutbox if m.to == ["alice@example.cn"]]) == 1

    run_reminders(on=TUESDAY + dt.timedelta(days=1), calendar=NATIONAL)
    assert Reminder.objects.get(
        subject=f"measure:{late_addition.pk}", kind="deadline_today"
    ).digest_date == TUESDAY + dt.timedelta(days=1)
    assert "下午新增的措施" in [m for m in mailoutbox if m.to == ["alice@example.cn"]][-1].body


def test_a_failing_channel_is_recorded_and_retried_with_backoff(world, three_for_alice, settings):
    # A real SMTP connection to a port where nothing listens: the e-mail channel fails, the bell does not.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.BLUESKY_DELIVERY_RETRY_SECONDS = 300
    started = timezone.now()
    summary = run_reminders(on=TUESDAY, calendar=NATIONAL)

    email = Delivery.objects.get(recipient=world.alice, channel="email")
    assert email.state == Delivery.State.FAILED and email.attempts == 1
    assert email.last_error.startswith("邮件发送失败")
    assert email.next_attempt_at >= started + dt.timedelta(seconds=300)
    assert Delivery.objects.get(recipient=world.alice, channel="in_app").state == Delivery.State.SENT
    assert summary.failed == 2  # alice's and the office's e-mail

    # Before the backoff has passed nothing is tried; after it, the retry succeeds once.
    assert deliver_due() == (0, 0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + dt.timedelta(seconds=301)
    assert deliver_due(now=later) == (2, 0)
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error) == (Delivery.State.SENT, 2, "")
    assert len([m for m in mail.outbox if m.to == ["alice@example.cn"]]) == 1
    assert deliver_due(now=later + dt.timedelta(days=1)) == (0, 0)
    assert Notification.objects.filter(user=world.alice).count() == 1


def test_backoff_doubles_and_stops_after_the_last_attempt(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.BLUESKY_DELIVERY_RETRY_SECONDS, settings.BLUESKY_DELIVERY_MAX_ATTEMPTS = 60, 3
    NotificationPreference.objects.create(user=world.alice, by_email=True, in_app=False)
    measure_for(world.env, TUESDAY)
    run_reminders(on=TUESDAY, calendar=NATIONAL)
    delivery = Delivery.objects.get(recipient=world.alice)
    gaps = []
    for _ in range(2):
        previous = delivery.next_attempt_at
        deliver_due(now=previous)
        delivery.refresh_from_db()
        gaps.append(delivery.next_attempt_at - previous)
    assert gaps == [dt.timedelta(seconds=120), dt.timedelta(seconds=240)]
    assert delivery.attempts == 3 and delivery.state == Delivery.State.FAILED
    # Given up: a day later it is not tried again (the admin shows it). Other recipients' deliveries,
    # attempted a few milliseconds apart in an order PostgreSQL does not fix, may still be due then.
    deliver_due(now=delivery.next_attempt_at + dt.timedelta(days=1))
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.state == Delivery.State.FAILED


def test_each_reminder_points_at_its_digest_on_the_first_channel_recorded_earlier_or_not(world, mailoutbox):
    NotificationPreference.objects.create(user=world.bob, by_email=True, in_app=False)
    measure_for(world.env, TUESDAY)
    measure_for(world.traffic, TUESDAY)
    # Recorded by an earlier run that stopped before composing: they join today's digest with the new ones.
    assert record_undigested(due_reminders(on=TUESDAY, calendar=NATIONAL)) == 3
    measure_for(world.env, TUESDAY + dt.timedelta(days=1))
    measure_for(world.traffic, TUESDAY + dt.timedelta(days=3))
    summary = run_reminders(on=TUESDAY, calendar=NATIONAL)

    assert summary.recorded == 2
    for person, first in ((world.alice, "in_app"), (world.bob, "email"), (world.office, "in_app")):
        digest = Delivery.objects.get(recipient=person, channel=first)
        reminders = Reminder.objects.filter(recipient=person)
        assert set(reminders.values_list("delivery", "digest_date")) == {(digest.pk, TUESDAY)}
        assert digest.subject.endswith(f"共 {reminders.count()} 项")
