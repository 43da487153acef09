"""The traffic light of tasks/traffic_light.py as a SQL expression, so lists and counts never load every measure.

``tasks/traffic_light.py`` stays the one definition of the rule; this module
spells the same rule for the database (SQLite and PostgreSQL), branch for
branch, and tests/dashboards/test_traffic_light_sql.py checks that both give
the same light for every measure of a generated data set and for the edge
cases (due today, due in 7 days, exact rounding ties …).

The schedule-lag branch needs the Python rule's own arithmetic: days from
the plan's start (1 January of its first year) to today and to the deadline,
``round(spent / total * 100)`` with Python's round-half-to-even on a double.
Day numbers come from the date column (``DayNumber``) and, for 1 January,
from plain integer arithmetic on the year; the rounding is written as
comparisons against ``k + 0.5`` so neither database's ROUND() is involved.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import Func
from django.db.models.functions import Cast, Coalesce, Mod, NullIf
from django.db.models.lookups import Exact, GreaterThan

from .models import finished_late_q, finished_q, overdue_q
from .traffic_light import _DELAYED, DUE_SOON_DAYS, SCHEDULE_TOLERANCE, Light

EPOCH = dt.date(1970, 1, 1)
# Leap days from year 1 up to 1969 (n//4 - n//100 + n//400 for n = 1969): see first_of_year_day_number.
_LEAP_DAYS_BEFORE_EPOCH = 1969 // 4 - 1969 // 100 + 1969 // 400


class DayNumber(Func):
    """Days from 1970-01-01 to a date column, as an integer."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() of a date is at midnight, i.e. n + 0.5: exact in a double, so the cast is exact.
        return self.as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra)


def first_of_year_day_number(year):
    """Days from 1970-01-01 to 1 January of ``year`` (an integer expression), in portable integer arithmetic."""
    before = year - 1
    return (year - 1970) * 365 + before / 4 - before / 100 + before / 400 - Value(_LEAP_DAYS_BEFORE_EPOCH)


def behind_schedule(prefix: str, today: dt.date):
    """``(percent or 0) + SCHEDULE_TOLERANCE < expected_percent(start, due, today)``, as a boolean expression.

    With spent = (today − start) / (due − start) × 100 as a double (the Python rule's
    own operations), ``k < round(spent)`` under round-half-to-even is
    ``spent > k + 0.5``, or ``spent = k + 0.5`` with k odd; the upper clamp at 100
    is ``k < 100``. The lower clamp at 0 never matters (k ≥ 25).
    """
    start = first_of_year_day_number(F(f"{prefix}task__plan__year_start"))
    due = DayNumber(F(f"{prefix}due_date"))
    today_number = (today - EPOCH).days
    k = Coalesce(F(f"{prefix}percent"), Value(0)) + Value(SCHEDULE_TOLERANCE)
    spent = Cast(Value(today_number) - start, FloatField()) / NullIf(due - start, Value(0)) * Value(100)
    tie = k + Value(0.5)
    return Q(
        GreaterThan(due, start),
        GreaterThan(Value(100), k),
        Q(GreaterThan(spent, tie)) | Q(Exact(spent, tie), Exact(Mod(k, Value(2)), Value(1))),
    )


def _red_q(today: dt.date, prefix: str) -> Q:
    """Past its deadline (for a measure not finished)."""
    return Q(**{f"{prefix}due_date__lt": today})


def _yellow_qs(today: dt.date, prefix: str) -> list[Q]:
    """The yellow branches, in order (for a measure neither finished nor red): due within DUE_SOON_DAYS,
    reported delayed, behind its schedule."""
    return [
        Q(**{f"{prefix}due_date__lte": today + dt.timedelta(days=DUE_SOON_DAYS)}),
        Q(**{f"{prefix}status": _DELAYED}),
        behind_schedule(prefix, today),
    ]


def light_expression(
    *,
    today: dt.date,
    prefix: str = "",
    finished: str = Light.GREEN.value,
    finished_late: str = Light.LATE.value,
) -> Case:
    """The measure's light ('green', 'yellow', 'red' or 'late') as seen on ``today``; ``prefix`` reaches a
    measure through a relation (``"measure__"`` from an assignment). ``finished`` and ``finished_late`` name
    what finished measures show instead of green and late, for counts that tell done from on track in one pass."""
    return Case(
        When(finished_late_q(prefix), then=Value(finished_late)),
        When(finished_q(prefix), then=Value(finished)),
        When(_red_q(today, prefix), then=Value(Light.RED.value)),
        *(When(q, then=Value(Light.YELLOW.value)) for q in _yellow_qs(today, prefix)),
        default=Value(Light.GREEN.value),
    )


def light_count_aggregates(*, today: dt.date) -> dict[str, Count]:
    """Count aggregates of a queryset of measures, one per light but green (green: the rest, ``lights_of``).

    light_expression's branches as filters, each after the ones before it: a grouped query counts the lights
    with its other figures without grouping by the light itself (the overview's grouped count of 50,000
    measures by a CASE sorted every row; these filters fit a hashed grouping and skip the CASE's text). A
    deadline that is NULL fails a comparison, as a CASE branch does: ``due_date IS NULL`` is spelled out
    where a branch is negated.
    """
    not_red = Q(due_date__gte=today) | Q(due_date__isnull=True)
    yellow = Q()
    for q in _yellow_qs(today, ""):
        yellow |= q
    return {
        Light.LATE.value: Count("pk", filter=finished_late_q()),
        Light.RED.value: Count("pk", filter=overdue_q(today)),  # red is overdue: open and past its deadline
        Light.YELLOW.value: Count("pk", filter=~finished_q() & not_red & yellow),
    }


def lights_of(total: int, counts: dict) -> dict[str, int]:
    """{light value: number} from ``total`` measures and ``counts`` of light_count_aggregates' names."""
    lights = {light.value: counts[light.value] for light in Light if light is not Light.GREEN}
    return {Light.GREEN.value: total - sum(lights.values()), **lights}


def with_light(measures, *, today: dt.date, name: str = "light_value"):
    """``measures`` annotated with their light's value (a string) as ``name``."""
    return measures.annotate(**{name: light_expression(today=today)})


def filter_light(measures, light: str, *, today: dt.date):
    """Measures of ``measures`` showing ``light``: a WHERE clause, not a list of ids."""
    return measures.alias(light_filter=light_expression(today=today)).filter(light_filter=light)


def light_counts(measures, *, today: dt.date) -> dict[str, int]:
    """{light value: number of measures} over ``measures``: one query."""
    counts = measures.order_by().aggregate(total=Count("pk"), **light_count_aggregates(today=today))
    lights = lights_of(counts["total"], counts)
    return {light.value: lights[light.value] for light in Light}
