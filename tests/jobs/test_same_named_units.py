"""Units that share a name (every district has its own 区城市管理委) stay apart in the notice, the ranking and the queue."""

import datetime as dt
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from reports.outputs.notices import build_weekly_notice
from reports.outputs.ranking import build_ranking
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, report
from tests.jobs.ranking_data import FEB, JAN
from tests.jobs.test_weekly_notice import WEEK_10, tables_after, units_listed

pytestmark = pytest.mark.django_db
DISTRICTS = ("丰台区", "朝阳区", "西城区", "房山区")


def overdue_measure(unit, code: str):
    """An open measure of its own plan, due before week 10, carried by ``unit``."""
    measure = MeasureFactory(code=code, due_date=dt.date(2026, 2, 10))
    AssignmentFactory(measure=measure, unit=unit)
    return measure


@pytest.fixture
def city_management():
    """区城市管理委 of four districts; the codes repeat across plans, as they do in real plans."""
    units = {district: UnitFactory(name="区城市管理委", district=district) for district in DISTRICTS}
    overdue_measure(units["丰台区"], "1-2")
    overdue_measure(units["丰台区"], "4-1")
    for district in DISTRICTS[1:]:
        overdue_measure(units[district], "1-2")
    overdue_measure(UnitFactory(name="区交通委", district="丰台区"), "2-1")  # a name only one unit has
    return units


def test_the_notice_keeps_same_named_units_apart(city_management):
    notice = build_weekly_notice(week_start=WEEK_10)
    document = Document(notice.file.path)
    assert tables_after(document, "二、") == [
        ["单位", "逾期项数", "逾期措施（计划简称 编号）"],
        ["区城市管理委（丰台区）", "2", "丰台区2026年计划 1-2、4-1"],
        ["区交通委", "1", "丰台区2026年计划 2-1"],
        ["区城市管理委（房山区）", "1", "丰台区2026年计划 1-2"],
        ["区城市管理委（朝阳区）", "1", "丰台区2026年计划 1-2"],
        ["区城市管理委（西城区）", "1", "丰台区2026年计划 1-2"],
    ]
    assert notice.figures["overdue_measures"] == 6 and notice.figures["units_with_overdue"] == 5
    summary = next(p.text for p in document.paragraphs if p.text.startswith("截至"))
    assert "其中逾期未完成6项，涉及5个单位" in summary
    missing = units_listed(document, "未报送")
    assert sorted(missing) == sorted(["区交通委"] + [f"区城市管理委（{d}）" for d in DISTRICTS])
    best_and_worst = [row[0] for row in tables_after(document, "五、") if row[0] != "单位"]
    assert "区城市管理委" not in best_and_worst and "区城市管理委（丰台区）" in best_and_worst


def test_two_measures_with_one_code_count_twice(db):
    unit = UnitFactory(name="区生态环境局")
    overdue_measure(unit, "3")  # the same code in two plans
    overdue_measure(unit, "3")
    document = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    assert tables_after(document, "二、")[1] == ["区生态环境局", "2", "丰台区2026年计划 3、3"]


def test_a_measure_done_by_same_named_units_names_each(city_management):
    from tasks.models import Measure, ProgressUpdate
    from tests.factories import at, make_user

    measure = MeasureFactory(code="9-9", text="联合整治", due_date=dt.date(2026, 3, 31))
    for district in ("丰台区", "朝阳区"):
        AssignmentFactory(measure=measure, unit=city_management[district])
    update = ProgressUpdate.objects.create(
        measure=measure,
        unit=city_management["丰台区"],
        author=make_user("s"),
        status=Measure.Status.DONE,
        percent=100,
        note="完成",
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at(dt.date(2026, 3, 4)))
    document = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    assert tables_after(document, "四、")[1][1:3] == [
        "联合整治",
        "区城市管理委（丰台区）、区城市管理委（朝阳区）",
    ]


@pytest.fixture
def ranked_state_assets():
    """区国资委 of two districts and a municipal unit, ranked for February."""
    fengtai = UnitFactory(name="区国资委", district="丰台区")
    xicheng = UnitFactory(name="区国资委", district="西城区")
    municipal = UnitFactory(name="市生态环境局", district="")
    for unit in (fengtai, xicheng, municipal):
        AssignmentFactory(unit=unit, measure__due_date=dt.date(2026, 12, 31))
    report(fengtai, JAN, submitted=dt.date(2026, 2, 3))
    return build_ranking(period=FEB)


def test_the_ranking_page_shows_each_units_district(client, office_admin, ranked_state_assets):
    client.force_login(office_admin)
    page = client.get(reverse("outputs:ranking", args=[2026, 2])).content.decode()
    assert "<th>所属区</th>" in page
    assert "<td>区国资委</td><td>丰台区</td>" in page and "<td>区国资委</td><td>西城区</td>" in page
    assert "<td>市生态环境局</td><td>市级</td>" in page


def test_the_ranking_xlsx_has_a_district_column_on_both_sheets(ranked_state_assets):
    workbook = load_workbook(ranked_state_assets.file.path)
    # A sheet per scope, districts first, each with its chart sheet; then the details.
    assert workbook.sheetnames == [
        "丰台区",
        "丰台区得分图",
        "西城区",
        "西城区得分图",
        "市级",
        "市级得分图",
        "措施明细",
    ]
    units = []
    for scope in ("丰台区", "西城区", "市级"):
        ranking_sheet = workbook[scope]
        assert [c.value for c in ranking_sheet[4]][:3] == ["名次", "单位", "所属区"]
        units += [(row[1].value, row[2].value) for row in ranking_sheet.iter_rows(min_row=5, max_row=5)]
        assert ranking_sheet["A5"].value == 1 and ranking_sheet["A6"].value is None  # ranked within the scope
        assert ranking_sheet["C5"].number_format == "@" and ranking_sheet.column_dimensions["C"].width >= 10
    assert sorted(units) == [("区国资委", "丰台区"), ("区国资委", "西城区"), ("市生态环境局", "市级")]
    with zipfile.ZipFile(ranked_state_assets.file.path) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/")]
    chart = next(c for c in charts if "丰台区" in c)
    # The chart plots 得分 by 单位, of its own scope's sheet.
    assert (
        "<f>'丰台区'!$J$5</f>" in chart and "<f>'丰台区'!$B$5</f>" in chart
    )  # 得分 (after 其中逾期完成), 单位
    details = workbook["措施明细"]
    assert [c.value for c in details[3]][:3] == ["单位", "所属区", "措施编号"]
    assert sorted((r[0].value, r[1].value) for r in details.iter_rows(min_row=4)) == sorted(units)


def test_a_unit_name_that_looks_like_a_formula_stays_text_in_the_ranking(db):
    AssignmentFactory(unit=UnitFactory(name="=1+1", district="丰台区"))
    sheet = load_workbook(build_ranking(period=FEB).file.path)["丰台区"]
    assert sheet["B5"].value == "=1+1" and sheet["B5"].data_type == "s"


def test_the_review_queue_names_the_district_beside_the_unit(client, office_admin):
    from reports.models import MonthlyReport

    for district in ("丰台区", "西城区"):
        unit = UnitFactory(name="区国资委", district=district)
        AssignmentFactory(unit=unit)
        report(unit, JAN, submitted=dt.date(2026, 2, 3))
    assert MonthlyReport.objects.filter(state=MonthlyReport.State.SUBMITTED).count() == 2
    client.force_login(office_admin)
    page = client.get(reverse("reports:review_queue")).content.decode()
    assert "区国资委（丰台区）" in page and "区国资委（西城区）" in page
