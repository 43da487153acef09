"""Rankings and notices per jurisdiction: the city ranks its district governments (each on its whole district)
and, apart, its bureaus; a district ranks its own units; each office reads its own; each notice names its
jurisdiction; each office is reminded of its own jurisdiction only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from departments.models import Jurisdiction, Unit
from reports.models import MonthlyRanking, RankingRow
from reports.notifications.reminders import Kind, due_reminders
from reports.outputs.notices import build_weekly_notice
from reports.outputs.ranking import build_ranking
from tests.factories import AssignmentFactory, UnitFactory, report

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def _board(ranking, board):
    return list(ranking.rows.filter(board=board).select_related("unit").order_by("rank"))


def test_the_municipal_ranking_lists_the_districts_and_apart_the_municipal_bureaus(city):
    ranking = build_ranking(period=PERIOD, scope=city.beijing)
    districts = _board(ranking, RankingRow.Board.DISTRICTS)
    assert {r.unit for r in districts} == {city.a.government, city.b.government}  # no district bureau
    fengtai = next(r for r in districts if r.unit == city.a.government)
    # 丰台区 as a whole: both measures of its plan (the bureau's overdue one too), its bureau's report.
    assert (fengtai.measures, fengtai.overdue, fengtai.on_track) == (2, 1, 1)
    assert [r.rank for r in districts] == [1, 2]
    bureaus = _board(ranking, RankingRow.Board.UNITS)
    assert [r.unit for r in bureaus] == [city.bureau]


def _district_without_a_plan(city):
    """石景山区: a government unit carrying a municipal measure and filing on time, no plan of its own."""
    place, _ = Jurisdiction.objects.get_or_create(
        code="110107",
        defaults={"name": "石景山区", "level": Jurisdiction.Level.DISTRICT, "parent": city.beijing},
    )
    government = UnitFactory(
        name="石景山区政府", district="石景山区", jurisdiction=place, kind=Unit.Kind.DISTRICT_GOVERNMENT
    )
    AssignmentFactory(measure=city.municipal_measure, unit=government)
    report(government, PERIOD, submitted=dt.date(2026, 3, 2))
    return government


def test_a_district_with_no_measures_of_its_own_is_named_apart_not_ranked_first(client, city, tmp_path):
    government = _district_without_a_plan(city)
    out = tmp_path / "bj.xlsx"
    ranking = build_ranking(period=PERIOD, scope=city.beijing, out=str(out))
    districts = _board(ranking, RankingRow.Board.DISTRICTS)
    assert {r.unit for r in districts} == {city.a.government, city.b.government}
    assert government not in {r.unit for r in ranking.rows.all()}
    assert ranking.unranked == ["石景山区"]
    note = load_workbook(out)["北京市各区"]["A2"].value
    assert "未参与各区排名（本区计划中尚无在办措施）：石景山区" in note
    client.force_login(city.office_city)
    body = client.get(reverse("outputs:ranking", kwargs={"year": 2026, "month": 2})).content.decode()
    assert "未参与各区排名（本区计划中尚无在办措施）：石景山区" in body
    assert "石景山区政府" not in body


def test_a_district_ranking_lists_its_own_units_only(city):
    ranking = build_ranking(period=PERIOD, scope=city.a.jurisdiction)
    assert {r.unit for r in ranking.rows.all()} == {city.a.bureau, city.a.government}
    assert set(ranking.rows.values_list("board", flat=True)) == {RankingRow.Board.UNITS}
    assert ranking.jurisdiction == city.a.jurisdiction


def test_the_municipal_workbook_has_one_sheet_per_ranking(city, tmp_path):
    out = tmp_path / "bj.xlsx"
    build_ranking(period=PERIOD, scope=city.beijing, out=str(out))
    workbook = load_workbook(out)
    assert workbook.sheetnames == [
        "北京市各区",
        "北京市各区得分图",
        "北京市市级部门",
        "北京市市级部门得分图",
        "措施明细",
    ]
    sheet = workbook["北京市各区"]
    assert sheet["A1"].value == "2026年02月北京市各区蓝天保卫战任务落实情况排名"
    assert {sheet["B5"].value, sheet["B6"].value} == {"丰台区", "西城区"}
    assert sheet["B7"].value is None
    assert workbook["北京市市级部门"]["B5"].value == "市生态环境局"


def test_each_jurisdictions_ranking_stands_apart_from_the_others(city):
    everything = build_ranking(period=PERIOD)
    fengtai = build_ranking(period=PERIOD, scope=city.a.jurisdiction)
    again = build_ranking(period=PERIOD, scope=city.a.jurisdiction)
    assert again.pk == fengtai.pk != everything.pk
    assert everything.rows.count() == 5  # every unit, as before jurisdictions
    assert MonthlyRanking.objects.filter(period=PERIOD).count() == 2


def test_ranking_pages_show_each_office_its_own_ranking(client, city):
    build_ranking(period=PERIOD, scope=city.beijing)
    build_ranking(period=PERIOD, scope=city.a.jurisdiction)
    detail = reverse("outputs:ranking", kwargs={"year": 2026, "month": 2})
    client.force_login(city.office_city)
    body = client.get(detail).content.decode()
    assert "各区排名" in body and "丰台区政府" in body and "市生态环境局" in body
    client.force_login(city.office_a)
    body = client.get(detail).content.decode()
    assert "区生态环境局" in body and "市生态环境局" not in body and "西城区政府" not in body
    client.force_login(city.office_b)  # 西城区 has no ranking of its own yet
    assert client.get(detail).status_code == 404
    assert (
        client.get(reverse("outputs:ranking_download", kwargs={"year": 2026, "month": 2})).status_code == 404
    )
    rows = client.get("/api/ranking-rows/").json()["results"]
    assert rows == []


def test_the_district_notice_names_the_district_and_covers_it_only(city, settings):
    settings.BLUESKY_NOTICE_SIGNATURE = "大气污染综合治理领导小组办公室"
    notice = build_weekly_notice(week_start=dt.date(2026, 2, 2), scope=city.a.jurisdiction)
    document = Document(io.BytesIO(notice.file.read()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "丰台区蓝天保卫战任务落实情况周通报" in text
    assert "丰台区大气污染综合治理领导小组办公室" in text
    assert city.a.overdue.code in text and city.b.overdue.code not in text
    assert notice.figures["overdue_measures"] == 1 and notice.jurisdiction == city.a.jurisdiction


def test_each_office_is_reminded_of_its_own_jurisdiction(city):
    on = dt.date(2026, 2, 20)  # A's and B's bureau measures are a month overdue
    escalated = {}
    for r in due_reminders(on=on):
        if r.kind == Kind.OVERDUE_ESCALATED:
            escalated.setdefault(r.recipient_id, set()).add(r.subject)
    a, b = f"measure:{city.a.overdue.pk}", f"measure:{city.b.overdue.pk}"
    assert escalated[city.office_a.pk] == {a}
    assert escalated[city.office_b.pk] == {b}
    assert escalated[city.office_city.pk] == escalated[city.office_all.pk] == {a, b}


def test_the_commands_build_a_jurisdictions_ranking_and_notice(city, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "ft.xlsx"
    call_command("build_ranking", month="2026-02", out=str(out), jurisdiction="110106")
    assert load_workbook(out).sheetnames[0] == "丰台区"
    call_command("build_weekly_notice", week="2026-W06", jurisdiction="110106")
    assert city.a.jurisdiction.pk in set(MonthlyRanking.objects.values_list("jurisdiction", flat=True))
    with pytest.raises(CommandError, match="没有行政区划代码 999999"):
        call_command("build_ranking", month="2026-02", jurisdiction="999999")


def test_ranking_and_notice_headings_name_the_jurisdiction_in_either_language(client, city):
    build_ranking(period=PERIOD, scope=city.beijing)
    client.force_login(city.office_city)
    pages = {
        "detail": reverse("outputs:ranking", kwargs={"year": 2026, "month": 2}),
        "rankings": reverse("outputs:rankings"),
        "notices": reverse("outputs:notices"),
    }
    chinese = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert '<h1 data-scope="110000">北京市2026年2月各单位任务落实情况排名</h1>' in chinese["detail"]
    assert '<h1 data-scope="110000">北京市月排名</h1>' in chinese["rankings"]
    assert '<h1 data-scope="110000">北京市周通报</h1>' in chinese["notices"]
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert '<h1 data-scope="110000">北京市: unit ranking for February 2026</h1>' in english["detail"]
    assert '<h1 data-scope="110000">北京市: monthly ranking</h1>' in english["rankings"]
    assert '<h1 data-scope="110000">北京市: weekly notice</h1>' in english["notices"]
