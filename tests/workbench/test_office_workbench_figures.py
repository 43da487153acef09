"""The office's 工作台 figures, read by faster queries, are those the straightforward rules gave."""

import datetime as dt

import pytest
from django.db.models import Count

from departments.models import Jurisdiction
from reports.dashboards.trend import current_report_period, report_period_status
from reports.models import MonthlyReport
from reports.reporting_units import units_owing_report
from reports.selectors import ON_TIME, timeliness
from reports.workbench.selectors import office_workbench
from reports.workdays import WorkdayCalendar, report_due_date
from tasks.models import Assignment, Measure, finished_q, in_force_q, in_scope_q, overdue_q
from tests.dashboards.conftest import generate

pytestmark = pytest.mark.django_db


def overdue_lead_units_counted_distinct(today, scope=None) -> list[dict]:
    """The rule as first written: each lead unit's distinct overdue measures, most first, then by name."""
    return list(
        Assignment.objects.filter(
            overdue_q(today, "measure__") & in_force_q("measure__") & in_scope_q(scope, "measure__"),
            role=Assignment.Role.LEAD,
        )
        .values("unit_id", "unit__name")
        .annotate(n=Count("measure_id", distinct=True))
        .order_by("-n", "unit__name")[:10]
    )


def test_the_lead_units_with_most_overdue_measures_are_those_the_distinct_count_gave():
    summary = generate("larger")
    days = [summary.as_of + dt.timedelta(days=d) for d in (-90, 0, 200)]
    scopes = [None, *Jurisdiction.objects.filter(plans__isnull=False).distinct()[:2]]
    seen = set()
    for today in days:
        for scope in scopes:
            expected = overdue_lead_units_counted_distinct(today, scope)
            assert office_workbench(today=today, scope=scope).overdue_by_unit == expected
            seen.add(len(expected))
    assert max(seen) == 10 and len(seen) > 1  # full lists and shorter ones


def test_the_open_measures_index_holds_exactly_the_measures_not_finished():
    (index,) = [i for i in Measure._meta.indexes if i.name == "measure_open_by_due_date"]
    assert index.condition == ~finished_q()


def report_period_status_as_models(*, today, scope=None):
    """The month's status as first written: every owing unit and every report built as a model."""
    period = current_report_period(today)
    due = report_due_date(period, WorkdayCalendar.from_database())
    reports = {r.unit_id: r for r in MonthlyReport.objects.filter(period=period)}
    problems, on_time = [], 0
    units = list(units_owing_report(period).in_scope(scope).order_by("district", "name"))
    for unit in units:
        report = reports.get(unit.pk)
        state = timeliness(
            due_date=report.due_date if report else due,
            first_submitted_at=report and report.first_submitted_at,
            today=today,
        )
        if state == ON_TIME:
            on_time += 1
        else:
            problems.append((unit, report, state))
    return len(units), on_time, problems


def test_the_months_late_and_missing_reports_are_those_read_as_models():
    summary = generate("larger")
    days = [summary.as_of + dt.timedelta(days=d) for d in (-35, -27, 0, 3, 40)]
    scopes = [None, *Jurisdiction.objects.filter(plans__isnull=False).distinct()[:2]]
    kinds = set()
    for today in days:
        for scope in scopes:
            expected, on_time, problems = report_period_status_as_models(today=today, scope=scope)
            status = report_period_status(today=today, scope=scope)
            assert (status.expected, status.on_time) == (expected, on_time)
            got = [(p.unit, p.report, p.timeliness) for p in status.problems]
            assert got == problems  # models compare by primary key: the same units and reports
            for p, (unit, report, _state) in zip(status.problems, problems):
                assert (p.unit.name, p.unit.district) == (unit.name, unit.district)
                if report is not None:
                    assert (p.report.state, p.report.first_submitted_at, p.report.summary) == (
                        report.state,
                        report.first_submitted_at,
                        report.summary,
                    )
            kinds |= {(p.timeliness, p.report is None) for p in status.problems} | {on_time > 0}
    assert {("missing", True), ("late", False), True} <= kinds
