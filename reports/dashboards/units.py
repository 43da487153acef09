"""The by-unit dashboard: a row of counts and report rates per unit, and one unit's page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from departments.models import Unit
from reports.models import MonthlyReport
from reports.reporting_units import first_owed_months
from reports.workdays import WorkdayCalendar
from tasks.models import (
    Assignment,
    Plan,
    ProgressUpdate,
    in_force_q,
    latest_progress_prefetch,
    measure_in_force_q,
    overdue_q,
)
from tasks.selectors import assignments_in_role_order
from tasks.traffic_light import Light, measure_light
from tasks.traffic_light_sql import light_expression

from .measure_lists import LIGHTS
from .trend import REPORT_WINDOW_MONTHS, on_time_counts, report_window

UNIT_MEASURES_PER_PAGE = 50

# --- By unit -----------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    lead: int = 0
    responsible: int = 0
    assisting: int = 0
    measures: int = 0
    done: int = 0
    finished_late: int = 0  # of ``done``: finished after the deadline (逾期完成)
    on_track: int = 0
    warning: int = 0
    overdue: int = 0
    on_time_reports: int = 0
    reports_owed: int = 0  # months of the report window the unit owed
    on_time_rate: float | None = None
    last_report_at: dt.datetime | None = None
    last_report_period: dt.date | None = None


UNIT_SORT_KEYS = (
    "name",
    "district",
    "lead",
    "responsible",
    "assisting",
    "measures",
    "done",
    "finished_late",
    "on_track",
    "warning",
    "overdue",
    "on_time_rate",
    "last_report_at",
)


_STATE_COLUMNS = {
    "done": ("done",),
    "done_late": ("done", "finished_late"),
    Light.GREEN.value: ("on_track",),
    Light.YELLOW.value: ("warning",),
    Light.RED.value: ("overdue",),
}


def _unit_counts(today: dt.date, unit_ids=None) -> dict[int, dict]:
    """Per unit: roles carried, and its measures done / on track / warning / overdue.

    One query grouped by unit and the measure's state (its light, with finished
    measures apart), so the light is computed once per assignment; a measure's
    state is the same in every group it appears in, so distinct counts add up.
    """
    assignments = Assignment.objects.filter(in_force_q("measure__")).order_by()
    if unit_ids is not None:
        assignments = assignments.filter(unit_id__in=unit_ids)
    rows = (
        assignments.annotate(
            state=light_expression(
                today=today, prefix="measure__", finished="done", finished_late="done_late"
            )
        )
        .values("unit_id", "state")
        .annotate(
            lead=Count("id", filter=Q(role=Assignment.Role.LEAD)),
            responsible=Count("id", filter=Q(role=Assignment.Role.RESPONSIBLE)),
            assisting=Count("id", filter=Q(role=Assignment.Role.ASSISTING)),
            measures=Count("measure_id", distinct=True),
        )
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        c = counts.setdefault(row["unit_id"], Counter())
        c.update({key: row[key] for key in ("lead", "responsible", "assisting", "measures")})
        for column in _STATE_COLUMNS[row["state"]]:
            c[column] += row["measures"]
    return counts


def _unit_reports(today: dt.date, unit_ids=None) -> dict[int, dict]:
    """Per unit: months of the report window it owed, of which reported on time, and its latest report."""
    calendar = WorkdayCalendar.from_database()
    window = report_window(today=today, calendar=calendar)
    first_owed = first_owed_months(unit_ids, from_period=min(window))
    reports = MonthlyReport.objects.order_by()
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=unit_ids)
    on_time = on_time_counts(reports.filter(period__in=window), first_owed, by="unit_id")
    figures = {
        unit_id: {"owed": sum(1 for period in window if period >= first), "on_time": on_time[unit_id]}
        for unit_id, first in first_owed.items()
    }
    for row in reports.values("unit_id").annotate(
        last_at=Max("first_submitted_at"),
        last_period=Max("period", filter=Q(first_submitted_at__isnull=False)),
    ):
        figures.setdefault(row["unit_id"], {"owed": 0, "on_time": 0}).update(row)
    return figures


def _carrying_units(units: QuerySet | None) -> QuerySet:
    """``units`` (or every unit) that carry a measure of a plan in force."""
    return (units if units is not None else Unit.objects.all()).filter(
        Exists(Assignment.objects.filter(in_force_q("measure__"), unit=OuterRef("pk")))
    )


def _unit_rows(unit_list: list[Unit], today: dt.date, ids) -> list[UnitRow]:
    """A row of figures for each unit of ``unit_list`` (``ids``: their ids, a list or a subquery)."""
    counts = _unit_counts(today, ids)
    reports = _unit_reports(today, ids)
    rows = []
    for unit in unit_list:
        row = UnitRow(unit=unit, **counts.get(unit.pk, {}))
        report = reports.get(unit.pk)
        if report:
            row.on_time_reports, row.reports_owed = report["on_time"], report["owed"]
            row.last_report_at = report.get("last_at")
            row.last_report_period = report.get("last_period")
        # Over the months the unit owed only: none owed yet (a plan imported this month, a group) → no rate.
        row.on_time_rate = row.on_time_reports / row.reports_owed if row.reports_owed else None
        rows.append(row)
    return rows


def unit_table(*, today: dt.date, units: QuerySet | None = None, sort: str = "name") -> list[UnitRow]:
    """Every unit carrying measures (or ``units``), with its figures: a fixed number of queries."""
    units = _carrying_units(units)
    unit_list = list(units.order_by("district", "name"))
    ids = units.order_by().values("pk")  # a subquery: SQLite plans a long IN list of ids badly
    return sort_unit_rows(_unit_rows(unit_list, today, ids), sort)


# Sorting by these needs no figure: the database orders and pages the units, and only the page's rows are
# figured. The ties fall as sort_unit_rows leaves them (the units come in district, name order).
_SQL_ORDERS = {
    "name": ("name", "district"),
    "-name": ("-name", "district"),
    "district": ("district", "name"),
    "-district": ("-district", "name"),
}


@dataclass
class UnitsPage:
    page: Page  # of UnitRow
    busiest: list[UnitRow]  # the units carrying most measures, for the bar chart


def _measure_counts(units: QuerySet | None) -> list[tuple[int, int]]:
    """(unit id, measures it carries) for each unit of ``units`` carrying any: one count, no light, grouped by
    the unit alone (a unit whose assignments are all of withdrawn plans has none in force, so no row)."""
    assignments = Assignment.objects.filter(measure_in_force_q())  # no join: 130 → 50 ms at city scale
    if units is not None:
        assignments = assignments.filter(unit__in=units.order_by().values("pk"))
    return list(
        assignments.order_by()
        .values("unit_id")
        .annotate(measures=Count("measure_id", distinct=True))
        .values_list("unit_id", "measures")
    )


def _busiest(counts: list[tuple[int, int]], limit: int) -> list[int]:
    """Of ``counts``, the ids that may be among the ``limit`` busiest: every unit with as many measures as the
    ``limit``-th (ties are broken by name once the units are loaded)."""
    ranked = sorted((n for _pk, n in counts), reverse=True)
    if not ranked or limit <= 0:
        return []
    least = ranked[min(limit, len(ranked)) - 1]
    return [pk for pk, n in counts if n >= least]


def unit_page(
    *,
    today: dt.date,
    units: QuerySet | None = None,
    sort: str = "name",
    page=None,
    per_page: int = 50,
    busiest: int = 20,
) -> UnitsPage:
    """One page of ``unit_table`` and the ``busiest`` units. Sorted by name or district, the database orders
    and pages the units and only the page's and the busiest units are figured (70 units' assignments, not
    150,000); sorted by a figure, every unit is (the whole table, as the export)."""

    def top(rows) -> list[UnitRow]:
        return sorted(rows, key=lambda r: (-r.measures, r.unit.name, r.unit.district))[:busiest]

    if sort not in _SQL_ORDERS and sort.lstrip("-") in UNIT_SORT_KEYS:
        rows = unit_table(today=today, units=units, sort=sort)
        return UnitsPage(Paginator(rows, per_page).get_page(page), top(rows))
    candidates = _busiest(_measure_counts(units), busiest)
    ordered = (
        _carrying_units(units)
        .order_by(*_SQL_ORDERS.get(sort, _SQL_ORDERS["name"]), "pk")
        .values_list("pk", flat=True)
    )
    page = Paginator(ordered, per_page).get_page(page)
    page_ids = list(page.object_list)
    chosen = Unit.objects.in_bulk(set(page_ids) | set(candidates))
    by_id = {row.unit.pk: row for row in _unit_rows(list(chosen.values()), today, list(chosen))}
    page.object_list = [by_id[pk] for pk in page_ids]
    return UnitsPage(page, top(by_id[pk] for pk in candidates))


def sort_unit_rows(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    key = sort.lstrip("-")
    if key not in UNIT_SORT_KEYS:
        key, sort = "name", "name"
    reverse = sort.startswith("-")

    def value(row):
        if key in ("name", "district"):
            return getattr(row.unit, key)
        return getattr(row, key)

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]  # blanks last, whichever the direction
    return sorted(present, key=value, reverse=reverse) + missing


@dataclass
class UnitDetail:
    unit: Unit
    row: UnitRow
    page: Page  # of the unit's assignments, each with ``light``
    by_light: list[dict]
    by_plan: list[dict]
    progress: list[ProgressUpdate]
    reports: list[MonthlyReport]


def unit_assignments(unit: Unit, *, today: dt.date) -> QuerySet:
    """The unit's measures (through its assignments), with plan, chapter, light and latest progress."""
    return _assignment_rows(unit).annotate(light_value=light_expression(today=today, prefix="measure__"))


