"""A month that has not begun: its report page says so, offers no form, and a post anyway keeps the typed text."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import MonthlyReport
from reports.workdays import first_of_month, next_month

pytestmark = pytest.mark.django_db


def future_months():
    coming = next_month(first_of_month(timezone.localdate()))
    return [coming, dt.date(coming.year + 1, 3, 1)]


def url(unit, period):
    return reverse("reports:detail", args=[unit.pk, period.year, period.month])


@pytest.mark.parametrize("period", future_months(), ids=["next month", "March next year"])
def test_the_page_of_a_future_month_says_it_cannot_be_filed_yet_and_offers_no_form(client, world, period):
    client.force_login(world.staff_a)
    response = client.get(url(world.unit_a, period))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{period.year}年{period.month}月的月报尚不能填报：" in body
    assert 'id="submit-form"' not in body and 'name="summary"' not in body and "待报送" not in body
    assert not MonthlyReport.objects.exists()
    this_month = client.get(url(world.unit_a, first_of_month(timezone.localdate()))).content.decode()
    assert 'id="submit-form"' in this_month and "尚不能填报" not in this_month


@pytest.mark.parametrize("period", future_months(), ids=["next month", "March next year"])
def test_a_post_for_a_future_month_shows_the_reason_and_keeps_the_text(client, world, period):
    client.force_login(world.staff_a)
    response = client.post(url(world.unit_a, period), {"summary": "本月完成锅炉改造12台", "version": 1})
    body = response.content.decode()
    assert response.status_code == 400
    assert "reports/report_detail.html" in [t.name for t in response.templates]
    assert f"{period.year}年{period.month}月的月报尚不能填报：" in body
    assert "本月完成锅炉改造12台" in body and 'id="kept-text"' in body
    assert not MonthlyReport.objects.exists()
