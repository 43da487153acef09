"""What each role's 工作台 shows: counts with links, and the first few items of each list.

Every function runs a fixed number of queries whatever the number of units,
measures or months (tests/workbench counts them at two scales).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from departments.models import Unit
from reports.dashboards.overview import measure_figures, overdue_measures
from reports.dashboards.trend import report_period_status
from reports.models import MonthlyRanking, MonthlyReport, Notification, RankingRow, Urge, WeeklyNotice
from reports.selectors import default_period, measures_to_sign_off_count, report_grid, reports_to_review
from tasks.models import Assignment, Measure, Plan, in_force_q, in_scope_q, overdue_q

SOON_DAYS = 7
LIST_LIMIT = 5


@dataclass
class StaffWorkbench:
    units: list[Unit]
    due_soon: list[Measure]
    due_soon_total: int
    overdue: list[Measure]
    overdue_total: int
    returned: list[MonthlyReport]
    month_rows: list  # reports.selectors.MonthRow of this reporting month, one per unit
    unread: list[Notification]
    unread_total: int
    urges: list[Urge]


def _mine(unit_ids):
    return Measure.objects.in_force().filter(
        pk__in=Assignment.objects.filter(unit_id__in=unit_ids).values("measure_id")
    )


def staff_workbench(*, user, unit_ids, today: dt.date) -> StaffWorkbench:
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("name"))
    soon = (
        _mine(unit_ids).due_between(today, today + dt.timedelta(days=SOON_DAYS)).select_related("task__plan")
    )
    late = _mine(unit_ids).overdue(on=today).select_related("task__plan").order_by("due_date", "pk")
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return StaffWorkbench(
        units=units,
        due_soon=list(soon.order_by("due_date", "pk")[:LIST_LIMIT]),
        due_soon_total=soon.count(),
        overdue=list(late[:LIST_LIMIT]),
        overdue_total=late.count(),
        returned=list(
            MonthlyReport.objects.filter(unit_id__in=unit_ids, state=MonthlyReport.State.RETURNED)
            .select_related("unit")
            .order_by("period")
        ),
        month_rows=report_grid(units=units, periods=[default_period(today)], today=today),
        unread=list(unread[:LIST_LIMIT]),
        unread_total=unread.count(),
        urges=list(Urge.objects.filter(unit_id__in=unit_ids).select_related("unit", "measure")[:LIST_LIMIT]),
    )


@dataclass
class OfficeWorkbench:
    reports_to_review: int
    measures_to_sign_off: int
    overdue_total: int
    overdue_by_unit: list[dict]
    report_status: object  # reports.dashboards.trend.ReportPeriodStatus
    missing: list  # ReportProblem of units whose report is past due and missing
    recent_plans: list[Plan]


def office_workbench(*, today: dt.date, scope=None) -> OfficeWorkbench:
    """The office's page, over its jurisdiction ``scope`` (None: everything)."""
    by_unit = list(
        Assignment.objects.filter(
            overdue_q(today, "measure__") & in_force_q("measure__") & in_scope_q(scope, "measure__"),
            role=Assignment.Role.LEAD,
        )
        .values("unit_id", "unit__name")
        # A unit leads a measure once (Assignment's unique measure, unit and role): counted without DISTINCT,
        # which sorted every overdue lead assignment before counting.
        .annotate(n=Count("measure_id"))
        .order_by("-n", "unit__name")[:10]
    )
    status = report_period_status(today=today, scope=scope)
    return OfficeWorkbench(
        reports_to_review=reports_to_review(scope).count(),
        measures_to_sign_off=measures_to_sign_off_count(scope),
        overdue_total=overdue_measures(today=today, scope=scope).count(),
        overdue_by_unit=by_unit,
        report_status=status,
        missing=[p for p in status.problems if p.timeliness == "missing"],
        recent_plans=list(Plan.objects.in_scope(scope).order_by("-created_at", "-pk")[:LIST_LIMIT]),
    )


@dataclass
class LeaderWorkbench:
    total: int
    by_light: list[dict]
    by_status: list[dict]
    overdue_total: int
    report_status: object
    notice: WeeklyNotice | None
    ranking: MonthlyRanking | None
    ranking_top: list[RankingRow]


def leader_workbench(*, today: dt.date, scope=None) -> LeaderWorkbench:
    """A leader's page, over its jurisdiction ``scope`` (None: everything), with that jurisdiction's notice
    and ranking."""
    figures = measure_figures(today=today, scope=scope)
    ranking = MonthlyRanking.objects.filter(jurisdiction=scope).order_by("-period").first()
    return LeaderWorkbench(
        total=figures.total,
        by_light=figures.by_light,
        by_status=figures.by_status,
        overdue_total=figures.overdue,
        report_status=report_period_status(today=today, scope=scope),
        notice=WeeklyNotice.objects.filter(jurisdiction=scope).order_by("-week_start").first(),
        ranking=ranking,
        ranking_top=list(ranking.rows.select_related("unit").order_by("board", "rank")[:LIST_LIMIT])
        if ranking
        else [],
    )
