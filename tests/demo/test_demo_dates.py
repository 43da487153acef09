"""load_demo places the sample plans' deadlines, progress and completions around the day it is told is today.

The lights, the trend and the ranking then read as a working office's would: few red, completions month by
month, nothing due years away. Real imports (import_file) keep the dates their file states.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tasks.models import Measure, Milestone, Plan
from tasks.traffic_light_sql import light_counts
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db(transaction=False)


def load_demo_as_of(today: dt.date) -> None:
    call_command("load_demo", today=today, stdout=open("/dev/null", "w"))


def months_apart(a: dt.date, b: dt.date) -> float:
    return abs((a - b).days) / 30.4


@pytest.mark.parametrize("today", [dt.date(2026, 3, 1), dt.date(2027, 9, 17)])
def test_demo_reads_as_a_working_office_on_any_day(today):
    load_demo_as_of(today)

    measures = Measure.objects.all()
    lights = light_counts(measures, today=today)
    assert lights["red"] < 0.15 * measures.count()
    assert lights["green"] > lights["yellow"] > lights["red"] > 0
    finished = list(measures.exclude(finished_on=None).values_list("finished_on", flat=True))
    assert len({(day.year, day.month) for day in finished}) >= 4
    assert all(day < today for day in finished)
    deadlines = [
        *measures.exclude(due_date=None).values_list("due_date", flat=True),
        *measures.exclude(window_end=None).values_list("window_end", flat=True),
        *Milestone.objects.values_list("date", flat=True),
    ]
    assert deadlines and all(months_apart(day, today) <= 18 for day in deadlines)
    assert any(day < today for day in deadlines) and any(day > today for day in deadlines)


@pytest.mark.parametrize("later", [40, 200])
def test_a_second_run_moves_nothing(later):
    today = dt.date(2026, 11, 30)
    load_demo_as_of(today)
    before = list(Measure.objects.order_by("pk").values_list("due_date", "status", "finished_on"))

    # Weeks or months later: deadlines have passed meanwhile, which must not give a measure nobody
    # reported on a story now (its outcome is drawn by how its deadline stands on the day of the run).
    load_demo_as_of(today + dt.timedelta(days=later))

    assert list(Measure.objects.order_by("pk").values_list("due_date", "status", "finished_on")) == before


def test_a_plan_the_office_imported_keeps_the_dates_of_its_file():
    # The office's own plan, imported from its file before the demo is loaded; nobody has reported on it yet.
    measure = MeasureFactory(due_date=dt.date(2019, 6, 30))
    Plan.objects.filter(pk=measure.task.plan_id).update(
        source_sha256="0" * 64, source_name="本区行动计划.docx", year_start=2018, year_end=2020
    )

    load_demo_as_of(dt.date(2026, 11, 30))

    measure.refresh_from_db()
    plan = Plan.objects.get(pk=measure.task.plan_id)
    assert (plan.year_start, plan.year_end, measure.due_date) == (2018, 2020, dt.date(2019, 6, 30))
