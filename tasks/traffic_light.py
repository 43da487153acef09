"""The traffic light (红黄绿灯) shown next to every measure: one plain rule, used by every page.

- green (正常): finished (or signed off) by its deadline, or on track;
- late (逾期完成): finished (or signed off) after its deadline — it stays late, never green
  (tasks.models.finished_late_q is the same rule for the database);
- yellow (预警): due within 7 days, or behind its schedule — reported as
  无法按期完成, or the reported percent lags the share of the time already
  spent (from the plan's start to the deadline) by more than a tolerance;
- red (逾期): the deadline has passed and the measure is not finished.

Measures without a deadline (长期实施) are green unless reported as delayed.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.utils.translation import gettext_lazy as _

DUE_SOON_DAYS = 7
# How many percentage points the reported progress may lag the time elapsed
# before the measure counts as behind schedule.
SCHEDULE_TOLERANCE = 25

_FINISHED = {"done"}
_DELAYED = "delayed"


class Light(str, enum.Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    LATE = "late"

    @property
    def label(self) -> str:
        return str(
            {"green": _("正常"), "yellow": _("预警"), "red": _("逾期"), "late": _("逾期完成")}[self.value]
        )


def expected_percent(*, start: dt.date | None, due: dt.date | None, today: dt.date) -> int | None:
    """The share of the time from ``start`` to ``due`` already spent, in percent (None when unknown)."""
    if start is None or due is None or due <= start:
        return None
    spent = (today - start).days / (due - start).days
    return max(0, min(100, round(spent * 100)))


def traffic_light(
    *,
    status: str,
    due_date: dt.date | None,
    today: dt.date,
    percent: int | None = None,
    start_date: dt.date | None = None,
    signed_off: bool = False,
    finished_on: dt.date | None = None,
) -> Light:
    """The light for a measure in ``status`` due on ``due_date``, as seen on ``today``."""
    if signed_off or status in _FINISHED:
        late = finished_on is not None and due_date is not None and finished_on > due_date
        return Light.LATE if late else Light.GREEN
    if due_date is not None and due_date < today:
        return Light.RED
    if due_date is not None and (due_date - today).days <= DUE_SOON_DAYS:
        return Light.YELLOW
    if status == _DELAYED:
        return Light.YELLOW
    expected = expected_percent(start=start_date, due=due_date, today=today)
    if expected is not None and (percent or 0) + SCHEDULE_TOLERANCE < expected:
        return Light.YELLOW
    return Light.GREEN


def measure_light(measure, *, today: dt.date) -> Light:
    """The light of a Measure whose task and plan are loaded (select_related)."""
    plan = measure.task.plan
    return traffic_light(
        status=measure.status,
        due_date=measure.due_date,
        today=today,
        percent=measure.percent,
        start_date=dt.date(plan.year_start, 1, 1),
        signed_off=measure.signed_off_at is not None,
        finished_on=measure.finished_on,
    )
