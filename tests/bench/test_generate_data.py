"""The generated data set: the scale asked for, every report state, valid data, and what a second run does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from demo.generated_data import CITY_SCALE, GeneratedDataExists, generate_data
from departments.models import Jurisdiction, Unit, UnitMembership
from reports.models import MonthlyReport, MonthlyReportItem, ReportReview
from reports.reporting_units import first_owed_months
from reports.workdays import WorkdayCalendar, report_due_date
from tasks.models import Assignment, HistoryEntry, Measure, MeasureLink, Milestone, Plan, ProgressUpdate
from tasks.selectors import driving_unit_ids

pytestmark = pytest.mark.django_db

SMALL = {"units": 20, "measures": 200, "months": 3}
END = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 11, 26)


def generate(**overrides):
    return generate_data(**{**SMALL, "seed": 3, "end_month": END, "today": TODAY, **overrides})


def test_counts_match_the_arguments():
    summary = generate()

    assert summary.created
    assert Unit.objects.exclude(kind=Unit.Kind.GROUP).count() == 20
    assert Measure.objects.count() == 200
    assert summary.periods == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert (
        list(MonthlyReport.objects.order_by("period").values_list("period", flat=True).distinct())
        == summary.periods
    )
    assert summary.counts["units"] == 20 and summary.counts["measures"] == 200
    # The plans count as imported when the first month began: every unit owes every generated month's
    # report, and none before (reports/reporting_units.py).
    assert set(first_owed_months().values()) == {summary.periods[0]}
    # Every unit carries work and has someone to do it; groups exist with members.
    units = Unit.objects.exclude(kind=Unit.Kind.GROUP)
    assert not units.filter(assignments__isnull=True).exists()
    assert not units.filter(memberships__isnull=True).exists()
    assert Unit.objects.filter(kind=Unit.Kind.GROUP).annotate(n=Count("members")).filter(n__gt=0).exists()
    assert len(set(units.values_list("kind", flat=True))) >= 3
    # Every measure has a lead; the deadline kinds of real plans all occur.
    assert not Measure.objects.exclude(assignments__role=Assignment.Role.LEAD).exists()
    assert set(Measure.objects.values_list("deadline_kind", flat=True)) >= {"dated", "ongoing", "milestones"}
    assert Milestone.objects.exists() and ProgressUpdate.objects.exists() and ReportReview.objects.exists()


def test_reports_in_every_state_some_late_and_some_missing():
    summary = generate()

    assert set(MonthlyReport.objects.values_list("state", flat=True)) == set(MonthlyReport.State.values)
    late = [r for r in MonthlyReport.objects.exclude(first_submitted_at=None) if not r.is_on_time]
    assert late
    carrying = Unit.objects.exclude(kind=Unit.Kind.GROUP).count()
    submitted = MonthlyReport.objects.exclude(first_submitted_at=None).count()
    assert submitted < carrying * len(summary.periods)  # some unit-months have no submitted report
    assert summary.counts["reports_missing"] > 0


def test_the_data_keeps_the_workflow_rules():
    summary = generate()
    as_of_end = timezone.make_aware(dt.datetime.combine(summary.as_of, dt.time(23, 59)))
    calendar = WorkdayCalendar.from_database()

    for report in MonthlyReport.objects.prefetch_related("reviews"):
        assert report.due_date == report_due_date(report.period, calendar)
        decisions = [r.decision for r in sorted(report.reviews.all(), key=lambda r: r.created_at)]
        if report.state == MonthlyReport.State.DRAFT:
            assert report.first_submitted_at is None and not decisions
        else:
            assert report.first_submitted_at <= report.submitted_at <= as_of_end
            assert report.summary
        if report.state == MonthlyReport.State.ACCEPTED:
            assert decisions[-1] == ReportReview.Decision.ACCEPT and report.accepted_at
        if report.state in (MonthlyReport.State.RETURNED, MonthlyReport.State.RESUBMITTED):
            assert ReportReview.Decision.RETURN in decisions and report.return_count >= 1
    assert not ReportReview.objects.filter(decision="return", comment="").exists()
    assert not MonthlyReportItem.objects.filter(report__state=MonthlyReport.State.DRAFT).exists()
    assert MonthlyReportItem.objects.exists()

    assert not Measure.objects.filter(deadline_kind="ongoing", due_date__isnull=False).exists()
    assert not Measure.objects.filter(signed_off_at__isnull=False).exclude(status="done").exists()
    assert not ProgressUpdate.objects.filter(status="delayed", delay_reason="").exists()
    assert ProgressUpdate.objects.aggregate(last=Max("created_at"))["last"] <= as_of_end
    assert HistoryEntry.objects.aggregate(last=Max("created_at"))["last"] <= as_of_end
    # A measure's status is what its driving units' latest progress update says (牵头, else 主责 units);
    # the other units' updates report their own part.
    for measure in Measure.objects.annotate(n=Count("progress_updates")).filter(n__gt=0)[:50]:
        driving = driving_unit_ids(measure)
        updates = list(measure.progress_updates.order_by("-created_at", "-id"))
        assert all(u.sets_measure == (u.unit_id in driving) for u in updates)
        assert measure.status == next(u for u in updates if u.sets_measure).status
    assert ProgressUpdate.objects.filter(sets_measure=False).exists()
    # Model validation (fields and Meta.constraints) holds on a sample of every kind of row.
    for model in (
        Unit,
        Plan,
        Measure,
        Assignment,
        Milestone,
        ProgressUpdate,
        MonthlyReport,
        ReportReview,
        HistoryEntry,
        UnitMembership,
    ):
        for row in model.objects.all()[:25]:
            row.full_clean()


def test_generating_again_with_the_same_arguments_changes_nothing():
    first = generate()
    again = generate()

    assert first.created and not again.created
    assert again.counts["measures"] == 200 and again.counts["reports"] == first.counts["reports"]
    assert Measure.objects.count() == 200 and Plan.objects.count() == first.counts["plans"]


def test_generating_another_data_set_in_the_same_database_is_refused():
    generate()
    users = get_user_model().objects.count()

    with pytest.raises(GeneratedDataExists, match="已有另一套生成数据"):
        generate(seed=4)
    with pytest.raises(GeneratedDataExists):
        generate(measures=300)
    assert Measure.objects.count() == 200 and get_user_model().objects.count() == users


def test_the_same_seed_gives_the_same_data():
    def fingerprint():
        measures = list(
            Measure.objects.order_by("task__plan__title", "code").values_list(
                "code", "text", "due_date", "status", "percent"
            )
        )
        reports = list(
            MonthlyReport.objects.order_by("unit__district", "unit__name", "period").values_list(
                "unit__name", "period", "state", "first_submitted_at"
            )
        )
        return measures, reports

    prints = []
    for _ in range(2):
        with transaction.atomic():
            generate()
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    with transaction.atomic():
        generate(seed=4)
        assert fingerprint() != prints[0]
        transaction.set_rollback(True)


def test_command_generates_then_reports_that_the_data_is_there(capsys):
    args = [
        "generate_data",
        "--units",
        "8",
        "--measures",
        "40",
        "--months",
        "2",
        "--end-month",
        "2026-05",
        "--skip-checks",
    ]
    call_command(*args)
    assert "已生成" in capsys.readouterr().out
    assert Measure.objects.count() == 40

    call_command(*args)
    assert "未做改动" in capsys.readouterr().out
    assert Measure.objects.count() == 40

    with pytest.raises(CommandError, match="已有另一套生成数据"):
        call_command(*args[:-1], "--seed", "9", "--skip-checks")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("generate_data", "--end-month", "June", "--skip-checks")


def test_end_month_must_be_a_finished_month():
    with pytest.raises(ValueError, match="早于当前月份"):
        generate(end_month=TODAY.replace(day=1))


def test_units_and_plans_belong_to_their_beijing_jurisdiction():
    generate(units=60, measures=300)

    beijing = Jurisdiction.objects.get(code="110000")
    assert not Unit.objects.filter(jurisdiction__isnull=True).exists()
    assert not Plan.objects.filter(jurisdiction__isnull=True).exists()
    for unit in Unit.objects.select_related("jurisdiction"):
        # The label and the reference agree: "" for municipal units (北京市), else the district's name.
        assert (
            unit.jurisdiction == beijing if unit.district == "" else unit.jurisdiction.name == unit.district
        )
    districts = Plan.objects.filter(level=Plan.Level.DISTRICT)
    assert districts.exists()
    assert all(plan.jurisdiction.parent_id == beijing.pk for plan in districts.select_related("jurisdiction"))
    assert Plan.objects.get(level=Plan.Level.MUNICIPAL).jurisdiction == beijing


def test_the_city_preset_asks_for_the_municipal_plan_sixteen_district_plans_and_fifty_thousand_measures(
    monkeypatch,
):
    asked = {}

    def record(**kwargs):
        asked.update(kwargs)
        return generate(units=40, measures=400, months=2)

    monkeypatch.setattr("demo.management.commands.generate_data.generate_data", record)
    call_command("generate_data", "--city", "--end-month", "2026-06")

    assert {k: asked[k] for k in CITY_SCALE} == {"units": 1500, "measures": 50000, "months": 12}
    assert asked["end_month"] == END


def test_at_city_proportions_every_beijing_district_gets_its_own_plan():
    """1,500 units over 50,000 measures keep the city's shape: 16 district plans and the municipal one."""
    generate(units=320, measures=1000, months=1)

    assert Plan.objects.filter(level=Plan.Level.MUNICIPAL).count() == 1
    district_plans = Plan.objects.filter(level=Plan.Level.DISTRICT)
    assert district_plans.count() == 16
    assert set(district_plans.values_list("jurisdiction__code", flat=True)) == {
        j.code for j in Jurisdiction.objects.filter(parent__code="110000")
    }


