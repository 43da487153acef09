"""The monthly report is due on the 3rd working day of the next month, on the Chinese calendar."""

import datetime as dt

import pytest

from reports.models import WorkdayOverride
from reports.workdays import WorkdayCalendar, report_due_date

NATIONAL = WorkdayCalendar({})


@pytest.mark.parametrize(
    ("period", "due"),
    [
        # National Day + Mid-Autumn 2025: Oct 1–8 off, Saturday Oct 11 is a make-up working day.
        (dt.date(2025, 9, 1), dt.date(2025, 10, 11)),
        # Spring Festival 2025: Jan 28 – Feb 4 off, Feb 8 (Sat) a make-up day; Feb 5, 6, 7 are the first three.
        (dt.date(2025, 1, 1), dt.date(2025, 2, 7)),
        # Labour Day 2026: May 1–5 off.
        (dt.date(2026, 4, 1), dt.date(2026, 5, 8)),
        # An ordinary month: June 2025 → July 1 (Tue), 2, 3.
        (dt.date(2025, 6, 1), dt.date(2025, 7, 3)),
        # December → January of the next year (New Year's Day off).
        (dt.date(2025, 12, 1), dt.date(2026, 1, 6)),
    ],
)
def test_due_on_third_working_day_of_next_month(period, due):
    assert report_due_date(period, NATIONAL) == due


def test_a_saturday_make_up_day_counts_as_a_working_day():
    assert NATIONAL.is_workday(dt.date(2025, 10, 11))
    assert not NATIONAL.is_workday(dt.date(2025, 10, 8))


@pytest.mark.django_db
def test_office_overrides_take_precedence_over_the_national_calendar():
    assert report_due_date(dt.date(2026, 4, 1)) == dt.date(2026, 5, 8)
    # The office closes on 2026-05-06: the due date moves to the national make-up Saturday, May 9.
    WorkdayOverride.objects.create(date=dt.date(2026, 5, 6), is_workday=False, note="区内停工")
    assert report_due_date(dt.date(2026, 4, 1)) == dt.date(2026, 5, 9)
    # The office also rests on that Saturday: the report is due the next Monday.
    WorkdayOverride.objects.create(date=dt.date(2026, 5, 9), is_workday=False, note="不调休")
    assert report_due_date(dt.date(2026, 4, 1)) == dt.date(2026, 5, 11)
    # And a declared working Sunday counts.
    WorkdayOverride.objects.create(date=dt.date(2026, 5, 10), is_workday=True, note="加班")
    assert report_due_date(dt.date(2026, 4, 1)) == dt.date(2026, 5, 10)


def test_a_year_the_national_calendar_does_not_cover_falls_back_to_weekends():
    day = dt.date(2031, 3, 3)  # a Monday
    assert not NATIONAL.is_known(day)
    assert NATIONAL.is_workday(day)
    assert not NATIONAL.is_workday(dt.date(2031, 3, 1))  # Saturday
    assert report_due_date(dt.date(2031, 2, 1), NATIONAL) == dt.date(2031, 3, 5)
