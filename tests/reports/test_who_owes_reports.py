"""Who owes which month's report: a unit owes month P once a plan it carries was imported before P ended.

One rule (reports/reporting_units.py) for the overview, the trend, the unit table, the /reports/ pages,
the reminders, the ranking and the weekly notice. Most tests are on fixed dates in 2026: October's reports
fall due on Wednesday 4 November, November's on Thursday 3 December.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from departments.models import Unit
from reports import dashboards
from reports.models import MonthlyReport, Reminder
from reports.notifications.reminders import due_reminders
from reports.outputs.notices import notice_data
from reports.outputs.ranking import build_ranking
from reports.reporting_units import (
    every_reporting_unit_owes,
    first_owed_months,
    owed_q,
    owes,
    units_owing_report,
)
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Plan
from tests.factories import AssignmentFactory, MeasureFactory, PlanFactory, UnitFactory, at, make_user, report

pytestmark = pytest.mark.django_db

NATIONAL = WorkdayCalendar({})
JUNE, AUG, SEP, OCT, NOV = (dt.date(2026, month, 1) for month in (6, 8, 9, 10, 11))
IMPORTED_2_NOV = at(dt.date(2026, 11, 2), 8)  # two days before October's reports fall due
TODAY = dt.date(2026, 11, 26)


def carrying(name: str, *, imported: dt.datetime | None = None):
    """A unit leading one measure of a plan imported at ``imported`` (default: long ago)."""
    unit = UnitFactory(name=name)
    plan = PlanFactory(created_at=imported) if imported else PlanFactory()
    AssignmentFactory(measure=MeasureFactory(task__chapter__plan=plan), unit=unit, role=Assignment.Role.LEAD)
    return unit


@pytest.fixture
def new_plan():
    """区生态环境局 has carried measures for years; 区园林绿化局's only plan came on 2 November 2026."""
    old = carrying("区生态环境局")
    new = carrying("区园林绿化局", imported=IMPORTED_2_NOV)
    return {
        "old": old,
        "new": new,
        "alice": make_user("alice", units=[old]),
        "bob": make_user("bob", units=[new]),
        "office": make_user("chief", "office_admin"),
    }


def test_the_units_of_a_plan_owe_the_month_it_was_imported_in_and_later(new_plan):
    old, new = new_plan["old"], new_plan["new"]
    assert list(units_owing_report(OCT)) == [old]
    assert set(units_owing_report(NOV)) == set(units_owing_report(dt.date(2027, 1, 1))) == {old, new}
    assert first_owed_months()[new.pk] == NOV
    # Imported at 23:59 on 31 October (Beijing time): October's report is owed; at midnight, it is not.
    plans = Plan.objects.filter(tasks__measures__assignments__unit=new)
    plans.update(created_at=timezone.make_aware(dt.datetime(2026, 10, 31, 23, 59)))
    assert set(units_owing_report(OCT)) == {old, new} and first_owed_months()[new.pk] == OCT
    plans.update(created_at=timezone.make_aware(dt.datetime(2026, 11, 1)))
    assert list(units_owing_report(OCT)) == [old] and first_owed_months()[new.pk] == NOV
    # Groups (各街乡镇 …) and inactive units never owe a report.
    Unit.objects.filter(pk=carrying("各街乡镇").pk).update(kind=Unit.Kind.GROUP)
    Unit.objects.filter(pk=carrying("区原环保局").pk).update(is_active=False)
    assert set(units_owing_report(NOV)) == {old, new} and set(first_owed_months()) == {old.pk, new.pk}


def test_from_a_month_on_the_first_owed_months_are_the_full_answers_floored_at_it(new_plan):
    """With ``from_period`` the dashboards skip reading every assignment when every plan came before that month;
    whichever way it is answered, each unit's month is its true first month, or ``from_period`` if later."""
    Unit.objects.filter(pk=carrying("各街乡镇").pk).update(kind=Unit.Kind.GROUP)
    Unit.objects.filter(pk=carrying("区原环保局").pk).update(is_active=False)
    full = first_owed_months()
    for since in (
        JUNE,
        OCT,
        NOV,
        dt.date(2027, 1, 1),
    ):  # OCT: the grouped read; NOV on: every plan came before
        assert first_owed_months(from_period=since) == {unit: max(m, since) for unit, m in full.items()}, (
            since
        )
    old = new_plan["old"]
    assert first_owed_months([old.pk], from_period=NOV) == {old.pk: NOV}


