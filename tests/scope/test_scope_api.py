"""The API follows the account's jurisdiction: lists hold the district's records, another district's ids are 404s,
and writes on them are refused without changing anything."""

from __future__ import annotations

import pytest

from reports.models import MonthlyReport
from tasks.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def _ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return {row["id"] for row in response.json()["results"]}


def test_lists_hold_only_the_districts_records(client, city):
    client.force_login(city.office_a)
    a, b = city.a, city.b
    assert _ids(client, "/api/plans/") == {a.plan.pk}
    assert _ids(client, "/api/measures/") == {a.overdue.pk, a.on_track.pk}
    assert {a.plan.pk} == {row["plan"] for row in client.get("/api/chapters/").json()["results"]}
    units = _ids(client, "/api/units/")
    assert {a.bureau.pk, a.government.pk} <= units and not units & {b.bureau.pk, city.bureau.pk}
    assert _ids(client, "/api/monthly-reports/") == {a.report.pk}
    assigned = {row["measure"] for row in client.get("/api/assignments/").json()["results"]}
    assert assigned == {a.overdue.pk, a.on_track.pk}


@pytest.mark.parametrize("who", ["office_a", "viewer_a"])
def test_another_districts_ids_are_404(client, city, who):
    client.force_login(getattr(city, who))
    b = city.b
    for url in (
        f"/api/plans/{b.plan.pk}/",
        f"/api/measures/{b.overdue.pk}/",
        f"/api/units/{b.bureau.pk}/",
        f"/api/monthly-reports/{b.report.pk}/",
        f"/api/chapters/{b.overdue.task.chapter_id}/",
        f"/api/tasks/{b.overdue.task_id}/",
    ):
        assert client.get(url).status_code == 404, url


def test_writes_on_another_districts_records_are_refused(client, city):
    client.force_login(city.office_a)
    b = city.b
    progress = client.post(
        "/api/progress-updates/",
        {"measure": b.overdue.pk, "status": "done", "note": "伪造"},
        content_type="application/json",
    )
    assert progress.status_code == 404 and progress.json() == {
        "detail": "没有这项措施。"
    }  # as if it did not exist
    assert not ProgressUpdate.objects.filter(measure=b.overdue).exists()
    opened = client.post(
        "/api/monthly-reports/",
        {"unit": b.bureau.pk, "period": "2026-03-01"},
        content_type="application/json",
    )
    assert opened.status_code == 404 and opened.json() == {"detail": "没有这个单位。"}
    submitted = client.post(
        f"/api/monthly-reports/{b.report.pk}/submit/", {"summary": "伪造"}, content_type="application/json"
    )
    assert submitted.status_code == 404
    assert not MonthlyReport.objects.filter(unit=b.bureau, period__month=3).exists()


def test_the_municipal_office_reads_every_district_through_the_api(client, city):
    client.force_login(city.office_city)
    assert _ids(client, "/api/plans/") == {city.a.plan.pk, city.b.plan.pk, city.plan.pk}
    assert client.get(f"/api/measures/{city.b.overdue.pk}/").status_code == 200
