"""Only the units that answer for a measure move it: the 牵头单位 (else the 主责单位); the others report their part.

Unit A leads ``world.measure_a`` and unit B (区城市管理委) assists it: B's "已完成 100%" is its own part, so
the measure keeps A's status and percent, its light, and every figure that asks "when was it completed".
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.simulated_activity import Cast, MeasureFacts, Simulation, months_between, progress_rows
from reports import dashboards
from reports.outputs.notices import notice_data
from tasks.models import Assignment, HistoryEntry, Measure, ProgressUpdate
from tasks.selectors import driving_unit_ids
from tasks.services import record_progress
from tasks.traffic_light import measure_light
from tests.factories import AssignmentFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def page(measure):
    return reverse("measure_detail", args=[measure.pk])


def report(measure, user, status, percent=None, note="进展", **kwargs):
    """A progress update through the service the page and the API use; the measure as it is now."""
    update = record_progress(measure=measure, user=user, status=status, percent=percent, note=note, **kwargs)
    measure.refresh_from_db()
    return update


def backdate(update, moment: dt.datetime) -> None:
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)


def test_an_assisting_units_done_leaves_the_measure_as_it_was(client, world):
    measure = world.measure_a
    report(measure, world.staff_a, "delayed", 80, "已改造 40 台锅炉", delay_reason="设备到货延迟")
    today = timezone.localdate()
    light_before, version_before = measure_light(measure, today=today), measure.version
    assert light_before.value == "yellow"  # 无法按期完成: a done measure would be green

    client.force_login(world.staff_b)
    response = client.post(
        reverse("measure_progress", args=[measure.pk]),
        {
            "status": "done",
            "percent": "100",
            "note": "协办部分（燃料检查）已完成",
            "version": measure.version,
            "unit": world.unit_b.pk,
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.percent) == ("delayed", 80)
    assert measure_light(measure, today=today) == light_before
    assert measure.version == version_before + 1  # every save bumps the version: a stale form is still caught
    update = ProgressUpdate.objects.get(unit=world.unit_b)
    assert (update.status, update.percent, update.sets_measure) == ("done", 100, False)
    entry = HistoryEntry.objects.filter(measure=measure).first()
    assert entry.changes == {} and "协办单位报告，不改变措施总体状态" in entry.comment

    # A later 30% from the assisting unit does not drag the measure down either.
    report(measure, world.staff_b, "in_progress", 30)
    assert (measure.status, measure.percent) == ("delayed", 80)

    response = client.get(page(measure))
    assert {(p.unit_id, p.status, p.percent) for p in response.context["latest"]} == {
        (world.unit_a.pk, "delayed", 80),
        (world.unit_b.pk, "in_progress", 30),
    }
    body = " ".join(response.content.decode().split())  # as the browser shows it: runs of spaces as one
    assert "无法按期完成 · 80%" in body and "协办部分（燃料检查）已完成" in body


def test_the_lead_units_update_moves_the_measure(world):
    measure = world.measure_a
    report(measure, world.staff_b, "done", None)
    assert measure.status == "not_started"
    lead = report(measure, world.staff_a, "in_progress", 60)
    assert (measure.status, measure.percent, lead.sets_measure) == ("in_progress", 60, True)
    report(measure, world.staff_a, "done")
    assert (measure.status, measure.percent) == ("done", 100)


def test_the_office_moves_the_measure_only_on_behalf_of_its_lead(world):
    measure = world.measure_a
    report(measure, world.office, "done", unit_id=world.unit_b.pk)
    assert (measure.status, measure.percent) == ("not_started", None)
    update = report(measure, world.office, "in_progress", 50)  # no unit given: the lead unit, listed first
    assert (update.unit, measure.status, measure.percent) == (world.unit_a, "in_progress", 50)


def test_without_a_lead_the_responsible_unit_drives(world):
    measure = MeasureFactory(task=world.measure_a.task, sequence=3, code="1-3", text="开展联合执法检查")
    AssignmentFactory(measure=measure, unit=world.unit_a, role=Assignment.Role.ASSISTING)
    AssignmentFactory(measure=measure, unit=world.unit_b, role=Assignment.Role.RESPONSIBLE)
    assert driving_unit_ids(measure) == {world.unit_b.pk}
    report(measure, world.staff_a, "done")
    assert (measure.status, measure.percent) == ("not_started", None)
    report(measure, world.staff_b, "in_progress", 70)
    assert (measure.status, measure.percent) == ("in_progress", 70)

    # With neither a lead nor a responsible unit, every unit carrying the measure drives it.
    measure.assignments.filter(unit=world.unit_b).update(role=Assignment.Role.ASSISTING)
    assert driving_unit_ids(measure) == {world.unit_a.pk, world.unit_b.pk}
    report(measure, world.staff_a, "in_progress", 75)
    assert (measure.status, measure.percent) == ("in_progress", 75)


def test_a_measure_is_completed_when_its_lead_reports_done_for_the_ranking(world):
    measure = world.measure_a
    early = report(measure, world.staff_b, "done")
    measure.refresh_from_db()
    assert measure.finished_on is None
    backdate(early, timezone.now() - dt.timedelta(days=40))
    report(measure, world.staff_a, "done")
    measure.refresh_from_db()
    assert measure.finished_on == timezone.localdate()


def test_the_dashboard_trend_counts_the_month_the_lead_reported_done(world):
    measure, today = world.measure_a, timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    early = report(measure, world.staff_b, "done")
    backdate(early, timezone.make_aware(dt.datetime.combine(last_month + dt.timedelta(days=2), dt.time(10))))
    report(measure, world.staff_a, "done")
    trend = {t["period"]: t["completed"] for t in dashboards.monthly_trend(today=today)}
    assert (trend[last_month], trend[this_month]) == (0, 1)


def test_the_weekly_notice_does_not_list_an_assisting_units_done(world):
    report(world.measure_a, world.staff_a, "in_progress", 80)
    report(world.measure_a, world.staff_b, "done")
    report(world.measure_b, world.staff_b, "done")  # B leads this one
    today = timezone.localdate()
    data = notice_data(week_start=today - dt.timedelta(days=today.weekday()))
    # a reference names the plan, then the code ("丰台区2026年计划 1-2")
    assert [code.split()[-1] for code, *_ in data.completed] == ["1-2"]


def test_an_assisting_unit_starts_from_its_own_last_report(client, world):
    measure = world.measure_a
    client.force_login(world.staff_b)
    form = client.get(page(measure)).context["form"]
    assert (form.initial["status"], form.initial["percent"]) == ("not_started", None)

    report(measure, world.staff_a, "in_progress", 80)
    report(measure, world.staff_b, "delayed", 60, delay_reason="供暖季暂停施工")
    report(measure, world.staff_a, "in_progress", 85)
    response = client.get(page(measure))
    form = response.context["form"]
    assert (form.initial["status"], form.initial["percent"], form.initial["unit"]) == (
        "delayed",
        60,
        world.unit_b.pk,
    )
    assert (
        "区城市管理委是这项措施的协办单位：您填报的进展供牵头单位和大气办掌握，不改变措施的总体状态和完成百分比。"
        in (response.content.decode())
    )

    client.force_login(world.staff_a)
    response = client.get(page(measure))
    form = response.context["form"]
    assert (form.initial["status"], form.initial["percent"]) == ("in_progress", 85)
    assert 'id="own-part-note"' not in response.content.decode()


def test_the_api_says_whether_an_update_set_the_measure(client, world):
    report(world.measure_a, world.staff_a, "in_progress", 80)
    report(world.measure_a, world.staff_b, "done")
    client.force_login(world.office)
    rows = client.get("/api/progress-updates/", {"measure": world.measure_a.pk}).json()["results"]
    assert {(row["unit"], row["sets_measure"]) for row in rows} == {
        (world.unit_a.pk, True),
        (world.unit_b.pk, False),
    }


def test_generated_stories_let_only_the_lead_move_the_measure():
    lead, assisting = 1, 2
    today = dt.date(2026, 6, 15)
    sim = Simulation(
        seed=7,
        periods=months_between(dt.date(2025, 7, 1), dt.date(2026, 5, 1)),
        as_of=today,
        cast=Cast(staff={lead: (10,), assisting: (20,)}, reviewers=(), unit_names={1: "甲", 2: "乙"}),
    )
    carriers = ((lead, Assignment.Role.LEAD), (assisting, Assignment.Role.ASSISTING))
    stories = [
        sim.measure_story(MeasureFacts(f"m{i}", Measure.DeadlineKind.DATED, today, carriers))
        for i in range(60)
    ]
    story = next(s for s in stories if any(u.unit_id == assisting for u in s.updates[:-1]))
    assert all(u.sets_measure == (u.unit_id == lead) for u in story.updates)
    last_lead = [u for u in story.updates if u.unit_id == lead][-1]
    assert (story.status, story.percent) == (last_lead.status, last_lead.percent)
    updates, history = progress_rows(1, story, sim.cast)
    assert [u.sets_measure for u in updates] == [u.sets_measure for u in story.updates]
    own_part = [h for u, h in zip(story.updates, history) if not u.sets_measure]
    assert own_part and all(h.changes == {} and "不改变措施总体状态" in h.comment for h in own_part)


def test_an_assisting_units_monthly_report_shows_its_own_part(world):
    from reports.selectors import default_period
    from reports.services import get_or_create_report, submit_report

    report(world.measure_a, world.staff_a, "in_progress", 80, "牵头单位：已改造 40 台")
    report(
        world.measure_a,
        world.staff_b,
        "in_progress",
        30,
        "协办单位：燃料检查完成三成",
        unit_id=world.unit_b.pk,
    )
    period = default_period(timezone.localdate())
    monthly = submit_report(
        report=get_or_create_report(unit=world.unit_b, period=period, user=world.staff_b),
        user=world.staff_b,
        summary="本月小结",
    )
    items = {item.measure_id: item for item in monthly.items.all()}
    assert (items[world.measure_a.pk].status, items[world.measure_a.pk].percent) == ("in_progress", 30)
    assert items[world.measure_a.pk].note == "协办单位：燃料检查完成三成"
    lead = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="本月小结",
    )
    assert lead.items.get(measure=world.measure_a).percent == 80  # the lead's report: the measure's own state
