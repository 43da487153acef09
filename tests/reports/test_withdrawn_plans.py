"""A withdrawn plan (撤回的导入, ``Plan.withdrawn_at`` set) keeps its records but leaves the office's views.

Two units carry the same kinds of measures (one overdue, one reported done and awaiting sign-off, one due
in a week) in two plans; withdrawing one plan takes its measures and its unit out of the dashboards, the
trend, the unit table, the ranking, the weekly notice, the reminders, who owes a report, the review queue
and the API lists, while the other plan's stay. Each view is read before and after the withdrawal, so a
view that ignores withdrawal fails here.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import dashboards
from reports.notifications.reminders import due_reminders
from reports.outputs.notices import notice_data
from reports.outputs.ranking import build_ranking
from reports.reporting_units import first_owed_months, units_owing_report
from reports.selectors import measures_to_sign_off, measures_to_sign_off_count
from reports.workdays import WorkdayCalendar
from tasks.models import Assignment, Measure, Plan
from tests.factories import AssignmentFactory, MeasureFactory, PlanFactory, UnitFactory, make_user, mark_done

pytestmark = pytest.mark.django_db

NATIONAL = WorkdayCalendar({})
TODAY = dt.date(2026, 11, 26)
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def _plan_carried_by(name: str) -> dict:
    """A plan whose three measures (overdue, done awaiting sign-off, due in seven days) one unit leads."""
    unit = UnitFactory(name=name)
    plan = PlanFactory(title=f"{name}的行动计划")
    staff = make_user(f"staff-{unit.pk}", units=[unit])
    measures = {
        "overdue": MeasureFactory(task__chapter__plan=plan, due_date=dt.date(2026, 11, 10)),
        "done": MeasureFactory(task__chapter__plan=plan, due_date=dt.date(2026, 12, 31)),
        "soon": MeasureFactory(task__chapter__plan=plan, due_date=TODAY + dt.timedelta(days=7)),
    }
    for measure in measures.values():
        AssignmentFactory(measure=measure, unit=unit, role=Assignment.Role.LEAD)
    mark_done(measures["done"], unit, staff, dt.date(2026, 11, 5))
    return {"unit": unit, "plan": plan, "staff": staff, **measures}


@pytest.fixture
def two_plans():
    return {"kept": _plan_carried_by("区生态环境局"), "gone": _plan_carried_by("区园林绿化局")}


def _ids(objects) -> set[int]:
    return {obj.pk for obj in objects}


def _api_ids(client, name: str) -> set[int]:
    response = client.get(reverse(name), {"page_size": 200})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def what_the_office_sees(client) -> dict[str, set]:
    """Every view of the brief, reduced to the measures, units or plans it shows."""
    overview = dashboards.overview(today=TODAY)
    trend = {t["period"]: t for t in dashboards.monthly_trend(today=TODAY)}
    notice = notice_data(week_start=dt.date(2026, 11, 16), calendar=NATIONAL)
    plans_page = client.get(reverse("dashboards:plans"))
    return {
        "overview overdue": _ids(overview.overdue),
        "overview upcoming": _ids(overview.upcoming),
        "overview plans": {p.pk for p in overview.by_plan},
        "overview total": {overview.total},
        "completion by plan": {p.pk for p in dashboards.measure_figures(today=TODAY).by_plan},
        "trend in November": {(trend[NOV]["completed"], trend[NOV]["overdue"])},
        "unit table": {row.unit.pk for row in dashboards.unit_table(today=TODAY)},
        "plans page": {
            m.pk
            for plan in plans_page.context["tree"]
            for c in plan.chapters
            for t in c.tasks
            for m in t.measures
        },
        "ranking": {row.unit_id for row in build_ranking(period=OCT).rows.all()},
        "notice overdue": {label for label, _codes in notice.overdue_by_unit},
        "notice open measures": {notice.figures["open_measures"]},
        "reminders": {r.subject for r in due_reminders(on=TODAY, calendar=NATIONAL)},
        "who owes October": _ids(units_owing_report(OCT)),
        "first owed months": set(first_owed_months()),
        "review queue": _ids(measures_to_sign_off()) | {("count", measures_to_sign_off_count())},
        "api measures": _api_ids(client, "measure-list"),
        "api plans": _api_ids(client, "plan-list"),
        "api assignments": {
            a.measure_id for a in Assignment.objects.filter(pk__in=_api_ids(client, "assignment-list"))
        },
        "api progress": _api_ids(client, "progressupdate-list"),
    }


def test_a_withdrawn_plan_leaves_every_view_of_the_office(client, two_plans):
    kept, gone = two_plans["kept"], two_plans["gone"]
    client.force_login(make_user("chief", "office_admin"))
    before = what_the_office_sees(client)

    Plan.objects.filter(pk=gone["plan"].pk).update(withdrawn_at=timezone.now())
    after = what_the_office_sees(client)

    def measure_subjects(world):
        return {f"measure:{world['overdue'].pk}", f"measure:{world['soon'].pk}:7d"}

    expectations = {  # view: (what the withdrawn plan added, what stays)
        "overview overdue": ({gone["overdue"].pk}, {kept["overdue"].pk}),
        "overview upcoming": ({gone["soon"].pk}, {kept["soon"].pk}),
        "overview plans": ({gone["plan"].pk}, {kept["plan"].pk}),
        "completion by plan": ({gone["plan"].pk}, {kept["plan"].pk}),
        "unit table": ({gone["unit"].pk}, {kept["unit"].pk}),
        "plans page": (
            {gone[k].pk for k in ("overdue", "done", "soon")},
            {kept[k].pk for k in ("overdue", "done", "soon")},
        ),
        "ranking": ({gone["unit"].pk}, {kept["unit"].pk}),
        "notice overdue": ({"区园林绿化局"}, {"区生态环境局"}),
        "reminders": (measure_subjects(gone), measure_subjects(kept)),
        "who owes October": ({gone["unit"].pk}, {kept["unit"].pk}),
        "first owed months": ({gone["unit"].pk}, {kept["unit"].pk}),
        "api measures": (
            {gone[k].pk for k in ("overdue", "done", "soon")},
            {kept[k].pk for k in ("overdue", "done", "soon")},
        ),
        "api plans": ({gone["plan"].pk}, {kept["plan"].pk}),
        "api assignments": (
            {gone[k].pk for k in ("overdue", "done", "soon")},
            {kept[k].pk for k in ("overdue", "done", "soon")},
        ),
    }
    for view, (withdrawn, staying) in expectations.items():
        assert withdrawn <= before[view] and staying <= before[view], view
        assert not withdrawn & after[view], f"{view} still shows the withdrawn plan"
        assert staying <= after[view], f"{view} lost the plan in force"

    assert before["review queue"] == {gone["done"].pk, kept["done"].pk, ("count", 2)}
    assert after["review queue"] == {kept["done"].pk, ("count", 1)}
    assert (before["overview total"], after["overview total"]) == ({6}, {3})
    assert (before["notice open measures"], after["notice open measures"]) == ({4}, {2})
    assert (before["trend in November"], after["trend in November"]) == ({(2, 2)}, {(1, 1)})
    assert len(after["api progress"]) == 1 and len(before["api progress"]) == 2


def test_a_withdrawn_plans_records_stay_readable(client, two_plans):
    gone = two_plans["gone"]
    Plan.objects.filter(pk=gone["plan"].pk).update(withdrawn_at=timezone.now())
    client.force_login(make_user("chief", "office_admin"))
    assert client.get(reverse("measure_detail", args=[gone["overdue"].pk])).status_code == 200
    assert client.get(reverse("measure-detail", args=[gone["overdue"].pk])).status_code == 200
    assert client.get(reverse("plan-detail", args=[gone["plan"].pk])).status_code == 200
    assert Measure.objects.filter(task__plan=gone["plan"]).count() == 3
    assert Measure.objects.in_force().filter(task__plan=gone["plan"]).count() == 0
