"""The three roles: office administrators manage everything, staff only their units' work, viewers read."""

import pytest
from django.urls import reverse

from departments.roles import is_office_admin, is_viewer
from tasks.models import Assignment
from tasks.permissions import can_edit_measure
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units_world():
    ours, theirs = UnitFactory(name="区生态环境局"), UnitFactory(name="区城市管理委")
    our_measure, their_measure = MeasureFactory(), MeasureFactory()
    AssignmentFactory(measure=our_measure, unit=ours)
    their_assignment = AssignmentFactory(measure=their_measure, unit=theirs)
    staff = make_user("staff", "unit_staff", units=[ours])
    return {
        "staff": staff,
        "ours": our_measure,
        "theirs": their_measure,
        "their_assignment": their_assignment,
    }


def test_unit_staff_can_edit_only_measures_their_units_carry(two_units_world):
    staff = two_units_world["staff"]
    assert can_edit_measure(staff, two_units_world["ours"])
    assert not can_edit_measure(staff, two_units_world["theirs"])


def test_office_admin_edits_everything_and_viewer_nothing(two_units_world, office_admin, viewer):
    assert is_office_admin(office_admin) and not is_viewer(office_admin)
    assert is_viewer(viewer)
    for measure in (two_units_world["ours"], two_units_world["theirs"]):
        assert can_edit_measure(office_admin, measure)
        assert not can_edit_measure(viewer, measure)


def test_unit_staff_cannot_change_another_units_assignment_through_the_admin(client, two_units_world):
    assignment = two_units_world["their_assignment"]
    client.force_login(two_units_world["staff"])
    url = reverse("admin:tasks_assignment_change", args=[assignment.pk])
    response = client.post(url, {"unit": assignment.unit_id, "role": "assisting", "source": "manual"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assignment.refresh_from_db()
    assert assignment.role == Assignment.Role.LEAD


def test_viewer_reads_the_admin_but_cannot_change_anything(client, two_units_world, viewer):
    assignment = two_units_world["their_assignment"]
    client.force_login(viewer)
    url = reverse("admin:tasks_assignment_change", args=[assignment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"unit": assignment.unit_id, "role": "assisting", "source": "manual", "confirmed": "on"}
    )
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.role == Assignment.Role.LEAD


def test_viewer_cannot_read_accounts_api_tokens_or_job_schedules(client, viewer, office_admin):
    from departments.api_tokens import issue_token

    token, secret = issue_token(user=office_admin, name="数据平台")
    client.force_login(viewer)
    for name in (
        "admin:departments_apitoken_changelist",
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:django_celery_beat_periodictask_changelist",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    index = client.get(reverse("admin:index")).content.decode()
    assert token.prefix not in index and "apitoken" not in index
    assert client.get(reverse("admin:tasks_measure_changelist")).status_code == 200  # the plans stay readable

    client.force_login(office_admin)
    listing = client.get(reverse("admin:departments_apitoken_changelist")).content.decode()
    assert (
        token.prefix in listing and secret not in listing
    )  # the office sees which tokens exist, never the secret


def test_office_admin_reassigns_a_unit_in_the_admin(client, two_units_world, office_admin):
    assignment = two_units_world["their_assignment"]
    client.force_login(office_admin)
    url = reverse("admin:tasks_assignment_change", args=[assignment.pk])
    response = client.post(
        url,
        {
            "measure": assignment.measure_id,
            "unit": assignment.unit_id,
            "role": "assisting",
            "source": "manual",
            "confirmed": "on",
            "written_as": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment.refresh_from_db()
    assert assignment.role == Assignment.Role.ASSISTING
    entry = assignment.measure.history.get()
    assert entry.actor == office_admin and entry.changes["unit"] == [
        "区城市管理委（牵头）",
        "区城市管理委（协办）",
    ]


def test_the_office_manages_accounts_but_cannot_delete_reported_records_in_the_admin(client, office_admin):
    from tasks.models import ProgressUpdate

    client.force_login(office_admin)
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    measure = MeasureFactory()
    assert client.get(reverse("admin:tasks_measure_delete", args=[measure.pk])).status_code == 403
    assert client.get(reverse("admin:reports_monthlyreport_changelist")).status_code == 200
    assert client.get(reverse("admin:tasks_progressupdate_add")).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_every_model_has_an_admin_page_in_chinese(client, office_admin):
    from django.apps import apps
    from django.contrib import admin

    client.force_login(office_admin)
    for app_label in ("departments", "tasks", "importers"):
        for model in apps.get_app_config(app_label).get_models():
            assert model in admin.site._registry, model
            url = reverse(f"admin:{app_label}_{model._meta.model_name}_changelist")
            response = client.get(url)
            assert response.status_code == 200, url
            assert str(model._meta.verbose_name_plural) in response.content.decode()
