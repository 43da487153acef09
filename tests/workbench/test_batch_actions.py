"""Batch 通过 and batch 销号 go through the services that accept or sign off one: same checks, same history,
and a failure of one item is reported in Chinese without stopping the others."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import MonthlyReport, ReportHistoryEntry, ReportReview
from tasks.models import HistoryEntry, Measure
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user


def _submitted(unit, period):
    now = timezone.now()
    return MonthlyReport.objects.create(
        unit=unit,
        period=period,
        due_date=period + dt.timedelta(days=40),
        state=MonthlyReport.State.SUBMITTED,
        summary="本月小结",
        first_submitted_at=now,
        submitted_at=now,
    )


def test_batch_accept_accepts_each_with_history_and_reports_failures(client, office_admin, db):
    period = dt.date(2026, 9, 1)
    reports = [_submitted(UnitFactory(name=f"单位{i}"), period) for i in range(3)]
    MonthlyReport.objects.filter(pk=reports[2].pk).update(state=MonthlyReport.State.ACCEPTED)
    client.force_login(office_admin)
    response = client.post(
        reverse("workbench:batch_accept"), {"report": [r.pk for r in reports]}, follow=True
    )
    text = response.content.decode()
    assert "已通过 2 项" in text
    assert "单位2 2026年09月月报 未能通过：月报当前状态为“已通过”，无需审核。" in text
    for report in reports[:2]:
        report.refresh_from_db()
        assert report.state == MonthlyReport.State.ACCEPTED
        assert (
            ReportHistoryEntry.objects.filter(report=report, action=ReportHistoryEntry.Action.ACCEPT).count()
            == 1
        )
    assert not ReportHistoryEntry.objects.filter(report=reports[2]).exists()


def test_batch_sign_off_signs_off_done_measures_and_refuses_open_ones_and_those_signed_off_meanwhile(
    client, office_admin, db
):
    from tasks.services import sign_off_measure

    done = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(3)]
    still_open = MeasureFactory(status=Measure.Status.IN_PROGRESS, percent=40)
    sign_off_measure(measure=done[2], user=office_admin, comment="先销号")  # after the page was loaded
    client.force_login(office_admin)
    response = client.post(
        reverse("workbench:batch_sign_off"), {"measure": [m.pk for m in [*done, still_open]]}, follow=True
    )
    text = response.content.decode()
    assert "已销号 2 项" in text
    assert f"措施 {still_open.code} 未能销号：该措施尚未报告完成，不能销号。" in text
    assert f"措施 {done[2].code} 未能销号：这项措施已经销号。" in text
    for measure in done:
        measure.refresh_from_db()
        assert measure.signed_off_at is not None
        assert HistoryEntry.objects.filter(measure=measure, action=HistoryEntry.Action.SIGN_OFF).count() == 1
    still_open.refresh_from_db()
    assert still_open.signed_off_at is None


def test_batch_with_nothing_selected_says_so(client, office_admin, db):
    client.force_login(office_admin)
    response = client.post(reverse("workbench:batch_sign_off"), {}, follow=True)
    assert "请先勾选要处理的项目。" in response.content.decode()


def test_unit_staff_and_viewers_cannot_batch(client, viewer, db):
    measure = MeasureFactory(status=Measure.Status.DONE)
    unit = UnitFactory()
    AssignmentFactory(measure=measure, unit=unit)
    for user in (viewer, make_user("staff", "unit_staff", units=[unit])):
        client.force_login(user)
        assert client.post(reverse("workbench:batch_sign_off"), {"measure": [measure.pk]}).status_code == 403
    measure.refresh_from_db()
    assert measure.signed_off_at is None


def test_review_queue_offers_the_batch_forms_to_the_office_only(client, office_admin, viewer, db):
    _submitted(UnitFactory(), dt.date(2026, 9, 1))
    MeasureFactory(status=Measure.Status.DONE)
    client.force_login(office_admin)
    page = client.get(reverse("reports:review_queue")).content.decode()
    assert 'form="batch-reports"' in page and 'form="batch-measures"' in page
    client.force_login(viewer)
    page = client.get(reverse("reports:review_queue")).content.decode()
    assert "batch-reports" not in page and "batch-measures" not in page


def test_a_database_failure_midway_leaves_the_whole_batch_undone(office_admin, db):
    """The batch commits once: an error the services do not expect (here the disk refusing the audit trail,
    written last) undoes the reviews, state changes and history already written instead of leaving the
    batch half done."""
    from django.db import DatabaseError, connection

    from reports.workbench import batch

    period = dt.date(2026, 9, 1)
    reports = [_submitted(UnitFactory(name=f"单位{i}"), period) for i in range(3)]
    audit_inserts = []

    def refuse_the_audit_trail(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "auditlog_logentry"'):
            audit_inserts.append(sql)
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_audit_trail), pytest.raises(DatabaseError):
        batch.accept_reports(report_ids=[r.pk for r in reports], user=office_admin)

    assert len(audit_inserts) == 1
    assert set(MonthlyReport.objects.values_list("state", flat=True)) == {MonthlyReport.State.SUBMITTED}
    assert not ReportHistoryEntry.objects.exists() and not ReportReview.objects.exists()


@pytest.mark.parametrize("field", ["report", "measure"])
def test_a_batch_of_twenty_costs_the_queries_of_a_batch_of_three(client, office_admin, db, field):
    """The chosen rows are locked in one query and written one statement per table (reviews, the UPDATE,
    history, audit trail): the queries do not grow with the number of items."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = dt.date(2026, 9, 1)
    url = reverse("workbench:batch_accept" if field == "report" else "workbench:batch_sign_off")
    client.force_login(office_admin)
    client.get(reverse("reports:review_queue"))  # the session and the content types, as on a real page
    counted = {}
    for size in (3, 20):
        if field == "report":
            items = [_submitted(UnitFactory(), period) for _ in range(size)]
        else:
            items = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, {field: [i.pk for i in items]}).status_code == 302
        counted[size] = len(queries)
    assert counted == {3: BATCH_QUERIES[field], 20: BATCH_QUERIES[field]}


# The page's own (session, user, the user's groups, savepoint and its release) and the service's: the lock,
# the reviews (reports only), the UPDATE, the history, the audit trail.
BATCH_QUERIES = {"report": 10, "measure": 9}
