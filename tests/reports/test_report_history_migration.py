"""A monthly report's history moves from tasks.HistoryEntry to reports.ReportHistoryEntry with its rows.

The database is taken back to the migrations before the move, report and measure history are written
there, and migrating forward carries the report rows (times, actors, changes, comments) and leaves the
measure rows where they were; migrating back brings the report rows home.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("tasks", "0006_plan_withdrawal_and_history"), ("reports", "0003_reminder_digest_date")]
AFTER = [("tasks", "0007_history_without_reports"), ("reports", "0004_report_history")]
WHEN = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 30))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_report_history_moves_to_reports_with_its_rows():
    old_apps = migrate(BEFORE)
    User = old_apps.get_model("auth", "User")
    Unit = old_apps.get_model("departments", "Unit")
    Report = old_apps.get_model("reports", "MonthlyReport")
    Plan = old_apps.get_model("tasks", "Plan")
    OldHistory = old_apps.get_model("tasks", "HistoryEntry")
    chief = User.objects.create(username="chief")
    unit = Unit.objects.create(name="区生态环境局", district="丰台区")
    report = Report.objects.create(unit=unit, period=dt.date(2026, 2, 1), due_date=dt.date(2026, 3, 4))
    plan = Plan.objects.create(title="行动计划", year_start=2026, year_end=2026)
    OldHistory.objects.create(
        report=report,
        actor=chief,
        action="report_submit",
        changes={"state": ["草稿", "已报送"]},
        comment="小结",
    )
    OldHistory.objects.create(plan=plan, actor=chief, action="withdraw")
    OldHistory.objects.filter(report=report).update(created_at=WHEN)

    new_apps = migrate(AFTER)
    (moved,) = new_apps.get_model("reports", "ReportHistoryEntry").objects.all()
    assert (moved.report_id, moved.actor_id, moved.action) == (report.pk, chief.pk, "report_submit")
    assert (moved.changes, moved.comment, moved.created_at) == ({"state": ["草稿", "已报送"]}, "小结", WHEN)
    remaining = new_apps.get_model("tasks", "HistoryEntry").objects.all()
    assert [(e.plan_id, e.action) for e in remaining] == [(plan.pk, "withdraw")]

    back_apps = migrate(BEFORE)
    assert (
        back_apps.get_model("tasks", "HistoryEntry").objects.filter(report=report.pk, created_at=WHEN).count()
        == 1
    )
    migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # every app's latest: as the other tests expect
