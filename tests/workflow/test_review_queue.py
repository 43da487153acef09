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
    report = submit_report(
        report=get_or_create_report(unit=world.unit_a, period=dt.date(2025, 9, 1), user=world.staff_a),
        user=world.staff_a,
        summary="小结",
    )
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
    form = body[body.index(f'action="{action}"') :]
    form = form[: form.index(">")]
    assert f"确认将措施 {world.measure_b.code} 销号？" in form
    assert "onsubmit" not in form  # static/js/bluesky.js asks for data-confirm forms


def test_accepting_and_signing_off_from_the_queue_empties_it(client, world, queued):
    client.force_login(world.office)
    response = client.post(
        reverse("reports:review", args=[queued.pk]),
        {"decision": "accept", "version": queued.version, "next": URL},
    )
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
    response = client.post(
        reverse("measure_sign_off", args=[world.measure_b.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("measure_detail", args=[world.measure_b.pk])


def test_a_long_queue_is_shown_a_page_at_a_time_oldest_first(client, world):
    from django.utils import timezone

    from reports.models import MonthlyReport
    from reports.views import REVIEW_REPORTS_PER_PAGE

    first = timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    total = REVIEW_REPORTS_PER_PAGE + 3
    for index in range(total):  # one unit, one report per month, submitted one hour apart
        period = dt.date(2021 + index // 12, index % 12 + 1, 1)
        MonthlyReport.objects.create(
            unit=world.unit_a,
            period=period,
            due_date=period + dt.timedelta(days=40),
            state=MonthlyReport.State.SUBMITTED,
            summary="小结",
            submitted_at=first + dt.timedelta(hours=index),
            first_submitted_at=first + dt.timedelta(hours=index),
        )
    client.force_login(world.office)

    response = client.get(URL)
    body = response.content.decode()
    assert len(response.context["reports"]) == REVIEW_REPORTS_PER_PAGE
    assert response.context["reports"][0].period == dt.date(2021, 1, 1)
    assert f"待审核月报（{total}）" in body
    assert 'href="?page=2"' in body and "第 1 / 2 页" in body

    response = client.get(URL, {"page": 2})
    assert [r.period for r in response.context["reports"]] == [
        dt.date(2021 + index // 12, index % 12 + 1, 1) for index in range(REVIEW_REPORTS_PER_PAGE, total)
    ]
    body = response.content.decode()
    assert 'href="?page=1"' in body and "hx-get" not in body.split('class="pager"')[1].split("</nav>")[0]
    # A review posted from page 2 comes back to page 2.
    assert 'name="next" value="/reports/review/?page=2"' in body
