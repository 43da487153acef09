"""The overview's figures: by hand on a small world, and against the database on generated data."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from reports import dashboards
from reports.selectors import MISSING
from tasks.models import Measure
from tasks.traffic_light import Light, measure_light

pytestmark = pytest.mark.django_db


def test_overview_counts_the_known_world_by_hand(known_world):
    w, today = known_world, known_world["today"]
    data = dashboards.overview(today=today)
    assert data.total == 5
    assert {s["status"]: s["count"] for s in data.by_status} == {
        "not_started": 1,
        "in_progress": 2,
        "done": 1,
        "ongoing": 1,
        "delayed": 0,
    }
    # done and the ongoing measure green; due in 5 days and the lagging not-started one yellow; overdue red
    assert {item["light"]: item["count"] for item in data.by_light} == {
        "green": 2,
        "yellow": 2,
        "red": 1,
        "late": 0,
    }
    assert [m.pk for m in data.overdue] == [w["overdue"].pk] and data.overdue[0].days_overdue == 10
    assert data.overdue[0].latest_progress[0].note == "已完成一半工地的围挡"
    assert [a.role for a in data.overdue[0].assignments.all()] == ["lead", "assisting"]  # 牵头 named first
    assert [m.pk for m in data.upcoming] == [w["soon"].pk] and data.upcoming[0].days_left == 5
    (plan,) = data.by_plan
    assert (plan.measure_total, plan.measure_done, plan.measure_overdue) == (
        5,
        1,
        1,
    ) and plan.done_rate == 0.2
    assert [(c.measure_total, c.measure_done, c.measure_overdue) for c in data.by_chapter] == [
        (2, 1, 1),
        (3, 0, 0),
    ]
    assert (data.reports.expected, data.reports.on_time) == (2, 1)
    (problem,) = data.reports.problems
    assert problem.unit == w["traffic"] and problem.timeliness == MISSING and problem.report is None


def test_trend_counts_completions_missed_deadlines_and_on_time_reports(known_world):
    w, today = known_world, known_world["today"]
    trend = {t["period"]: t for t in dashboards.monthly_trend(today=today)}
    assert len(trend) == 12 and max(trend) == today.replace(day=1)
    this_month, last_month = today.replace(day=1), w["period"]
    finished_month = Measure.objects.get(pk=w["done"].pk).finished_on.replace(day=1)
    assert trend[finished_month]["completed"] == 1  # finished the day before its deadline, 40 days ago
    assert sum(t["completed"] for t in trend.values()) == 1
    assert trend[(today - dt.timedelta(days=10)).replace(day=1)]["overdue"] == 1  # still open
    assert sum(t["overdue"] for t in trend.values()) == 1
    assert trend[last_month]["on_time_rate"] == 0.5  # ecology on time, traffic missing
    assert trend[this_month]["on_time_rate"] is None  # not due yet


def test_trend_counts_a_late_completion_as_a_missed_deadline_and_a_completion_of_its_month(known_world):
    w, today = known_world, known_world["today"]
    Measure.objects.filter(pk=w["done"].pk).update(finished_on=today.replace(day=1))  # 逾期完成

    trend = {t["period"]: t for t in dashboards.monthly_trend(today=today)}

    assert trend[today.replace(day=1)]["completed"] == 1
    assert trend[w["done"].due_date.replace(day=1)]["overdue"] == 1
    assert sum(t["overdue"] for t in trend.values()) == 2


def test_overview_figures_match_the_database_on_generated_data(scaled_world):
    today = scaled_world["summary"].as_of
    data = dashboards.overview(today=today)
    assert data.total == Measure.objects.count()
    for s in data.by_status:
        assert s["count"] == Measure.objects.filter(status=s["status"]).count()
    lights = {light.value: 0 for light in Light}
    for measure in Measure.objects.select_related("task__plan"):
        lights[measure_light(measure, today=today).value] += 1
    assert {item["light"]: item["count"] for item in data.by_light} == lights
    assert data.overdue_total == Measure.objects.overdue(on=today).count()
    assert data.upcoming_total == Measure.objects.due_between(today, today + dt.timedelta(days=30)).count()
    for plan in data.by_plan:
        measures = Measure.objects.filter(task__plan=plan)
        assert plan.measure_total == measures.count()
        assert plan.measure_overdue == measures.overdue(on=today).count()
        assert plan.measure_done == measures.count() - measures.open().count()
    assert sum(c.measure_total for c in data.by_chapter) == Measure.objects.count()


def test_overview_page_shows_the_figures(client, office_admin, known_world):
    client.force_login(office_admin)
    html = client.get(reverse("dashboards:overview")).content.decode()

    def figure(name):
        return re.search(rf'data-figure="{name}">(\d+)<', html).group(1)

    assert (figure("total"), figure("overdue-total"), figure("upcoming-total")) == ("5", "1", "1")
    assert (figure("light-red"), figure("light-yellow"), figure("light-green")) == ("1", "2", "2")
    assert figure("reports-on-time") == "1" and "区交通委" in html and "治理施工扬尘" in html
    assert 'id="chart-trend"' in html and 'data-chart="chart-heatmap"' not in html


def _figures_measure_by_measure(today, scope, plan=None):
    """The overview's figures counted one measure at a time: the Python light (tasks/traffic_light.py), the
    status, and a chapter's done and overdue measures by the measure's own dates."""
    from tasks.models import finished_q

    measures = Measure.objects.in_force().in_scope(scope).select_related("task__plan")
    if plan is not None:
        measures = measures.filter(task__plan=plan)
    finished = set(measures.filter(finished_q()).values_list("pk", flat=True))
    statuses, lights, chapters = Counter(), Counter(), {}
    overdue = upcoming = 0
    for m in measures:
        statuses[m.status] += 1
        lights[measure_light(m, today=today).value] += 1
        late = m.pk not in finished and m.due_date is not None and m.due_date < today
        soon = m.pk not in finished and m.due_date is not None and 0 <= (m.due_date - today).days <= 30
        counts = chapters.setdefault(m.task.chapter_id, [0, 0, 0])
        counts[0] += 1
        counts[1] += m.pk in finished
        counts[2] += late
        overdue += late
        upcoming += soon
    return statuses, lights, chapters, overdue, upcoming


def test_the_overviews_grouped_figures_are_those_counted_measure_by_measure(scaled_world):
    """measure_figures counts status, light, chapters, plans, overdue and due-soon measures in one grouped query
    (its lights by filters, not by the light's CASE): the same figures as counting one measure at a time with
    the Python light, with a plan withdrawn, a measure finished late, one signed off without being reported done,
    for every jurisdiction's scope and for one plan."""
    from django.utils import timezone

    from departments.models import Jurisdiction
    from reports.dashboards.overview import measure_figures
    from tasks.models import Plan

    today = scaled_world["summary"].as_of
    Plan.objects.filter(pk=Plan.objects.order_by("pk").values("pk")[:1]).update(withdrawn_at=timezone.now())
    late, signed = Measure.objects.in_force().filter(due_date__lt=today).order_by("pk")[:2]
    Measure.objects.filter(pk=late.pk).update(status="done", finished_on=late.due_date + dt.timedelta(days=3))
    Measure.objects.filter(pk=signed.pk).update(signed_off_at=timezone.now(), finished_on=signed.due_date)
    # A plan of a district, whether or not an earlier transactional test emptied the jurisdictions the
    # generated plans were given.
    district, _ = Jurisdiction.objects.get_or_create(
        code="110106", defaults={"name": "丰台区", "level": Jurisdiction.Level.DISTRICT}
    )
    Plan.objects.filter(pk=Plan.objects.order_by("-pk").values("pk")[:1]).update(jurisdiction=district)
    cases = [(scope, None) for scope in [None, *Jurisdiction.objects.filter(plans__isnull=False).distinct()]]
    cases.append((None, Plan.objects.in_force().order_by("pk").first()))
    for scope, plan in cases:
        figures = measure_figures(today=today, scope=scope, plan=plan)
        statuses, lights, chapters, overdue, upcoming = _figures_measure_by_measure(today, scope, plan)
        assert figures.by_status == [
            {"status": value, "label": label, "count": statuses[value]}
            for value, label in Measure.Status.choices
        ]
        assert {item["light"]: item["count"] for item in figures.by_light} == {
            light: lights[light] for light in ("green", "yellow", "red", "late")
        }
        assert figures.total == sum(statuses.values())
        assert {c.pk: (c.measure_total, c.measure_done, c.measure_overdue) for c in figures.by_chapter} == {
            c.pk: tuple(chapters.get(c.pk, (0, 0, 0))) for c in figures.by_chapter
        }
        assert set(chapters) <= {c.pk for c in figures.by_chapter}
        plans = {}
        for c in figures.by_chapter:
            plans[c.plan_id] = [
                a + b for a, b in zip(plans.get(c.plan_id, (0, 0, 0)), chapters.get(c.pk, (0, 0, 0)))
            ]
        assert {p.pk: [p.measure_total, p.measure_done, p.measure_overdue] for p in figures.by_plan} == {
            p.pk: plans.get(p.pk, [0, 0, 0]) for p in figures.by_plan
        }
        assert set(plans) <= {p.pk for p in figures.by_plan}
        assert (figures.overdue, figures.upcoming) == (overdue, upcoming)
    assert figures.overdue and figures.upcoming and len(cases) > 2
    assert all(p.done_rate == p.measure_done / p.measure_total for p in figures.by_plan if p.measure_total)


def test_the_trends_completions_and_missed_deadlines_are_each_months_counts(scaled_world):
    """The trend counts completions and missed deadlines in one pass grouped by both months: the same as
    counting each month with the measure rules, with a plan withdrawn and a measure finished late."""
    from django.utils import timezone

    from reports.workdays import next_month
    from tasks.models import Plan

    today = scaled_world["summary"].as_of
    Plan.objects.filter(pk=Plan.objects.order_by("pk").values("pk")[:1]).update(withdrawn_at=timezone.now())
    late = (
        Measure.objects.in_force().filter(due_date__lt=today - dt.timedelta(days=40)).order_by("pk").first()
    )
    Measure.objects.filter(pk=late.pk).update(status="done", finished_on=today - dt.timedelta(days=2))
    trend = dashboards.monthly_trend(today=today)
    measures = Measure.objects.in_force()
    for month in trend:
        period, end = month["period"], next_month(month["period"])
        completed = measures.finished().filter(finished_on__gte=period, finished_on__lt=end)
        due = measures.filter(due_date__gte=period, due_date__lt=min(end, today))
        missed = due.open().count() + due.finished_late().count()
        assert (month["completed"], month["overdue"]) == (completed.count(), missed), period
    assert sum(m["completed"] for m in trend) and sum(m["overdue"] for m in trend)
