"""The office manages accounts but cannot raise privileges or erase authorship (issue: roles that cannot climb)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from departments import roles
from tests.factories import MeasureFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _change_form_data(user, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(extra)
    return data


def test_office_ticking_superuser_on_its_own_account_changes_nothing(client, office_admin):
    client.force_login(office_admin)
    url = reverse("admin:auth_user_change", args=[office_admin.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()  # shown read-only, not as an input
    client.post(
        url,
        _change_form_data(
            office_admin,
            is_superuser="on",
            is_staff="on",
            groups=[g.pk for g in Group.objects.all()],
            user_permissions=[],
        ),
    )
    office_admin.refresh_from_db()
    assert not office_admin.is_superuser
    assert set(office_admin.groups.values_list("name", flat=True)) == {roles.OFFICE_ADMIN}


def test_office_cannot_open_or_change_a_superusers_account(client, office_admin):
    root = User.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(office_admin)
    url = reverse("admin:auth_user_change", args=[root.pk])
    client.post(url, _change_form_data(root, is_active=""))
    root.refresh_from_db()
    assert root.is_active
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Hijacked-pass-2026", "password2": "Hijacked-pass-2026"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("x-very-long-password")


def test_no_one_deletes_an_account_it_is_deactivated_and_keeps_its_records(client, office_admin):
    from tasks.models import ProgressUpdate

    unit = UnitFactory()
    staff = make_user("staff1", "unit_staff", units=[unit])
    ProgressUpdate.objects.create(
        measure=MeasureFactory(), unit=unit, author=staff, status="in_progress", note="进展"
    )
    client.force_login(office_admin)
    assert client.post(reverse("admin:auth_user_delete", args=[staff.pk]), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auth_user_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()
    client.post(
        changelist, {"action": "deactivate_accounts", "_selected_action": [staff.pk, office_admin.pk]}
    )
    staff.refresh_from_db()
    office_admin.refresh_from_db()
    assert not staff.is_active and office_admin.is_active  # never locks itself out
    assert ProgressUpdate.objects.get().author == staff


def test_office_gives_other_people_only_the_staff_or_viewer_role(client, office_admin):
    newcomer = make_user("newcomer", "unit_staff")
    client.force_login(office_admin)
    url = reverse("admin:auth_user_change", args=[newcomer.pk])
    office_group = Group.objects.get(name=roles.OFFICE_ADMIN)
    client.post(url, _change_form_data(newcomer, role=roles.OFFICE_ADMIN, groups=[office_group.pk]))
    assert not newcomer.groups.filter(name=roles.OFFICE_ADMIN).exists()
    client.post(url, _change_form_data(newcomer, role=roles.VIEWER))
    newcomer.refresh_from_db()
    assert set(newcomer.groups.values_list("name", flat=True)) == {roles.VIEWER}
    assert newcomer.is_staff and not newcomer.is_superuser


def test_office_role_holds_no_permission_to_edit_roles_or_delete_accounts(office_admin):
    assert not office_admin.has_perm("auth.change_group")
    assert not office_admin.has_perm("auth.change_permission")
    assert not office_admin.has_perm("auth.delete_user")
    assert office_admin.has_perm("auth.change_user") and office_admin.has_perm("auth.add_user")


def test_office_creates_an_account_with_a_role(client, office_admin):
    client.force_login(office_admin)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "zhangsan",
            "password1": "Lantian-2026-pass",
            "password2": "Lantian-2026-pass",
            "usable_password": "true",
            "role": roles.UNIT_STAFF,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="zhangsan")
    assert set(created.groups.values_list("name", flat=True)) == {roles.UNIT_STAFF}
    assert not created.is_superuser and not created.is_staff
