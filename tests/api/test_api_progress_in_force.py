"""/api/progress-updates/ lists the updates of plans in force only; a withdrawn plan's stay readable by id."""

import pytest
from django.utils import timezone

from tasks.services import record_progress
from tests.factories import AssignmentFactory, MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_a_withdrawn_plans_updates_leave_the_list_but_not_their_own_address(client, office_admin):
    kept = MeasureFactory(task__chapter__plan=PlanFactory())
    withdrawn_plan = PlanFactory()
    gone = MeasureFactory(task__chapter__plan=withdrawn_plan)
    for measure in (kept, gone):
        AssignmentFactory(measure=measure)
    shown = record_progress(measure=kept, user=office_admin, status="in_progress", note="在推进")
    hidden = record_progress(measure=gone, user=office_admin, status="in_progress", note="已撤回的计划")
    withdrawn_plan.withdrawn_at = timezone.now()
    withdrawn_plan.save()
    client.force_login(office_admin)

    listed = client.get("/api/progress-updates/").json()
    assert [row["id"] for row in listed["results"]] == [shown.pk] and listed["count"] == 1
    assert client.get(f"/api/progress-updates/{hidden.pk}/").status_code == 200