def _assignment_rows(unit: Unit) -> QuerySet:
    """The unit's assignments of plans in force with their measure, plan, chapter, units and latest progress,
    in the plans' order."""
    return (
        Assignment.objects.filter(in_force_q("measure__"), unit=unit)
        .select_related("measure__task__plan", "measure__task__chapter")
        .prefetch_related(
            latest_progress_prefetch("measure__"),
            Prefetch("measure__assignments", queryset=assignments_in_role_order()),
        )
        .order_by(
            "measure__task__plan__year_start",
            "measure__task__plan_id",
            "measure__task__number",
            "measure__sequence",
            "role",
        )
    )


def unit_plans(unit: Unit, *, today: dt.date) -> list[dict]:
    """The plans the unit carries measures of, with how many and how many overdue: one grouped query."""
    rows = (
        Assignment.objects.filter(in_force_q("measure__"), unit=unit)
        .order_by("measure__task__plan__year_start", "measure__task__plan_id")
        .values("measure__task__plan_id", "measure__task__plan__title", "measure__task__plan__year_start")
        .annotate(
            measures=Count("measure_id", distinct=True),
            overdue=Count("measure_id", distinct=True, filter=overdue_q(today, "measure__")),
        )
    )
    return [
        {
            "plan": Plan(pk=r["measure__task__plan_id"], title=r["measure__task__plan__title"]),
            "measures": r["measures"],
            "overdue": r["overdue"],
        }
        for r in rows
    ]


