"""Words the Python code shows on pages go through gettext, and months follow the page's language.

English comes from the catalogue the lead fills, so these tests check that the
strings are marked (lazy translation proxies), which is what makemessages and
an English page need; the Chinese text itself stays exactly as it was.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.functional import Promise

from departments.models import Unit
from reports.dashboards import charts
from reports.selectors import TIMELINESS_LABELS
from tasks.forms import AssignmentForm, MeasureFilterForm, ProgressForm
from tests.factories import make_user


def test_the_my_tasks_filters_are_marked_for_translation():
    form = MeasureFilterForm(units=Unit.objects.none())
    for name, field in form.fields.items():
        assert isinstance(field.label, Promise), name
    assert isinstance(form.fields["q"].widget.attrs["placeholder"], Promise)
    assert [str(form.fields[name].empty_label) for name in ("plan", "unit")] == ["全部计划", "全部单位"]
    assert all(isinstance(form.fields[name].empty_label, Promise) for name in ("plan", "unit"))
    for name in ("role", "status", "due"):
        labels = [label for _value, label in form.fields[name].choices]
        assert all(isinstance(label, Promise) for label in labels), (name, labels)
    assert (
        str(form.fields["role"].choices[0][1]) == "全部角色"
        and str(form.fields["due"].choices[0][1]) == "全部时限"
    )


def test_the_measure_page_forms_are_marked_for_translation():
    assert isinstance(AssignmentForm().fields["unit"].empty_label, Promise)
    assert str(AssignmentForm().fields["unit"].empty_label) == "选择单位"
    for name, field in ProgressForm().fields.items():
        assert field.label is None or isinstance(field.label, Promise), name


def test_timeliness_labels_and_chart_series_are_marked_for_translation():
    assert all(isinstance(label, Promise) for label in TIMELINESS_LABELS.values())
    assert str(TIMELINESS_LABELS["on_time"]) == "按时报送"
    specs = [
        charts.status_bar([]),
        charts.light_pie([]),
        charts.completion_bar([], label=str),
        charts.trend_lines([]),
        charts.unit_bar([]),
    ]
    names = [series["name"] for spec in specs for series in spec["series"]]
    assert all(isinstance(name, Promise) for name in names), names
    assert "完成措施" in [str(name) for name in names]


@pytest.mark.django_db
def test_months_are_written_in_the_language_of_the_page(client):
    client.force_login(make_user("office", "office_admin"))
    url = reverse("reports:list")
    chinese = client.get(url, {"period": "2025-09"}).content.decode()
    assert "2025年9月" in chinese and "September 2025" not in chinese

    english = client.get(url, {"period": "2025-09"}, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in english
    assert "September 2025" in english and "2025年9月" not in english


@pytest.mark.django_db
def test_a_report_page_title_keeps_its_chinese_month(client):
    office = make_user("office", "office_admin")
    unit = Unit.objects.create(name="区生态环境局", district="丰台区")
    client.force_login(office)
    today = dt.date.today()
    page = client.get(reverse("reports:detail", args=[unit.pk, today.year - 1, 10])).content.decode()
    assert f"<h1>区生态环境局 · {today.year - 1}年10月月报</h1>" in page
