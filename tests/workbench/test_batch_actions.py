"""Batch 通过 and batch 销号 go through the one-at-a-time services: same checks, same history, and a
failure of one item is reported in Chinese without stopping the others."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import MonthlyReport, ReportHistoryEntry
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


def test_batch_sign_off_signs_off_done_measures_and_refuses_open_ones(client, office_admin, db):
    done = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(2)]
    still_open = MeasureFactory(status=Measure.Status.IN_PROGRESS, percent=40)
    client.force_login(office_admin)
    response = client.post(
        reverse("workbench:batch_sign_off"), {"measure": [m.pk for m in [*done, still_open]]}, follow=True
    )
    text = response.content.decode()
    assert "已销号 2 项" in text
    assert f"措施 {still_open.code} 未能销号：该措施尚未报告完成，不能销号。" in text
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
    """The batch commits once: an error the services do not expect (here the disk refusing the second
    report's history) undoes the reports already accepted instead of leaving the batch half done."""
    from django.db import DatabaseError, connection

    from reports.workbench import batch

    period = dt.date(2026, 9, 1)
    reports = [_submitted(UnitFactory(name=f"单位{i}"), period) for i in range(3)]
    history_inserts = []

    def refuse_the_second_history(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "reports_reporthistoryentry"'):
            history_inserts.append(sql)
            if len(history_inserts) == 2:
                raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_second_history), pytest.raises(DatabaseError):
        batch.accept_reports(report_ids=[r.pk for r in reports], user=office_admin)

    assert len(history_inserts) == 2
    assert set(MonthlyReport.objects.values_list("state", flat=True)) == {MonthlyReport.State.SUBMITTED}
    assert not ReportHistoryEntry.objects.exists()


@pytest.mark.parametrize("field", ["report", "measure"])
def test_each_further_item_of_a_batch_costs_the_same_few_queries(
    client, office_admin, db, field, django_assert_num_queries
):
    """One service call per item (lock, review, audit log, history): a fixed number of queries per item,
    the page's own overhead once."""
    period = dt.date(2026, 9, 1)
    url = reverse("workbench:batch_accept" if field == "report" else "workbench:batch_sign_off")
    client.force_login(office_admin)
    client.get(reverse("reports:review_queue"))  # the session and the content types, as on a real page
    per_item = {"report": 8, "measure": 7}[field]
    for size in (1, 4):
        if field == "report":
            items = [_submitted(UnitFactory(), period) for _ in range(size)]
        else:
            items = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(size)]
        with django_assert_num_queries(BATCH_OVERHEAD[field] + per_item * size):
            assert client.post(url, {field: [i.pk for i in items]}).status_code == 302


BATCH_OVERHEAD = {"report": 6, "measure": 6}
