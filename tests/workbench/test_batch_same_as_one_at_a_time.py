"""A batch writes what accepting or signing off each item one at a time writes: the same history entries,
and the same audit trail (django-auditlog) as a save of the row would, though one UPDATE changes them all.

A mixed batch (one report accepted by someone else meanwhile, one of another jurisdiction) fails just those,
each with its reason, and does the rest."""

import datetime as dt
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from departments.models import Jurisdiction, OfficeScope
from reports import services as report_services
from reports.models import MonthlyReport, ReportHistoryEntry
from tasks import services as task_services
from tasks.models import HistoryEntry, Measure
from tests.factories import MeasureFactory, UnitFactory, make_user
from tests.workbench.test_batch_actions import _submitted

pytestmark = pytest.mark.django_db
PERIOD = dt.date(2026, 9, 1)
A_TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[.\d]*([+-]\d\d:\d\d)?|\d{4}年\d\d月\d\d日 \d\d:\d\d")


def _audit(instance) -> list[dict]:
    """The row's audit entries as the audit page shows them, a timestamp in the changes read as "<time>"."""
    entries = LogEntry.objects.get_for_object(instance).filter(action=LogEntry.Action.UPDATE).order_by("pk")
    return [
        {
            "actor": e.actor_id,
            "actor_email": e.actor_email,
            "remote_addr": e.remote_addr,
            "remote_port": e.remote_port,
            "cid": e.cid,
            "additional_data": e.additional_data,
            "serialized_data": e.serialized_data,
            "object_repr": e.object_repr == str(instance),
            "changes": {
                field: [A_TIME.sub("<time>", v) if isinstance(v, str) else v for v in values]
                for field, values in e.changes_dict.items()
            },
            "changes_display": {
                field: [A_TIME.sub("<time>", str(v)) for v in values]
                for field, values in e.changes_display_dict.items()
            },
        }
        for e in entries
    ]


def _history(entries) -> list[tuple]:
    return [(e.actor_id, e.action, e.changes, e.comment) for e in entries.order_by("pk")]


def test_batch_accept_writes_each_reports_history_and_audit_entries_as_accepting_it_alone(
    client, office_admin
):
    alone = [_submitted(UnitFactory(), PERIOD) for _ in range(3)]
    batched = [_submitted(UnitFactory(), PERIOD) for _ in range(3)]
    client.force_login(office_admin)
    for report in alone:
        url = reverse("reports:review", args=[report.pk])
        assert client.post(url, {"decision": "accept", "comment": "同意"}).status_code == 302
    client.post(reverse("workbench:batch_accept"), {"report": [r.pk for r in batched], "comment": "同意"})
    for one, other in zip(alone, batched, strict=True):
        one.refresh_from_db()
        other.refresh_from_db()
        assert (other.state, other.version) == (one.state, one.version) == (MonthlyReport.State.ACCEPTED, 2)
        assert _history(other.history_entries.all()) == _history(one.history_entries.all())
        assert _audit(other) == _audit(one)
        assert len(_audit(other)) == 1 and _audit(other)[0]["actor"] == office_admin.pk
        assert _audit(other)[0]["remote_addr"] == "127.0.0.1"


def test_batch_sign_off_writes_each_measures_history_and_audit_entries_as_signing_it_off_alone(
    client, office_admin
):
    alone = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(3)]
    batched = [MeasureFactory(status=Measure.Status.DONE, percent=100) for _ in range(3)]
    client.force_login(office_admin)
    for measure in alone:
        url = reverse("measure_sign_off", args=[measure.pk])
        assert client.post(url, {"comment": "已核实"}).status_code == 302
    client.post(
        reverse("workbench:batch_sign_off"), {"measure": [m.pk for m in batched], "comment": "已核实"}
    )
    for one, other in zip(alone, batched, strict=True):
        assert _history(HistoryEntry.objects.filter(measure=other)) == _history(
            HistoryEntry.objects.filter(measure=one)
        )
        assert _audit(other) == _audit(one) and len(_audit(one)) == 1


