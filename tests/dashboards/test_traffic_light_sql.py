"""The SQL traffic light (tasks/traffic_light_sql.py) gives every measure the light tasks/traffic_light.py gives it."""

import datetime as dt

import pytest
from django.utils import timezone

from tasks.models import Measure
from tasks.traffic_light import Light, measure_light
from tasks.traffic_light_sql import light_counts, with_light
from tests.dashboards.conftest import generate
from tests.factories import MeasureFactory, PlanFactory, TaskFactory

START = dt.date(2024, 1, 1)  # 1 January of the plan's first year
TODAY = START + dt.timedelta(days=300)  # 300 days spent: ties at exactly 62.5 % and 37.5 % are reachable


def assert_sql_agrees_with_python(today):
    measures = list(with_light(Measure.objects.select_related("task__plan"), today=today))
    assert measures
    differing = [
        (m.code, m.status, m.due_date, m.percent, m.light_value, measure_light(m, today=today).value)
        for m in measures
        if m.light_value != measure_light(m, today=today).value
    ]
    assert differing == []
    python_counts = {light.value: 0 for light in Light}
    for m in measures:
        python_counts[measure_light(m, today=today).value] += 1
    assert light_counts(Measure.objects.all(), today=today) == python_counts


@pytest.fixture
def edge_cases(db):
    """Measures on each side of every branch of the rule, as seen on TODAY."""
    task = TaskFactory(chapter__plan=PlanFactory(year_start=START.year, year_end=START.year + 3))
    later_plan_task = TaskFactory(
        chapter__plan=PlanFactory(year_start=TODAY.year + 1, year_end=TODAY.year + 2)
    )
    statuses = [s for s, _ in Measure.Status.choices]
    due_offsets = [None, -400, -1, 0, 1, 6, 7, 8, 30, 180, 500, 2000]
    cases = []
    for status in statuses:
        for offset in due_offsets:
            for percent in (None, 0, 10, 60, 100):
                cases.append(
                    (task, status, None if offset is None else TODAY + dt.timedelta(days=offset), percent)
                )
        cases.append((later_plan_task, status, TODAY + dt.timedelta(days=400), 0))
    # Exact ties: 300/480 = 62.5 % spent, 300/800 = 37.5 % spent (round half to even: 62 and 38).
    for days, percent in ((480, 36), (480, 37), (480, 38), (800, 11), (800, 12), (800, 13)):
        cases.append((task, Measure.Status.IN_PROGRESS, START + dt.timedelta(days=days), percent))
    # Due on the plan's first day, or before it: no expected percent at all.
    cases.append((later_plan_task, Measure.Status.NOT_STARTED, dt.date(TODAY.year + 1, 1, 1), 0))
    cases = [(*case, None) for case in cases]
    # Finished before, on and after the deadline (逾期完成), or undated; with no deadline at all.
    for offset in (None, -400, -1, 0, 30):
        due = None if offset is None else TODAY + dt.timedelta(days=offset)
        for finished_after_due in (None, -3, 0, 1, 90):
            finished_on = (
                None
                if finished_after_due is None or due is None
                else due + dt.timedelta(days=finished_after_due)
            )
            cases.append((task, Measure.Status.DONE, due, 100, finished_on))
    cases.append((task, Measure.Status.DONE, None, 100, TODAY))
    for sequence, (on_task, status, due, percent, finished_on) in enumerate(cases, start=1):
        MeasureFactory(
            task=on_task,
            sequence=sequence,
            status=status,
            due_date=due,
            percent=percent,
            finished_on=finished_on,
        )
    late_signed = MeasureFactory(
        task=task,
        sequence=len(cases) + 2,
        status=Measure.Status.IN_PROGRESS,
        due_date=TODAY - dt.timedelta(days=30),
        percent=80,
    )
    Measure.objects.filter(pk=late_signed.pk).update(signed_off_at=timezone.now(), finished_on=TODAY)
    signed = MeasureFactory(
        task=task,
        sequence=len(cases) + 1,
        status=Measure.Status.IN_PROGRESS,
        due_date=TODAY - dt.timedelta(days=3),
        percent=10,
    )
    Measure.objects.filter(pk=signed.pk).update(signed_off_at=timezone.now())
    return cases


def test_ties_round_half_to_even_as_python_does(edge_cases):
    lights = {
        (m.due_date, m.percent): m.light_value
        for m in with_light(
            Measure.objects.filter(
                due_date__in=[START + dt.timedelta(days=480), START + dt.timedelta(days=800)]
            ),
            today=TODAY,
        )
    }
    at = lambda days, percent: lights[(START + dt.timedelta(days=days), percent)]  # noqa: E731
    # 62.5 rounds to 62: 36 + 25 < 62 is behind, 37 + 25 < 62 is not.
    assert (at(480, 36), at(480, 37), at(480, 38)) == ("yellow", "green", "green")
    # 37.5 rounds to 38: 12 + 25 < 38 is behind, 13 + 25 < 38 is not.
    assert (at(800, 11), at(800, 12), at(800, 13)) == ("yellow", "yellow", "green")


def test_finished_after_the_deadline_is_late_in_both(edge_cases):
    lights = {
        (m.due_date, m.finished_on): m.light_value
        for m in with_light(Measure.objects.filter(status=Measure.Status.DONE, percent=100), today=TODAY)
    }
    due = TODAY - dt.timedelta(days=1)
    assert lights[(due, due + dt.timedelta(days=1))] == Light.LATE.value
    assert lights[(due, due)] == Light.GREEN.value  # on the deadline day is on time
    assert lights[(due, due - dt.timedelta(days=3))] == Light.GREEN.value
    assert lights[(None, TODAY)] == Light.GREEN.value  # no deadline, never late
    late = Measure.objects.finished_late()
    assert (
        late.count() == sum(1 for value in lights.values() if value == Light.LATE.value) + 1
    )  # + signed off


@pytest.mark.parametrize("days_after", [0, 1, 7, 8, 365])
def test_every_edge_case_agrees(edge_cases, days_after):
    assert_sql_agrees_with_python(TODAY + dt.timedelta(days=days_after))


@pytest.mark.django_db
@pytest.mark.parametrize("days_after", [-200, 0, 45, 400])
def test_generated_data_agrees(days_after):
    generate("larger")
    assert_sql_agrees_with_python(timezone.localdate() + dt.timedelta(days=days_after))
