"""Every change, from the admin too, is in the audit log with who, what, before and after; records stay."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tasks.models import Assignment, Measure, ProgressUpdate
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db


def _edit_deadline_in_admin(client, measure, **request_meta) -> LogEntry:
    url = reverse("admin:tasks_measure_change", args=[measure.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"due_date": "2026-12-31", "status": measure.status})
    for prefix in ("assignments", "milestones"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data, **request_meta)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    return LogEntry.objects.get_for_object(measure).filter(action=LogEntry.Action.UPDATE).get()


def test_an_admin_edit_of_a_measures_deadline_is_logged_with_actor_before_and_after(client, office_admin):
    measure = MeasureFactory(due_date=dt.date(2026, 6, 30))
    client.force_login(office_admin)
    entry = _edit_deadline_in_admin(client, measure)
    assert entry.actor == office_admin
    assert entry.changes_dict["due_date"] == ["2026-06-30", "2026-12-31"]


def test_a_forged_forwarded_address_is_not_what_the_log_records(client, office_admin, settings):
    settings.BLUESKY_TRUSTED_PROXIES = ["10.9.0.0/24"]
    client.force_login(office_admin)
    forged = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "6.6.6.6", "HTTP_X_FORWARDED_PORT": "1"}
    entry = _edit_deadline_in_admin(client, MeasureFactory(due_date=dt.date(2026, 6, 30)), **forged)
    assert (entry.remote_addr, entry.remote_port) == ("203.0.113.7", None)


def test_behind_a_trusted_proxy_the_log_records_the_hop_the_proxy_saw(client, office_admin, settings):
    settings.BLUESKY_TRUSTED_PROXIES = ["10.9.0.0/24"]
    client.force_login(office_admin)
    proxied = {
        "REMOTE_ADDR": "10.9.0.2",
        "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4",  # the client wrote the first entry, the proxy the last
        "HTTP_X_FORWARDED_PORT": "443",
    }
    entry = _edit_deadline_in_admin(client, MeasureFactory(due_date=dt.date(2026, 6, 30)), **proxied)
    assert (entry.remote_addr, entry.remote_port) == ("198.51.100.4", 443)


def test_bulk_deleting_assignments_in_the_admin_logs_every_one(client, office_admin):
    assignments = [AssignmentFactory(), AssignmentFactory()]
    client.force_login(office_admin)
    response = client.post(
        reverse("admin:tasks_assignment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in assignments],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Assignment.objects.exists()
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE, content_type__model="assignment")
    assert set(deleted.values_list("object_pk", flat=True)) == {str(a.pk) for a in assignments}
    assert {e.actor for e in deleted} == {office_admin}


def test_no_one_deletes_a_reported_record_or_an_import_record_superusers_included(client, office_admin):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "r@example.org", "x-very-long-password")
    unit = UnitFactory()
    measure = MeasureFactory()
    staff = make_user("s1", "unit_staff", units=[unit])
    update = ProgressUpdate.objects.create(
        measure=measure, unit=unit, author=staff, status="in_progress", note="进展"
    )
    client.force_login(root)
    assert (
        client.post(
            reverse("admin:tasks_progressupdate_delete", args=[update.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    # deleting the plan would cascade into the report: refused too
    plan = measure.task.plan
    client.post(reverse("admin:tasks_plan_delete", args=[plan.pk]), {"post": "yes"})
    assert (
        ProgressUpdate.objects.filter(pk=update.pk).exists()
        and Measure.objects.filter(pk=measure.pk).exists()
    )


def test_issuing_an_api_token_is_logged_without_its_secret(office_admin):
    from departments.api_tokens import issue_token

    token, secret = issue_token(user=office_admin, name="对接")
    entry = LogEntry.objects.get_for_object(token).get()
    assert entry.action == LogEntry.Action.CREATE and secret not in str(entry.changes)


def test_the_office_reads_the_audit_log_and_cannot_edit_it(client, office_admin, viewer):
    MeasureFactory()
    client.force_login(office_admin)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    entry = LogEntry.objects.first()
    assert not office_admin.has_perm("auditlog.change_logentry")
    assert not office_admin.has_perm("auditlog.delete_logentry")
    client.force_login(viewer)
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code in (302, 403)