def _accept_with_save(report: MonthlyReport, user) -> None:
    """Accepting as a save of the row does it (how the service wrote it before its bulk UPDATE)."""
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        locked.state, locked.accepted_at, locked.version = MonthlyReport.State.ACCEPTED, timezone.now(), 2
        locked.save(update_fields=["state", "return_count", "accepted_at", "version", "updated_at"])


def _sign_off_with_save(measure: Measure) -> None:
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        locked.status, locked.signed_off_at = Measure.Status.DONE, timezone.now()
        locked.finished_on = locked.finished_on or timezone.localdate()
        locked.version += 1
        locked.save(update_fields=["status", "signed_off_at", "finished_on", "version", "updated_at"])


def test_the_services_audit_entries_are_those_auditlog_writes_for_a_save_of_the_row(office_admin):
    saved, reviewed = _submitted(UnitFactory(), PERIOD), _submitted(UnitFactory(), PERIOD)
    saved_measure = MeasureFactory(status=Measure.Status.DONE, percent=100, finished_on=None)
    signed_off = MeasureFactory(status=Measure.Status.DONE, percent=100, finished_on=None)
    with set_actor(office_admin, remote_addr="10.1.2.3", remote_port=443):
        _accept_with_save(saved, office_admin)
        report_services.accept_report(report=reviewed, user=office_admin)
        _sign_off_with_save(saved_measure)
        task_services.sign_off_measure(measure=signed_off, user=office_admin)
    assert _audit(reviewed) == _audit(saved)
    assert _audit(signed_off) == _audit(saved_measure)
    assert _audit(reviewed)[0]["remote_addr"] == "10.1.2.3" and _audit(reviewed)[0]["remote_port"] == 443
    assert set(_audit(signed_off)[0]["changes"]) == {"signed_off_at", "finished_on", "version"}


def test_a_mixed_batch_fails_the_report_accepted_meanwhile_and_the_one_out_of_scope_and_accepts_the_rest(
    client,
):
    fengtai, _ = Jurisdiction.objects.get_or_create(
        code="110106", defaults={"name": "丰台区", "level": Jurisdiction.Level.DISTRICT}
    )
    xicheng, _ = Jurisdiction.objects.get_or_create(
        code="110102", defaults={"name": "西城区", "level": Jurisdiction.Level.DISTRICT}
    )
    office = make_user("fengtai_office", "office_admin")
    OfficeScope.objects.create(user=office, jurisdiction=fengtai)
    ours = [_submitted(UnitFactory(name=f"丰台单位{i}", jurisdiction=fengtai), PERIOD) for i in range(3)]
    theirs = _submitted(UnitFactory(name="西城单位", jurisdiction=xicheng), PERIOD)
    client.force_login(office)
    report_services.accept_report(report=ours[1], user=office)  # by someone else, after the page was loaded
    response = client.post(
        reverse("workbench:batch_accept"), {"report": [r.pk for r in [*ours, theirs]]}, follow=True
    )
    text = response.content.decode()
    assert "已通过 2 项" in text
    assert "丰台单位1 2026年09月月报 未能通过：月报当前状态为“已通过”，无需审核。" in text
    assert f"月报 #{theirs.pk} 未能通过：月报不存在或已删除。" in text
    assert "西城单位" not in text  # another jurisdiction's report stays unknown
    states = dict(MonthlyReport.objects.values_list("pk", "state"))
    assert [states[r.pk] for r in ours] == [MonthlyReport.State.ACCEPTED] * 3
    assert states[theirs.pk] == MonthlyReport.State.SUBMITTED
    accepted = ReportHistoryEntry.objects.filter(action=ReportHistoryEntry.Action.ACCEPT)
    assert sorted(accepted.values_list("report_id", flat=True)) == sorted(r.pk for r in ours)
    assert not LogEntry.objects.get_for_object(theirs).filter(action=LogEntry.Action.UPDATE).exists()
