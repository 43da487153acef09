"""The office's review queue: submitted reports and measures reported done, awaiting 销号."""
import datetime as dt

import pytest
from django.urls import reverse

from reports.services import get_or_create_report, submit_report
from tasks.services import record_progress

pytestmark = pytest.mark.django_db
URL = reverse("reports:review_queue")


@pytest.fixture
def queued(world):
    report = submit_report(report=get_or_create_report(unit=world.unit_a, period=dt.date(2025, 9, 1),
                                                       user=world.staff_a), user=world.staff_a, summary="小结")
    record_progress(measure=world.measure_b, user=world.staff_b, status="done", note="已全部完成")
    return report


def test_the_queue_lists_submitted_reports_and_measures_done(client, world, queued):
    client.force_login(world.office)
    response = client.get(URL)
    assert [r.pk for r in response.context["reports"]] == [queued.pk]
    assert [m.pk for m in response.context["measures"]] == [world.measure_b.pk]
    body = response.content.decode()
    assert "区生态环境局" in body and "加强道路扬尘管控" in body and "销号" in body and "退回" in body


def test_signing_off_from_the_queue_asks_first(client, world, queued):
    client.force_login(world.office)
    body = client.get(URL).content.decode()
    action = reverse("measure_sign_off", args=[world.measure_b.pk])
    form = body[body.index(f'action="{action}"'):]
    form = form[:form.index(">")]
    assert f"确认将措施 {world.measure_b.code} 销号？" in form
    assert 'onsubmit="return confirm(this.dataset.confirm)"' in form


def test_accepting_and_signing_off_from_the_queue_empties_it(client, world, queued):
    client.force_login(world.office)
    response = client.post(reverse("reports:review", args=[queued.pk]),
                           {"decision": "accept", "version": queued.version, "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    response = client.post(reverse("measure_sign_off", args=[world.measure_b.pk]), {"next": URL})
    assert response["Location"] == URL
    context = client.get(URL).context
    assert context["reports"] == [] and context["measures"] == []


def test_viewers_read_the_queue_without_any_form(client, world, queued):
    client.force_login(world.viewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "只读" in response.content.decode() and 'name="decision"' not in response.content.decode()


def test_a_forged_next_url_is_ignored(client, world, queued):
    client.force_login(world.office)
    response = client.post(reverse("measure_sign_off", args=[world.measure_b.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("measure_detail", args=[world.measure_b.pk])