def test_every_reporting_unit_owes_a_month_only_once_every_plan_in_force_came_before_its_end(new_plan):
    """The /reports/ overview skips each unit's first owed month when this says so."""
    assert not every_reporting_unit_owes(OCT)  # 区园林绿化局's plan came on 2 November
    assert every_reporting_unit_owes(NOV)
    Plan.objects.filter(created_at=IMPORTED_2_NOV).update(withdrawn_at=timezone.now())
    assert every_reporting_unit_owes(OCT)  # a withdrawn plan asks nothing


def test_no_late_or_missing_report_for_the_month_before_the_import_on_the_overview(new_plan):
    status = dashboards.report_period_status(today=TODAY, calendar=NATIONAL)
    assert status.period == OCT and (status.expected, status.on_time) == (1, 0)
    assert [p.unit for p in status.problems] == [new_plan["old"]]


def test_no_reminder_for_the_month_before_the_import_but_one_for_the_month_of_it(new_plan):
    alice, bob, office = new_plan["alice"], new_plan["bob"], new_plan["office"]
    assert report_due_date(OCT, NATIONAL) == dt.date(2026, 11, 4)
    for day, kind in (
        (dt.date(2026, 11, 2), Reminder.Kind.REPORT_AHEAD),
        (dt.date(2026, 11, 4), Reminder.Kind.REPORT_TODAY),
    ):
        reminders = [r for r in due_reminders(on=day, calendar=NATIONAL) if r.kind == kind]
        assert [r.recipient_id for r in reminders] == [alice.pk]
    (missing,) = [
        r
        for r in due_reminders(on=dt.date(2026, 11, 5), calendar=NATIONAL)
        if r.kind == Reminder.Kind.REPORTS_MISSING and r.recipient_id == office.pk
    ]
    assert "共 1 个单位未报送" in missing.text and "区园林绿化局" not in missing.text
    # November's report: both units owe it, and both are reminded on its due date.
    due_nov = report_due_date(NOV, NATIONAL)
    reminders = [
        r for r in due_reminders(on=due_nov, calendar=NATIONAL) if r.kind == Reminder.Kind.REPORT_TODAY
    ]
    assert sorted(r.recipient_id for r in reminders) == sorted([alice.pk, bob.pk])


def test_no_ranking_row_for_the_month_before_the_import(new_plan):
    old, new = new_plan["old"], new_plan["new"]
    assert [row.unit_id for row in build_ranking(period=OCT).rows.all()] == [old.pk]
    assert {row.unit_id for row in build_ranking(period=NOV).rows.all()} == {old.pk, new.pk}


def test_the_weekly_notice_lists_no_report_problem_for_the_month_before_the_import(new_plan):
    data = notice_data(
        week_start=dt.date(2026, 11, 9), calendar=NATIONAL
    )  # October's reports are the latest due
    assert data.report_period == OCT
    assert data.report_problems == [("区生态环境局", "未报送")]
    assert [label for label, _score in data.best] == ["区生态环境局"]
    assert data.figures["units"] == 2  # both carry measures, whichever month they report from


def test_the_sql_of_who_owes_a_month_selects_the_reports_owes_selects():
    """owed_q (a WHERE clause, one IN list per first month) keeps the reports ``owes`` keeps: units with
    different first months, reports before, on and after each, a unit that owes nothing, no unit at all."""
    units = [
        carrying("区生态环境局"),
        carrying("区水务局", imported=at(dt.date(2026, 6, 15))),
        carrying("区园林绿化局", imported=at(dt.date(2026, 8, 10))),
        carrying("区交通委", imported=IMPORTED_2_NOV),
    ]
    idle = UnitFactory(name="区档案局")  # carries nothing: owes nothing, yet filed a report
    for unit in [*units, idle]:
        for month in range(5, 12):
            report(unit, dt.date(2026, month, 1), submitted=at(dt.date(2026, month, 20)))
    first_owed = first_owed_months()
    assert len(set(first_owed.values())) > 2 and idle.pk not in first_owed
    reports = MonthlyReport.objects.all()
    expected = {r.pk for r in reports if owes(first_owed, r.unit_id, r.period)}
    assert 0 < len(expected) < reports.count()
    assert set(reports.filter(owed_q(first_owed)).values_list("pk", flat=True)) == expected
    assert not reports.filter(owed_q({})).exists()


def test_the_ranking_rate_of_a_unit_whose_plan_came_in_june_covers_june_to_the_ranked_month():
    water = carrying("区水务局", imported=at(dt.date(2026, 6, 15)))
    for period in (JUNE, dt.date(2026, 7, 1), AUG, SEP):
        report(water, period, submitted=report_due_date(period, NATIONAL))
    # October's report is missing: 4 of the 5 months owed (June … October) on time, not 4 of 10.
    (row,) = build_ranking(period=OCT).rows.all()
    assert row.on_time_report_rate == Decimal("0.8000")
    assert row.score == Decimal("96.00")  # 60 + 20 × 0.8 + 20 × 1 (no measure due yet)


