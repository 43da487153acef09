"""Writing through the API: the same services, permissions and validation as the pages."""

import pytest

from reports.models import MonthlyReport
from tasks.models import Measure, ProgressUpdate

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_staff_report_progress_on_their_units_measure(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    response = post(
        client,
        "/api/progress-updates/",
        {
            "measure": w["soon"].pk,
            "status": "done",
            "note": "已全部完成",
            "expected_version": w["soon"].version,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit_name"] == "区生态环境局" and response.json()["percent"] == 100
    assert Measure.objects.get(pk=w["soon"].pk).status == "done"


def test_staff_cannot_report_on_another_units_measure(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    before = ProgressUpdate.objects.count()
    response = post(
        client, "/api/progress-updates/", {"measure": w["ongoing"].pk, "status": "ongoing", "note": "x"}
    )
    assert response.status_code == 403 and ProgressUpdate.objects.count() == before


def test_viewer_can_read_but_not_write(client, viewer, known_world):
    w = known_world
    client.force_login(viewer)
    assert client.get("/api/progress-updates/").status_code == 200
    response = post(
        client, "/api/progress-updates/", {"measure": w["soon"].pk, "status": "done", "note": "x"}
    )
    assert response.status_code == 403
    report = MonthlyReport.objects.get(unit=w["ecology"])
    assert post(client, f"/api/monthly-reports/{report.pk}/submit/", {"summary": "x"}).status_code == 403
    assert Measure.objects.get(pk=w["soon"].pk).status == "in_progress"


def test_validation_errors_are_400_with_chinese_messages(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    response = post(
        client, "/api/progress-updates/", {"measure": w["soon"].pk, "status": "delayed", "note": " "}
    )
    assert response.status_code == 400
    assert response.json()["note"] == ["请填写进展情况。"] and "原因" in response.json()["delay_reason"][0]
    assert (
        post(client, "/api/progress-updates/", {"measure": 10**25, "status": "done", "note": "x"}).status_code
        == 400
    )


def test_a_stale_edit_is_409(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    response = post(
        client,
        "/api/progress-updates/",
        {
            "measure": w["soon"].pk,
            "status": "in_progress",
            "note": "x",
            "expected_version": w["soon"].version + 5,
        },
    )
    assert response.status_code == 409 and "他人更新" in response.json()["detail"]


def test_staff_open_and_submit_a_report(client, known_world):
    w = known_world
    client.force_login(w["staff"])
    created = post(client, "/api/monthly-reports/", {"unit": w["ecology"].pk, "period": "2026-05-17"})
    assert (
        created.status_code == 201
        and created.json()["state"] == "draft"
        and created.json()["period"] == "2026-05-01"
    )
    report_id = created.json()["id"]
    assert post(client, f"/api/monthly-reports/{report_id}/submit/", {"summary": ""}).status_code == 400
    submitted = post(client, f"/api/monthly-reports/{report_id}/submit/", {"summary": "五月工作小结"})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    again = post(client, f"/api/monthly-reports/{report_id}/submit/", {"summary": "再报一次"})
    assert again.status_code == 409  # the report's state refuses it: a conflict, not bad input
    stale = post(client, f"/api/monthly-reports/{report_id}/submit/", {"summary": "x", "expected_version": 1})
    assert stale.status_code == 409
    other = post(client, "/api/monthly-reports/", {"unit": w["traffic"].pk, "period": "2026-05-01"})
    assert other.status_code == 403
