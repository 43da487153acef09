"""逾期完成: a measure finished after its deadline stays late — the day it finished is recorded when its driving
unit reports 已完成 (or the office signs it off), and the measure page, lists, dashboards and exports say so."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import dashboards
from tasks.models import Measure
from tasks.services import record_progress, sign_off_measure
from tasks.traffic_light import Light, measure_light

pytestmark = pytest.mark.django_db


def done(measure, user):
    record_progress(measure=measure, user=user, status="done", percent=100, note="已完成")
    measure.refresh_from_db()


def test_reporting_done_records_the_day_and_reopening_clears_it(world):
    measure, today = world.measure_a, timezone.localdate()
    done(measure, world.staff_a)
    assert measure.finished_on == today
    record_progress(measure=measure, user=world.staff_a, status="in_progress", percent=90, note="返工")
    measure.refresh_from_db()
    assert measure.finished_on is None


def test_done_after_the_deadline_is_late_everywhere(client, world):
    measure, today = world.measure_a, timezone.localdate()
    Measure.objects.filter(pk=measure.pk).update(due_date=today - dt.timedelta(days=10))
    measure.refresh_from_db()
    done(measure, world.staff_a)
    measure = Measure.objects.select_related("task__plan").get(pk=measure.pk)
    assert measure_light(measure, today=today) is Light.LATE
    assert list(Measure.objects.finished_late()) == [measure]

    client.force_login(world.office)
    page = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert 'data-light="late"' in page and "逾期完成" in page
    by_light = {item["light"]: item["count"] for item in dashboards.overview(today=today).by_light}
    assert by_light["late"] == 1 and sum(by_light.values()) == 2
    rows = {row.unit.name: row for row in dashboards.unit_table(today=today)}
    assert (rows["区生态环境局"].done, rows["区生态环境局"].finished_late) == (1, 1)
    listed = client.get(reverse("dashboards:plans"), {"light": "late"}).content.decode()
    assert measure.code in listed and "加强道路扬尘管控" not in listed


def test_done_by_the_deadline_is_green_and_sign_off_keeps_the_day(world):
    measure, today = world.measure_a, timezone.localdate()
    Measure.objects.filter(pk=measure.pk).update(due_date=today)
    done(measure, world.staff_a)
    sign_off_measure(measure=measure, user=world.office)
    measure = Measure.objects.select_related("task__plan").get(pk=measure.pk)
    assert measure.finished_on == today
    assert measure_light(measure, today=today + dt.timedelta(days=30)) is Light.GREEN


def test_an_early_sign_off_after_the_deadline_is_late(world):
    measure, today = world.measure_b, timezone.localdate()
    Measure.objects.filter(pk=measure.pk).update(due_date=today - dt.timedelta(days=1))
    sign_off_measure(measure=measure, user=world.office)
    measure = Measure.objects.select_related("task__plan").get(pk=measure.pk)
    assert (measure.finished_on, measure_light(measure, today=today)) == (today, Light.LATE)
