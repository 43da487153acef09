"""Data for dashboard and API tests: a small world with known figures, and generated data at two scales."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone

from reports.models import MonthlyReport
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, ProgressUpdate
from tests.factories import (
    AssignmentFactory,
    ChapterFactory,
    MeasureFactory,
    PlanFactory,
    TaskFactory,
    UnitFactory,
    make_user,
)

# Two data scales for the query-count tests: the count must be the same on both.
SCALES = {
    "small": {"units": 8, "measures": 40, "months": 3},
    "larger": {"units": 30, "measures": 160, "months": 6},
}


def generate(scale: str):
    from demo.generated_data import generate_data

    return generate_data(seed=7, **SCALES[scale])


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def known_world(db, late_in_the_month):
    """One plan, two chapters, five measures and two units, with figures you can count by hand.

    ecology (lead on m_done, m_overdue, m_soon; responsible on m_later), traffic (lead on m_later,
    assisting on m_overdue, lead on m_ongoing). Today is a day late in a month (tests/conftest.LATE_IN_THE_MONTH, the
    clock running on from it); dates are relative to it.
    The plan was imported last month, so both units owe last month's report and none before.
    """
    today = timezone.localdate()
    ecology, traffic = UnitFactory(name="区生态环境局"), UnitFactory(name="区交通委")
    plan = PlanFactory(
        title="丰台区蓝天保卫战行动计划",
        year_start=today.year - 1,
        year_end=today.year + 1,
        created_at=aware(previous_month(first_of_month(today)), 9),
    )
    ch1, ch2 = (
        ChapterFactory(plan=plan, number=1, title="调整结构"),
        ChapterFactory(plan=plan, number=2, title="治理扬尘"),
    )
    t1, t2 = TaskFactory(chapter=ch1, plan=plan, number=1), TaskFactory(chapter=ch2, plan=plan, number=2)
    m_done = MeasureFactory(
        task=t1,
        sequence=1,
        text="淘汰老旧车辆",
        status=Measure.Status.DONE,
        percent=100,
        due_date=today - dt.timedelta(days=40),
    )
    m_overdue = MeasureFactory(
        task=t1,
        sequence=2,
        text="治理施工扬尘",
        status=Measure.Status.IN_PROGRESS,
        percent=50,
        due_date=today - dt.timedelta(days=10),
    )
    m_soon = MeasureFactory(
        task=t2,
        sequence=1,
        text="道路清扫保洁",
        status=Measure.Status.IN_PROGRESS,
        percent=90,
        due_date=today + dt.timedelta(days=5),
    )
    m_later = MeasureFactory(
        task=t2,
        sequence=2,
        text="推广新能源公交",
        status=Measure.Status.NOT_STARTED,
        due_date=today + dt.timedelta(days=200),
    )
    m_ongoing = MeasureFactory(
        task=t2,
        sequence=3,
        text="长期实施的执法检查",
        status=Measure.Status.ONGOING,
        deadline_kind=Measure.DeadlineKind.ONGOING,
        due_date=None,
    )
    for measure, unit, role in [
        (m_done, ecology, Assignment.Role.LEAD),
        (m_overdue, ecology, Assignment.Role.LEAD),
        (m_soon, ecology, Assignment.Role.LEAD),
        (m_later, ecology, Assignment.Role.RESPONSIBLE),
        (m_later, traffic, Assignment.Role.LEAD),
        (m_overdue, traffic, Assignment.Role.ASSISTING),
        (m_ongoing, traffic, Assignment.Role.LEAD),
    ]:
        AssignmentFactory(measure=measure, unit=unit, role=role)
    staff = make_user("ecology-staff", "unit_staff", units=[ecology])
    ProgressUpdate.objects.create(
        measure=m_overdue,
        unit=ecology,
        author=staff,
        status="in_progress",
        percent=50,
        note="已完成一半工地的围挡",
    )
    done_update = ProgressUpdate.objects.create(
        measure=m_done, unit=ecology, author=staff, status="done", percent=100, note="全部淘汰"
    )
    ProgressUpdate.objects.filter(pk=done_update.pk).update(created_at=aware(today.replace(day=1)))
    # As tasks.services records it: the day it finished, here the day before its deadline (on time).
    Measure.objects.filter(pk=m_done.pk).update(finished_on=m_done.due_date - dt.timedelta(days=1))
    # Last month's report: ecology on time, traffic none at all.
    period = previous_month(first_of_month(today))
    due = report_due_date(period, WorkdayCalendar.from_database())
    MonthlyReport.objects.create(
        unit=ecology,
        period=period,
        due_date=due,
        state=MonthlyReport.State.SUBMITTED,
        summary="按时",
        first_submitted_at=aware(due - dt.timedelta(days=1)),
        submitted_at=aware(due - dt.timedelta(days=1)),
    )
    return {
        "today": today,
        "plan": plan,
        "chapters": (ch1, ch2),
        "ecology": ecology,
        "traffic": traffic,
        "staff": staff,
        "done": m_done,
        "overdue": m_overdue,
        "soon": m_soon,
        "later": m_later,
        "ongoing": m_ongoing,
        "period": period,
        "due": due,
    }


@pytest.fixture
def unit_staff(db):
    unit = UnitFactory(name="区城市管理委")
    return make_user("staff", "unit_staff", units=[unit])


@pytest.fixture(params=list(SCALES))
def scaled_world(request, db, late_in_the_month):
    """Generated data at each of the two scales, with the last two months' rankings built."""
    from reports.outputs.ranking import build_ranking

    summary = generate(request.param)
    for period in summary.periods[-2:]:
        build_ranking(period=period)
    busiest = (
        Assignment.objects.values("unit_id").annotate(n=models.Count("id")).order_by("-n", "unit_id").first()
    )
    return {"scale": request.param, "summary": summary, "unit_id": busiest["unit_id"]}


def load_sample_world(months: int = 3) -> dict:
    """The README's demo: unit directory, the five sample plans through the importer, demo accounts and
    a few months of generated activity (when demo.demo_activity is there)."""
    from demo.accounts import ensure_demo_accounts
    from departments.services import load_unit_directory
    from importers.services import import_file
    from tests.conftest import SAMPLE_FILES

    load_unit_directory()
    for path in SAMPLE_FILES.values():
        import_file(data=path.read_bytes(), filename=path.name)
    ensure_demo_accounts()
    try:
        from demo.demo_activity import generate_demo_activity
    except ImportError:  # activity generator not available: plans and units only
        return {"activity": False}
    generate_demo_activity(months=months)
    return {"activity": True}


@pytest.fixture
def sample_world(db):
    return load_sample_world()
