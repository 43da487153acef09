"""Demo activity on the sample plans: progress, reports, reviews, staff for every unit; added once only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from demo.demo_activity import generate_demo_activity
from departments.models import Unit
from departments.services import load_unit_directory
from importers.services import import_file
from reports.models import MonthlyReport, ReportReview
from reports.reporting_units import first_owed_months
from tasks.models import HistoryEntry, Measure, ProgressUpdate
from tests.conftest import SAMPLE_FILES

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def sample_plans():
    load_unit_directory()
    for path in SAMPLE_FILES.values():
        import_file(data=path.read_bytes(), filename=path.name)


def totals():
    return (
        ProgressUpdate.objects.count(),
        MonthlyReport.objects.count(),
        ReportReview.objects.count(),
        HistoryEntry.objects.count(),
        get_user_model().objects.count(),
        list(Measure.objects.order_by("pk").values_list("status", "version")),
    )


def test_demo_activity_fills_the_sample_plans(sample_plans):
    measures_before = Measure.objects.count()

    added = generate_demo_activity(months=3, today=TODAY)

    assert Measure.objects.count() == measures_before  # the plans themselves are not changed
    assert added["progress_updates"] > 0 and added["reports"] > 0 and added["reviews"] > 0
    periods = list(MonthlyReport.objects.order_by("period").values_list("period", flat=True).distinct())
    assert periods == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    # The sample plans count as imported when August began: their units owe every month of the activity.
    assert set(first_owed_months().values()) == {dt.date(2026, 8, 1)}
    assert set(MonthlyReport.objects.values_list("state", flat=True)) == set(MonthlyReport.State.values)
    assert set(Measure.objects.values_list("status", flat=True)) >= {
        "done",
        "in_progress",
        "delayed",
        "ongoing",
    }
    # Every unit carrying a sample measure has staff now.
    carrying = Unit.objects.exclude(kind=Unit.Kind.GROUP).filter(assignments__isnull=False).distinct()
    assert not carrying.filter(memberships__isnull=True).exists()
    assert added["staff_created"] > 0


def test_running_it_twice_adds_nothing(sample_plans):
    generate_demo_activity(months=3, today=TODAY)
    before = totals()

    added = generate_demo_activity(months=3, today=TODAY)

    assert totals() == before
    assert not any(added.values())


def test_measures_with_real_progress_are_left_alone(sample_plans):
    from tests.factories import make_user

    measure = Measure.objects.filter(assignments__isnull=False).order_by("pk").first()
    unit = measure.assignments.first().unit
    staff = make_user("someone", "unit_staff", units=[unit])
    ProgressUpdate.objects.create(
        measure=measure, unit=unit, author=staff, status="in_progress", percent=40, note="真实填报"
    )

    generate_demo_activity(months=2, today=TODAY)

    assert list(measure.progress_updates.values_list("note", flat=True)) == ["真实填报"]
