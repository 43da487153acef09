"""The 工作台 and the batch pages run the same number of queries at both data scales."""

from django.urls import reverse

from departments.models import UnitMembership
from tasks.models import Measure
from tests.factories import make_user

# The leader's overdue total comes with its status and light counts (dashboards.measure_figures).
EXPECTED = {"office_admin": 14, "viewer": 13, "unit_staff": 18}


def test_workbench_query_count_does_not_grow_with_data(client, scaled_world, django_assert_num_queries):
    for role, count in EXPECTED.items():
        user = make_user(f"wb-{role}", role)
        if role == "unit_staff":
            UnitMembership.objects.create(user=user, unit_id=scaled_world["unit_id"])
        client.force_login(user)
        with django_assert_num_queries(count):
            response = client.get("/")
        assert response.status_code == 200, role


def test_review_queue_query_count_with_batch_forms(
    client, office_admin, scaled_world, django_assert_num_queries
):
    client.force_login(office_admin)
    assert Measure.objects.exists()
    with django_assert_num_queries(12):  # … and each report's number of attached files
        assert client.get(reverse("reports:review_queue")).status_code == 200
