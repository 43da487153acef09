"""Every dashboard list downloads as .xlsx with the page's filters applied."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "name, rows",
    [
        ("overdue", 1),
        ("upcoming", 1),
        ("reports", 1),
        ("plans", 1),
        ("chapters", 2),
        ("trend", 12),
    ],
)
def test_overview_lists_export(client, office_admin, known_world, name, rows):
    client.force_login(office_admin)
    data = sheet_rows(client.get(reverse("dashboards:overview"), {"export": name}))
    assert len(data) == rows + 1  # a header row, then the list


def test_overdue_export_carries_days_units_and_latest_progress(client, office_admin, known_world):
    client.force_login(office_admin)
    header, row = sheet_rows(client.get(reverse("dashboards:overview"), {"export": "overdue"}))
    record = dict(zip(header, row))
    assert record["逾期天数"] == 10 and "区生态环境局（牵头）" in record["责任单位"]
    assert "已完成一半工地的围挡" in record["最近进展"]


def test_plan_export_applies_the_filters(client, viewer, known_world):
    client.force_login(viewer)
    url = reverse("dashboards:plans")
    everything = sheet_rows(client.get(url, {"export": "measures"}))
    filtered = sheet_rows(client.get(url, {"export": "measures", "status": "in_progress", "q": "扬尘"}))
    assert len(everything) == 6 and len(filtered) == 2 and filtered[1][3] == "治理施工扬尘"


def test_unit_exports_apply_the_filters_and_sort(client, viewer, known_world):
    client.force_login(viewer)
    rows = sheet_rows(client.get(reverse("dashboards:units"), {"export": "units", "q": "交通"}))
    assert [r[0] for r in rows[1:]] == ["区交通委"]
    detail = sheet_rows(
        client.get(
            reverse("dashboards:unit_detail", args=[known_world["ecology"].pk]), {"export": "measures"}
        )
    )
    assert len(detail) == 5


def test_unknown_export_is_404(client, office_admin, known_world):
    client.force_login(office_admin)
    assert client.get(reverse("dashboards:overview"), {"export": "nope"}).status_code == 404