@pytest.mark.django_db(transaction=True)
def test_postgresql_has_planner_statistics_for_the_generated_tables():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")  # forget earlier tests' ANALYZE of these tables
    generate()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname IN "
            "('tasks_measure', 'tasks_progressupdate', 'tasks_assignment', 'reports_monthlyreport')"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "tasks_measure",
            "tasks_progressupdate",
            "tasks_assignment",
            "reports_monthlyreport",
        }


def test_district_plans_carry_out_the_municipal_plan_measure_by_measure():
    generate(units=60, measures=300)

    municipal = Plan.objects.get(level=Plan.Level.MUNICIPAL)
    districts = Plan.objects.filter(level=Plan.Level.DISTRICT)
    assert set(districts.values_list("carries_out", flat=True)) == {municipal.pk}
    links = MeasureLink.objects.select_related("measure__task", "upper__task")
    assert links.exists() and links.confirmed().exists() and links.proposed().exists()
    for link in links:  # a district measure carries out a municipal one, never the other way
        assert link.upper.task.plan_id == municipal.pk
        assert link.measure.task.plan_id != municipal.pk
    district_measures = Measure.objects.filter(task__plan__level=Plan.Level.DISTRICT).count()
    assert 0.5 * district_measures < links.count() < 0.9 * district_measures
