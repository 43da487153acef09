"""An import is withdrawn and restored from the browser: records kept, both steps in the history."""

import pytest
from django.urls import reverse

from departments.models import Unit
from departments.services import load_unit_directory
from importers.errors import PlanImportError
from importers.services import import_file, restore_plan, withdraw_plan
from tasks.models import HistoryEntry, Measure, Plan
from tasks.services import record_progress
from tests.conftest import sample_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    load_unit_directory()
    return import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan


@pytest.fixture
def staff(plan):
    return make_user("staff", "unit_staff", units=[Unit.objects.get(district="丰台区", name="区城市管理委")])


def test_withdrawing_keeps_every_record_and_is_in_the_history(plan, staff, office_admin):
    measure = Measure.objects.get(task__plan=plan, code="1-1")
    record_progress(measure=measure, user=staff, status=Measure.Status.IN_PROGRESS, note="已启动")
    withdraw_plan(plan=plan, user=office_admin, reason="重复导入")
    plan.refresh_from_db()
    assert plan.withdrawn_at is not None
    assert Plan.objects.in_force().count() == 0
    assert Measure.objects.filter(task__plan=plan).count() == 70
    assert measure.progress_updates.count() == 1
    entry = HistoryEntry.objects.get(plan=plan, action=HistoryEntry.Action.WITHDRAW)
    assert entry.actor == office_admin and entry.comment == "重复导入"

    restore_plan(plan=plan, user=office_admin)
    plan.refresh_from_db()
    assert plan.withdrawn_at is None
    assert HistoryEntry.objects.filter(plan=plan, action=HistoryEntry.Action.RESTORE).count() == 1


def test_withdrawing_twice_or_restoring_a_plan_in_force_says_why(plan, office_admin):
    with pytest.raises(PlanImportError, match="没有撤回"):
        restore_plan(plan=plan, user=office_admin)
    withdraw_plan(plan=plan, user=office_admin)
    with pytest.raises(PlanImportError, match="已于"):
        withdraw_plan(plan=plan, user=office_admin)


def test_office_withdraws_and_restores_from_the_plan_page(client, plan, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="withdraw-plan"' in page and "data-confirm=" in page  # asked by static/js/bluesky.js
    response = client.post(reverse("importers:withdraw_plan", args=[plan.pk]), {"reason": "文件有误"})
    assert response.status_code == 302 and response["Location"] == reverse("plan_detail", args=[plan.pk])
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="plan-withdrawn"' in page and "只读" in page and 'id="restore-plan"' in page
    assert "文件有误" in page  # the plan's history shows the reason

    listing = client.get(reverse("plan_list")).content.decode()
    assert 'id="withdrawn-plans"' in listing
    assert listing.index(plan.title) > listing.index('id="withdrawn-plans"')

    client.post(reverse("importers:restore_plan", args=[plan.pk]), {"next": "imports"})
    plan.refresh_from_db()
    assert plan.withdrawn_at is None
    assert 'id="withdrawn-plans"' not in client.get(reverse("plan_list")).content.decode()


def test_the_import_list_offers_withdraw_and_returns_to_it(client, plan, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("importers:upload")).content.decode()
    assert reverse("importers:withdraw_plan", args=[plan.pk]) in page
    response = client.post(reverse("importers:withdraw_plan", args=[plan.pk]), {"next": "imports"})
    assert response["Location"] == reverse("importers:upload")
    assert (
        reverse("importers:restore_plan", args=[plan.pk])
        in client.get(reverse("importers:upload")).content.decode()
    )


def test_staff_and_viewers_cannot_withdraw(client, plan, staff, viewer):
    for user in (staff, viewer):
        client.force_login(user)
        assert client.post(reverse("importers:withdraw_plan", args=[plan.pk])).status_code == 403
        assert 'id="withdraw-plan"' not in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    plan.refresh_from_db()
    assert plan.withdrawn_at is None


def test_a_withdrawn_plan_leaves_my_tasks_and_takes_no_progress(client, plan, staff, office_admin):
    client.force_login(staff)
    measure = Measure.objects.get(task__plan=plan, code="1-1")
    assert reverse("measure_detail", args=[measure.pk]) in client.get(reverse("my_measures")).content.decode()
    withdraw_plan(plan=plan, user=office_admin)
    page = client.get(reverse("my_measures")).content.decode()
    assert reverse("measure_detail", args=[measure.pk]) not in page
    assert client.get(reverse("measure_detail", args=[measure.pk])).status_code == 200  # still readable
    response = client.post(
        reverse("measure_progress", args=[measure.pk]), {"status": "in_progress", "note": "x"}
    )
    assert response.status_code == 403
    assert measure.progress_updates.count() == 0
