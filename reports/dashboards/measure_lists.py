"""Measure lists for the dashboards: traffic lights from the database and the shared prefetches that load a
table of measures in a fixed number of queries. The rules themselves (finished, overdue, in force) are
tasks.models' (finished_q, overdue_q, in_force_q and MeasureQuerySet)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Prefetch,
    QuerySet,
)

from tasks.models import latest_progress_prefetch
from tasks.selectors import assignments_in_role_order
from tasks.traffic_light import Light
from tasks.traffic_light_sql import light_counts as sql_light_counts
from tasks.traffic_light_sql import light_expression

LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED, Light.LATE)


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
    """[{light, label, count}] for green, yellow, red and late (逾期完成) over ``measures``: one grouped query."""
    counts = sql_light_counts(measures, today=today)
    return [{"light": light.value, "label": light.label, "count": counts[light.value]} for light in LIGHTS]


# --- Shared prefetches ------------------------------------------------------------------


def _assignments_prefetch() -> Prefetch:
    return Prefetch("assignments", queryset=assignments_in_role_order())  # 牵头, 主责, 协办


def measure_rows(measures: QuerySet) -> QuerySet:
    """Measures ready for a dashboard table: plan, chapter, units and latest progress in four queries."""
    return measures.select_related("task__plan", "task__chapter").prefetch_related(
        _assignments_prefetch(), latest_progress_prefetch()
    )
