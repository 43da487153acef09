"""Which units owe a monthly report, and for which months: the one rule every page, job and file follows.

A unit owes the report on month P when it is active, is not a group, and
carries a measure of a plan in force (not withdrawn) imported (``Plan.created_at``, 导入时间) before
the end of P — before local midnight of the first day of the next month. So
a plan imported on 20 November makes its units owe November's report (due
early December), not October's; and from that month on, every month.

Group names (各街乡镇 …) stand for other units and never report themselves.

- ``reporting_units()``: the units that owe reports at all (any month), where
  the month does not matter;
- ``units_owing_report(period)``: the units that owe month ``period``'s report;
- ``first_owed_months()``: each unit's first owed month, in one grouped query,
  for callers that look at many months (``owes`` then answers per month); from a month on, when
  every plan in force came before it, without reading every assignment;
- ``owes`` and ``owed_q``: whether a unit owes a month, given ``first_owed_months()``, in Python and as a
  WHERE clause;
- ``every_reporting_unit_owes(period)``: whether the question is moot for a month
  (every plan in force imported by its end).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from departments.models import Unit
from tasks.models import Assignment, Plan, in_force_q

from .workdays import first_of_month, next_month


def _can_report() -> QuerySet[Unit]:
    return Unit.objects.active().exclude(kind=Unit.Kind.GROUP)


def reporting_units() -> QuerySet[Unit]:
    """Active non-group units that carry at least one measure (they owe a report from some month on)."""
    return (
        _can_report()
        .filter(Exists(Assignment.objects.filter(in_force_q("measure__"), unit=OuterRef("pk"))))
        .order_by("name", "pk")
    )


def month_end_moment(period: dt.date) -> dt.datetime:
    """The moment month ``period`` ends: local midnight of the next month's first day."""
    return timezone.make_aware(dt.datetime.combine(next_month(period), dt.time.min))


def units_owing_report(period: dt.date) -> QuerySet[Unit]:
    """The units that owe the report on month ``period``: those carrying a measure of a plan imported by its end."""
    imported_by_then = Assignment.objects.filter(
        in_force_q("measure__"),
        unit=OuterRef("pk"),
        measure__task__plan__created_at__lt=month_end_moment(first_of_month(period)),
    )
    return _can_report().filter(Exists(imported_by_then)).order_by("name", "pk")


def first_owed_months(
    units: QuerySet[Unit] | list[int] | None = None, *, from_period: dt.date | None = None
) -> dict[int, dt.date]:
    """Unit id → the first month it owes a report (the month its earliest plan was imported): one grouped query.

    Only units that owe reports at all are in the answer; ``units`` (a queryset
    or a list of ids) narrows it further. ``from_period``: the caller asks only about that month and later
    ones, so a first month before it is given as ``from_period`` itself — and when every plan in force was
    imported by that month's end (``every_reporting_unit_owes``), no unit's first month is later, and the
    grouped read of every assignment (a city's 150,000) is skipped for one probe per unit.
    """
    if from_period is not None and every_reporting_unit_owes(from_period):
        owing = reporting_units().order_by()
        if units is not None:
            owing = owing.filter(pk__in=units)
        return dict.fromkeys(owing.values_list("pk", flat=True), first_of_month(from_period))
    assignments = Assignment.objects.filter(in_force_q("measure__"), unit__is_active=True).exclude(
        unit__kind=Unit.Kind.GROUP
    )
    if units is not None:
        assignments = assignments.filter(unit__in=units)
    rows = (
        assignments.order_by()
        .values("unit_id")
        .annotate(first=Min("measure__task__plan__created_at"))
        .values_list("unit_id", "first")
    )
    floor = first_of_month(from_period) if from_period is not None else None
    return {
        unit_id: max(filter(None, (first_of_month(timezone.localdate(first)), floor)))
        for unit_id, first in rows
    }


def every_reporting_unit_owes(period: dt.date) -> bool:
    """Whether every unit of ``reporting_units()`` owes month ``period``'s report: no plan in force was imported
    after the month ended, so each unit's plans in force were all imported by then. A small query over plans,
    where ``first_owed_months()`` reads every assignment (a city's 150,000: a quarter of a second)."""
    return (
        not Plan.objects.in_force().filter(created_at__gte=month_end_moment(first_of_month(period))).exists()
    )


def owes(first_owed: dict[int, dt.date], unit_id: int, period: dt.date) -> bool:
    """Whether the unit owes month ``period``'s report, given ``first_owed_months()``."""
    first = first_owed.get(unit_id)
    return first is not None and first <= period


def owed_q(first_owed: dict[int, dt.date]) -> Q:
    """Reports (rows with ``unit_id`` and ``period``) on a month their unit owes, given ``first_owed_months()``:
    ``owes`` as a WHERE clause, one IN list per first month (a city's units share a handful), so a count of
    reports groups in the database instead of reading each report."""
    units_by_first: dict[dt.date, list[int]] = {}
    for unit_id, first in first_owed.items():
        units_by_first.setdefault(first, []).append(unit_id)
    condition = Q(pk__isnull=True)  # no unit owes anything: no report counts
    for first, unit_ids in sorted(units_by_first.items()):
        condition |= Q(unit_id__in=sorted(unit_ids), period__gte=first)
    return condition
