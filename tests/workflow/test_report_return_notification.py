"""A returned monthly report reaches the unit's staff in the bell, with the office's reason and a link to the report."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Notification
from reports.selectors import default_period
from reports.services import get_or_create_report, submit_report
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):
    period = default_period(timezone.localdate())
    return submit_report(
        report=get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )


def test_returning_a_report_notifies_the_units_staff_with_the_reason_and_a_link(client, world, submitted):
    colleague = make_user("staff_a2", "unit_staff", units=[world.unit_a])
    gone = make_user("staff_a_gone", "unit_staff", units=[world.unit_a])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    client.force_login(world.office)
    review = reverse("reports:review", args=[submitted.pk])
    client.post(
        review, {"decision": "return", "comment": "  ", "version": submitted.version}
    )  # refused: no reason
    assert not Notification.objects.exists()
    response = client.post(
        review, {"decision": "return", "comment": "请补充改造台账", "version": submitted.version}
    )
    assert response.status_code == 302
    report_url = reverse(
        "reports:detail", args=[world.unit_a.pk, submitted.period.year, submitted.period.month]
    )
    notes = Notification.objects.order_by("user__username")
    assert [(n.user, n.url) for n in notes] == [(world.staff_a, report_url), (colleague, report_url)]
    assert "请补充改造台账" in notes[0].body and "已被大气办退回" in notes[0].title

    client.force_login(world.staff_a)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "暂无通知" not in body and "请补充改造台账" in body and "已被大气办退回" in body
    title_cell = body[body.index("<td data-title>") :]
    title_cell = title_cell[: title_cell.index("</td>")]
    assert f'action="{reverse("notifications:open", args=[notes[0].pk])}"' in title_cell  # the title opens it
    opened = client.post(reverse("notifications:open", args=[notes[0].pk]))
    assert opened["Location"] == report_url
    body = client.get(reverse("notifications:list")).content.decode()
    assert f'<a href="{report_url}">' in body  # read, it still links to the report