def _lights_of_row(row: UnitRow) -> list[dict]:
    """The unit's measures by light, as light_summary gives them, from its row's counts (a measure's state
    there is its light, with finished measures apart: done on time shows green, 逾期完成 late)."""
    counts = {
        Light.GREEN: row.on_track + row.done - row.finished_late,
        Light.YELLOW: row.warning,
        Light.RED: row.overdue,
        Light.LATE: row.finished_late,
    }
    return [{"light": light.value, "label": light.label, "count": counts[light]} for light in LIGHTS]


def unit_detail(*, unit: Unit, today: dt.date, page=None, history_limit: int = 30) -> UnitDetail:
    """A unit's own page: its figures, one page of its measures, its plans, recent progress and reports."""
    rows = unit_table(today=today, units=Unit.objects.filter(pk=unit.pk))
    row = rows[0] if rows else UnitRow(unit=unit)
    page = Paginator(_assignment_rows(unit), UNIT_MEASURES_PER_PAGE).get_page(page)
    page.object_list = list(page.object_list)
    for assignment in page.object_list:  # fifty lights by the rule itself, where SQL's took longer to compile
        assignment.light = measure_light(assignment.measure, today=today)
    progress = list(
        ProgressUpdate.objects.filter(unit=unit)
        .select_related("measure", "author")
        .order_by("-created_at", "-id")[:history_limit]
    )
    reports = list(MonthlyReport.objects.filter(unit=unit).order_by("-period")[:REPORT_WINDOW_MONTHS])
    return UnitDetail(
        unit=unit,
        row=row,
        page=page,
        by_light=_lights_of_row(row),
        by_plan=unit_plans(unit, today=today),
        progress=progress,
        reports=reports,
    )
