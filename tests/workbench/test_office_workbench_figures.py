"""The office's 工作台 figures, read by faster queries, are those the straightforward rules gave."""

import datetime as dt

import pytest
from django.db.models import Count

from departments.models import Jurisdiction
from reports.workbench.selectors import office_workbench
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
