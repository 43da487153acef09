"""Chinese working days: national holidays and make-up days, plus the office's own overrides.

The national calendar comes from the ``chinesecalendar`` package, which knows
each year once the State Council publishes it (usually in November for the
next year). For a year it does not know yet, weekends are taken as the only
rest days and callers are told the date is provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True)
class WorkdayCalendar:
    """The national calendar with ``overrides`` (date → is_workday) on top."""

    overrides: dict[dt.date, bool]

    @classmethod
    def from_database(cls) -> "WorkdayCalendar":
        from .models import WorkdayOverride

        return cls(dict(WorkdayOverride.objects.values_list("date", "is_workday")))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def is_known(self, day: dt.date) -> bool:
        """Whether the national calendar covers this day's year (else the answer is provisional)."""
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    def nth_workday(self, year: int, month: int, n: int) -> dt.date:
        day = dt.date(year, month, 1)
        count = 0
        while True:
            if self.is_workday(day):
                count += 1
                if count == n:
                    return day
            day += dt.timedelta(days=1)

    def workdays_before(self, day: dt.date, n: int) -> dt.date:
        """The working day ``n`` working days before ``day``."""
        while n > 0:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day


REPORT_DUE_WORKDAY = 3  # 每月第3个工作日前报送上月进展


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(period: dt.date) -> dt.date:
    return dt.date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def previous_month(period: dt.date) -> dt.date:
    return dt.date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)


def report_due_date(period: dt.date, calendar: WorkdayCalendar | None = None) -> dt.date:
    """The report on month ``period`` is due on the 3rd working day of the following month."""
    calendar = calendar or WorkdayCalendar.from_database()
    following = next_month(period)
    return calendar.nth_workday(following.year, following.month, REPORT_DUE_WORKDAY)
