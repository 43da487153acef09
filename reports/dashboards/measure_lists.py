"""Measure lists for the dashboards: the rules as Q objects, traffic lights from the database, the shared
prefetches that load a table of measures in a fixed number of queries."""
from __future__ import annotations

import datetime as dt

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from tasks.models import Measure, ProgressUpdate
from tasks.selectors import assignments_in_role_order
from tasks.traffic_light import Light
from tasks.traffic_light_sql import light_counts as sql_light_counts
from tasks.traffic_light_sql import light_expression

LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)


def finished_q(prefix: str = "") -> Q:
    """A measure counts as finished once reported done or signed off (as in MeasureQuerySet.open)."""
    return Q(**{f"{prefix}status": Measure.Status.DONE}) | Q(**{f"{prefix}signed_off_at__isnull": False})


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    return ~finished_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


# --- Traffic lights ------------------------------------------------------------------


def with_lights(measures: QuerySet, *, today: dt.date) -> QuerySet:
    """``measures`` with each one's light computed by the database (``light_value``; see attach_lights)."""
    return measures.annotate(light_value=light_expression(today=today))


def attach_lights(rows, *, attr: str = "light", measure=lambda row: row):
    """Turn the ``light_value`` annotation of each row's measure into a Light (for the templates)."""
    rows = list(rows)
    for row in rows:
        value = getattr(measure(row), "light_value", None)
        setattr(row, attr, Light(value) if value else None)
    return rows


def light_summary(measures: QuerySet, *, today: dt.date) -> list[dict]:
    """[{light, label, count}] for green, yellow and red over ``measures``: one grouped query."""
    counts = sql_light_counts(measures, today=today)
    return [{"light": light.value, "label": light.label, "count": counts[light.value]} for light in LIGHTS]


# --- Shared prefetches ------------------------------------------------------------------


def _assignments_prefetch() -> Prefetch:
    return Prefetch("assignments", queryset=assignments_in_role_order())  # 牵头, 主责, 协办


def _latest_progress_prefetch(prefix: str = "") -> Prefetch:
    """The newest progress update of each measure, as ``measure.latest_progress`` (a list of 0 or 1)."""
    return Prefetch(
        f"{prefix}progress_updates",
        queryset=ProgressUpdate.objects.select_related("unit").order_by("-created_at", "-id")[:1],
        to_attr="latest_progress",
    )


def measure_rows(measures: QuerySet) -> QuerySet:
    """Measures ready for a dashboard table: plan, chapter, units and latest progress in four queries."""
    return measures.select_related("task__plan", "task__chapter").prefetch_related(
        _assignments_prefetch(), _latest_progress_prefetch()
    )
