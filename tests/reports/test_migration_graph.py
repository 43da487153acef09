"""tasks' migrations name no reports migration, and databases made by the old chain keep migrating.

tasks' 0001–0007 are one migration (``0001_squashed_0007_history_without_reports``) that never had the
report column; reports' 0004 (which carried report history out of tasks.HistoryEntry) has nothing to
carry on a database made from it. A database that applied the seven old migrations (every database made
since the report history moved) counts the squash as applied and has nothing to do.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

SQUASH = ("tasks", "0001_squashed_0007_history_without_reports")
OLD_CHAIN = [
    "0001_initial",
    "0002_milestone_kind",
    "0003_progress_done_recent",
    "0004_progress_done_by_measure",
    "0005_progress_sets_measure",
    "0006_plan_withdrawal_and_history",
    "0007_history_without_reports",
]


def test_no_tasks_migration_needs_a_reports_migration_first():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    tasks_nodes = [node for node in graph.leaf_nodes() + list(graph.nodes) if node[0] == "tasks"]
    assert SQUASH in tasks_nodes
    needed = {app for node in tasks_nodes for app, _name in graph.forwards_plan(node)}
    assert "reports" not in needed and "importers" not in needed


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_by_the_old_chain_counts_the_squash_as_applied():
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="tasks", name=SQUASH[1]).delete()
    for name in OLD_CHAIN:  # as main's migrations left it
        recorder.record_applied("tasks", name)

    executor = MigrationExecutor(connection)
    assert SQUASH in executor.loader.applied_migrations
    leaves = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(leaves) == []
    executor.migrate(leaves)  # records the squash, as `manage.py migrate` does
    assert recorder.migration_qs.filter(app="tasks", name=SQUASH[1]).exists()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_report_history_migration_runs_both_ways_on_a_database_made_from_the_squash():
    back = _migrate([("reports", "0003_reminder_digest_date")])
    assert "report" not in {f.name for f in back.get_model("tasks", "HistoryEntry")._meta.get_fields()}
    forward = _migrate([("reports", "0004_report_history")])
    assert forward.get_model("reports", "ReportHistoryEntry").objects.count() == 0
    _migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # every app's latest, as other tests expect