def test_the_trend_shows_no_rate_for_months_nobody_owed():
    unit = carrying("区水务局", imported=at(dt.date(2026, 8, 10)))
    report(unit, AUG, submitted=report_due_date(AUG, NATIONAL))
    trend = {t["period"]: t["on_time_rate"] for t in dashboards.monthly_trend(today=TODAY)}
    before = [period for period in trend if period < AUG]
    assert len(before) == 8 and all(trend[period] is None for period in before)
    assert (trend[AUG], trend[SEP], trend[OCT], trend[NOV]) == (1.0, 0.0, 0.0, None)


def test_the_unit_tables_rate_counts_only_the_months_each_unit_owed():
    old = carrying("区生态环境局")
    new = carrying("区水务局", imported=at(dt.date(2026, 8, 10)))
    newest = carrying("区园林绿化局", imported=IMPORTED_2_NOV)
    for month in range(1, 11):  # the old unit on time from January to October 2026
        period = dt.date(2026, month, 1)
        report(old, period, submitted=report_due_date(period, NATIONAL))
    for period in (AUG, SEP):
        report(new, period, submitted=report_due_date(period, NATIONAL))
    rows = {row.unit.pk: row for row in dashboards.unit_table(today=TODAY)}
    # The window: November 2025 … October 2026, the 12 months whose reports are past due. The old unit
    # owed all 12; the August unit August, September and October; the November one none of them.
    assert rows[old.pk].on_time_rate == pytest.approx(10 / 12)
    assert rows[new.pk].on_time_rate == pytest.approx(2 / 3)
    assert rows[newest.pk].on_time_rate is None
    assert [(rows[u.pk].on_time_reports, rows[u.pk].reports_owed) for u in (old, new, newest)] == [
        (10, 12),
        (2, 3),
        (0, 0),
    ]


# --- The pages, on today's real date ---------------------------------------------------------


def _this_and_last_month():
    this_month = first_of_month(timezone.localdate())
    return this_month, previous_month(this_month)


def test_the_overview_page_and_the_report_grid_leave_out_a_plan_imported_this_month(
    client, late_in_the_month
):
    this_month, last_month = _this_and_last_month()
    carrying("区生态环境局")
    carrying("区园林绿化局", imported=timezone.now())
    client.force_login(make_user("chief", "office_admin"))

    response = client.get(reverse("dashboards:overview"))
    assert re.search(r'data-figure="reports-expected">(\d+)<', response.content.decode()).group(1) == "1"
    assert [p.unit.name for p in response.context["data"].reports.problems] == ["区生态环境局"]

    rows = client.get(reverse("reports:list"), {"period": f"{last_month:%Y-%m}"}).context["rows"]
    assert [(row.unit.name, row.timeliness) for row in rows] == [("区生态环境局", "missing")]
    rows = client.get(reverse("reports:list"), {"period": f"{this_month:%Y-%m}"}).context["rows"]
    assert sorted(row.unit.name for row in rows) == ["区园林绿化局", "区生态环境局"]


def test_staff_see_only_the_months_their_unit_owed(client):
    this_month, last_month = _this_and_last_month()
    two_months_ago = previous_month(last_month)
    unit = carrying("区水务局", imported=at(two_months_ago.replace(day=10)))
    staff = make_user("water", units=[unit])
    client.force_login(staff)
    rows = client.get(reverse("reports:list")).context["rows"]
    assert [row.period for row in rows] == [
        this_month,
        last_month,
        two_months_ago,
    ]  # this month: may file early
    assert rows[0].timeliness == "pending"

    fresh = carrying("区园林绿化局", imported=timezone.now())
    client.force_login(make_user("parks", units=[fresh]))
    response = client.get(reverse("reports:list"))
    assert [(row.period, row.timeliness) for row in response.context["rows"]] == [(this_month, "pending")]
    page = client.get(reverse("reports:detail", args=[fresh.pk, last_month.year, last_month.month]))
    assert page.context["timeliness"] == "无需报送"  # opened by URL or the previous-month link

    client.force_login(staff)
    page = client.get(reverse("reports:detail", args=[unit.pk, last_month.year, last_month.month]))
    assert page.context["timeliness"] in (
        "未报送（已逾期）",
        "待报送",
    )  # owed: missing, or not yet due early in a month
