"""The demo's calendar placed around today: the sample plans keep their text, their dates move.

The bundled plans run 2018–2023; seen today, every deadline would have passed
years ago and the demo would be a wall of red. ``place_demo_dates`` maps each
sample plan's deadlines, in order and evenly spaced, onto the months around ``today`` — from
``BACK_DAYS`` before to ``AHEAD_DAYS`` after — and moves the plan's dates
with it: its years and issue date, every measure's deadline (due date, yearly
window) and every milestone. The order of the deadlines stays as the plan
wrote it. The deadline text (完成时限原文) is left as imported.

Only load_demo calls this, and only on plans nobody has reported on yet (no
progress update), so a second run, and real imports, are left untouched.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tasks.models import Measure, Milestone, Plan, ProgressUpdate

BACK_DAYS = 360  # where the plan's first deadline lands, before today
AHEAD_DAYS = 360  # where its last deadline lands, after today (within the ~18 months a demo should show)
SCHEDULE_START_DAYS = 120  # the plan's first year is the year of this many days ago


class _Placement:
    """A plan's deadlines, in their order, spread evenly over the days around ``today``.

    The n-th of a plan's k distinct dates lands at the n/(k-1) point from ``BACK_DAYS`` before today to
    ``AHEAD_DAYS`` after. (Spread by calendar, the plans' dates crowd at their last year, 计划期末; spread
    by how many measures share a date, the measures due at plan end sit so close to today that most read
    as behind schedule.)
    """

    def __init__(self, dates: set[dt.date], today: dt.date):
        self.order = {day: index for index, day in enumerate(sorted(dates))}
        self.start = today - dt.timedelta(days=BACK_DAYS)
        self.step = (BACK_DAYS + AHEAD_DAYS) / max(len(self.order) - 1, 1)
        # The schedule (expected percent) counts from 1 January of the plan's first year.
        self.year_start = (today - dt.timedelta(days=SCHEDULE_START_DAYS)).year
        self.year_end = (today + dt.timedelta(days=AHEAD_DAYS)).year

    def __call__(self, day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        return self.start + dt.timedelta(days=round(self.order[day] * self.step))


@transaction.atomic
def place_demo_dates(*, plans, today: dt.date) -> int:
    """Move the dates of ``plans`` (the sample plans) around ``today``; returns how many plans moved.

    A plan whose measures already have progress is skipped: its dates were placed when the activity began.
    """
    reported = set(
        ProgressUpdate.objects.filter(measure__task__plan__in=plans).values_list(
            "measure__task__plan_id", flat=True
        )
    )
    moved = 0
    for plan in plans.exclude(pk__in=reported).order_by("pk"):
        measures = list(Measure.objects.filter(task__plan=plan))
        milestones = list(Milestone.objects.filter(measure__task__plan=plan))
        dates = {m.date for m in milestones} | {
            day for m in measures for day in (m.due_date, m.window_start, m.window_end) if day
        }
        place = _Placement(dates, today)
        for measure in measures:
            measure.due_date = place(measure.due_date)
            measure.window_start, measure.window_end = place(measure.window_start), place(measure.window_end)
        Measure.objects.bulk_update(measures, ["due_date", "window_start", "window_end"], batch_size=500)
        for milestone in milestones:
            milestone.date = place(milestone.date)
        Milestone.objects.bulk_update(milestones, ["date"], batch_size=500)
        Plan.objects.filter(pk=plan.pk).update(
            year_start=place.year_start,
            year_end=place.year_end,
            issue_date=plan.issue_date and place.start - dt.timedelta(days=30),
        )
        moved += 1
    return moved
