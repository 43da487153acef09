"""Every kind of reminder, on fixed dates: who gets what, and what nobody gets."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.models import MonthlyReport, Reminder
from reports.notifications.reminders import due_reminders, run_reminders
from reports.workdays import WorkdayCalendar, report_due_date
from tasks.models import Measure
from tests.factories import measure_for
from tests.jobs.conftest import add_milestone

pytestmark = pytest.mark.django_db
Kind = Reminder.Kind
TUESDAY = dt.date(2026, 3, 10)
NATIONAL = WorkdayCalendar({})


def kinds_of(reminders, user, kind):
    return sorted(r.subject for r in reminders if r.recipient_id == user.pk and r.kind == kind)


@pytest.fixture(autouse=True)
def _escalate_after_a_week(settings):
    settings.BLUESKY_OVERDUE_ESCALATION_DAYS = 7


def test_deadlines_seven_three_and_one_day_ahead_and_on_the_day(world):
    in_7 = measure_for(world.env, TUESDAY + dt.timedelta(days=7))
    in_3 = measure_for(world.env, TUESDAY + dt.timedelta(days=3))
    in_1 = measure_for(world.env, TUESDAY + dt.timedelta(days=1))
    today = measure_for(world.env, TUESDAY)
    measure_for(world.env, TUESDAY + dt.timedelta(days=2))  # no reminder on a day not in 7/3/1
    measure_for(world.env, TUESDAY + dt.timedelta(days=3), status=Measure.Status.DONE)  # done: nothing
    measure_for(world.env, None)  # no deadline: nothing

    due = due_reminders(on=TUESDAY, calendar=NATIONAL)

    assert kinds_of(due, world.alice, Kind.DEADLINE_AHEAD) == sorted(
        [f"measure:{in_7.pk}:7d", f"measure:{in_3.pk}:3d", f"measure:{in_1.pk}:1d"]
    )
    assert kinds_of(due, world.alice, Kind.DEADLINE_TODAY) == [f"measure:{today.pk}"]
    assert not [r for r in due if r.recipient_id == world.bob.pk]  # bob's unit carries none of them
    text = next(r.text for r in due if r.subject == f"measure:{in_3.pk}:3d")
    assert "2026-03-13" in text and "还有 3 天" in text


def test_milestones_are_reminded_like_deadlines(world):
    measure = measure_for(world.env, dt.date(2026, 12, 31))
    ahead = add_milestone(measure, TUESDAY + dt.timedelta(days=3), "3月底前完成方案")
    today = add_milestone(measure, TUESDAY, "今日节点")

    due = due_reminders(on=TUESDAY, calendar=NATIONAL)

    assert kinds_of(due, world.alice, Kind.DEADLINE_AHEAD) == [f"milestone:{ahead.pk}:3d"]
    assert kinds_of(due, world.alice, Kind.DEADLINE_TODAY) == [f"milestone:{today.pk}"]


def test_every_unit_carrying_a_measure_is_reminded(world):
    shared = measure_for(world.env, TUESDAY)
    from tests.factories import AssignmentFactory

    AssignmentFactory(measure=shared, unit=world.traffic, role="assisting")
    due = due_reminders(on=TUESDAY, calendar=NATIONAL)
    assert kinds_of(due, world.alice, Kind.DEADLINE_TODAY) == [f"measure:{shared.pk}"]
    assert kinds_of(due, world.bob, Kind.DEADLINE_TODAY) == [f"measure:{shared.pk}"]


def test_overdue_goes_to_the_unit_and_is_escalated_to_the_office_after_the_configured_days(world, settings):
    one_day_late = measure_for(world.env, TUESDAY - dt.timedelta(days=1))
    week_late = measure_for(world.env, TUESDAY - dt.timedelta(days=7))
    measure_for(world.env, TUESDAY - dt.timedelta(days=30), status=Measure.Status.DONE)

    due = due_reminders(on=TUESDAY, calendar=NATIONAL)

    assert kinds_of(due, world.alice, Kind.OVERDUE) == sorted(
        [f"measure:{one_day_late.pk}", f"measure:{week_late.pk}"]
    )
    assert kinds_of(due, world.office, Kind.OVERDUE_ESCALATED) == [f"measure:{week_late.pk}"]
    assert kinds_of(due, world.alice, Kind.OVERDUE_ESCALATED) == []

    settings.BLUESKY_OVERDUE_ESCALATION_DAYS = 1
    due = due_reminders(on=TUESDAY, calendar=NATIONAL)
    assert kinds_of(due, world.office, Kind.OVERDUE_ESCALATED) == sorted(
        [f"measure:{one_day_late.pk}", f"measure:{week_late.pk}"]
    )


# February 2026's report is due on the 3rd working day of March: Mon 2, Tue 3, Wed 4 March.
FEB = dt.date(2026, 2, 1)


def _submitted(unit, when: dt.date):
    at = timezone.make_aware(dt.datetime.combine(when, dt.time(10)))
    return MonthlyReport.objects.create(
        unit=unit,
        period=FEB,
        due_date=report_due_date(FEB, NATIONAL),
        state=MonthlyReport.State.SUBMITTED,
        first_submitted_at=at,
        submitted_at=at,
        summary="已报送",
    )


def test_report_reminders_two_working_days_before_and_on_the_due_date(world):
    assert report_due_date(FEB, NATIONAL) == dt.date(2026, 3, 4)
    measure_for(world.env, dt.date(2026, 12, 31))
    measure_for(world.traffic, dt.date(2026, 12, 31))
    _submitted(world.traffic, dt.date(2026, 3, 1))  # bob's unit has reported: nothing for bob

    before = due_reminders(on=dt.date(2026, 3, 2), calendar=NATIONAL)  # 2 working days before Wed 4
    assert kinds_of(before, world.alice, Kind.REPORT_AHEAD) == [f"report:{world.env.pk}:2026-02"]
    assert not kinds_of(before, world.bob, Kind.REPORT_AHEAD)

    assert not [
        r for r in due_reminders(on=dt.date(2026, 3, 3), calendar=NATIONAL) if r.kind.startswith("report")
    ]

    on_the_day = due_reminders(on=dt.date(2026, 3, 4), calendar=NATIONAL)
    assert kinds_of(on_the_day, world.alice, Kind.REPORT_TODAY) == [f"report:{world.env.pk}:2026-02"]
    assert not kinds_of(on_the_day, world.bob, Kind.REPORT_TODAY)


def test_working_days_before_skip_the_weekend_and_holidays(world):
    measure_for(world.env, dt.date(2026, 12, 31))
    # September 2025's report: due Sat 11 Oct 2025 (a make-up working day after the National Day holiday);
    # two working days before it is Thu 9 Oct.
    calendar = NATIONAL
    assert report_due_date(dt.date(2025, 9, 1), calendar) == dt.date(2025, 10, 11)
    ahead = due_reminders(on=dt.date(2025, 10, 9), calendar=calendar)
    assert kinds_of(ahead, world.alice, Kind.REPORT_AHEAD) == [f"report:{world.env.pk}:2025-09"]
    assert not [
        r for r in due_reminders(on=dt.date(2025, 10, 10), calendar=calendar) if r.kind == Kind.REPORT_AHEAD
    ]


def test_missing_reports_listed_to_the_office_after_the_due_date(world):
    measure_for(world.env, dt.date(2026, 12, 31))
    measure_for(world.traffic, dt.date(2026, 12, 31))
    _submitted(world.traffic, dt.date(2026, 3, 4))

    assert not [
        r for r in due_reminders(on=dt.date(2026, 3, 4), calendar=NATIONAL) if r.kind == Kind.REPORTS_MISSING
    ]
    after = [
        r for r in due_reminders(on=dt.date(2026, 3, 5), calendar=NATIONAL) if r.kind == Kind.REPORTS_MISSING
    ]
    assert [(r.recipient_id, r.subject) for r in after] == [(world.office.pk, "reports:2026-02")]
    assert (
        "区生态环境局" in after[0].text and "区交通委" not in after[0].text and "共 1 个单位" in after[0].text
    )


def test_a_full_run_records_each_kind_once(world, mailoutbox):
    measure_for(world.env, TUESDAY)
    measure_for(world.env, TUESDAY - dt.timedelta(days=8))
    summary = run_reminders(on=TUESDAY, calendar=NATIONAL)
    assert summary.recorded == Reminder.objects.count() == 4  # today, overdue, escalated, Feb reports missing
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        Kind.DEADLINE_TODAY,
        Kind.OVERDUE,
        Kind.OVERDUE_ESCALATED,
        Kind.REPORTS_MISSING,
    }
