"""The monthly ranking: scores by the documented formula, the tie-break, rank changes, the .xlsx."""

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.models import MonthlyRanking, RankingRow, ScoreFormula
from reports.outputs.ranking import build_due_ranking, build_ranking
from reports.outputs.ranking_workbook import ranking_values
from tasks.models import Assignment
from tests.factories import NATIONAL
from tests.jobs.office_pdf import page_count, to_pdf
from tests.jobs.ranking_data import FEB, JAN, build_ranking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    build_ranking_world()
    return build_ranking(period=FEB)


def table(ranking):
    return [(r.unit.name, r.score, r.rank) for r in ranking.rows.select_related("unit").order_by("rank")]


def test_scores_follow_the_default_formula_and_the_tie_break(ranked):
    assert table(ranked) == [
        ("甲单位", Decimal("100.00"), 1),
        ("戊单位", Decimal("90.00"), 2),  # ties with 己 on score, ahead on the on-time report rate
        ("己单位", Decimal("90.00"), 3),
        ("丁单位", Decimal("80.00"), 4),
        ("乙单位", Decimal("67.00"), 5),
    ]
    yi = ranked.rows.get(unit__name="乙单位")
    assert (yi.measures, yi.done, yi.on_track, yi.overdue, yi.returned) == (1, 0, 0, 1, 1)
    assert yi.on_time_report_rate == Decimal("0.5")
    wu = ranked.rows.get(unit__name="戊单位")
    assert (wu.measures, wu.done, wu.overdue, wu.on_time_report_rate) == (2, 2, 0, Decimal("1"))
    assert ranked.formula["base"] == "60.00"


def test_a_measure_finished_late_counts_as_done_but_never_on_time(ranked):
    # 戊 finished one measure on time and one (due 5 February) on 20 February: done 2, of which late 1,
    # no overdue penalty, and a done-on-time rate of one half (90 = 60 + 20 + 20 × 0.5).
    wu = ranked.rows.get(unit__name="戊单位")
    assert (wu.done, wu.finished_late, wu.overdue, wu.score) == (2, 1, 0, Decimal("90.00"))
    assert ranked.rows.get(unit__name="甲单位").finished_late == 0
    workbook = load_workbook(ranked.file.path)
    sheet = workbook["丰台区"]
    header = [cell.value for cell in sheet[4]]
    late_column = header.index("其中逾期完成")
    row = next(r for r in sheet.iter_rows(min_row=5, values_only=True) if r[1] == "戊单位")
    assert row[late_column] == 1
    assert "逾期完成的措施计入已完成、不按逾期扣分，但不计入按期完成率" in sheet["A3"].value
    details = [r for r in workbook["措施明细"].iter_rows(values_only=True) if r[3] == "戊的延期完成措施"]
    assert details[0][7] == "逾期完成"


def test_equal_score_and_report_rate_fall_back_to_overdue_then_name(db):
    from tests.factories import UnitFactory, measure_for

    # No reports at all, so every report rate is 0; scores: 80 − 2 × overdue. 乙 and 丙 tie completely: by name.
    a, b, c = (UnitFactory(name=n) for n in ("丙单位", "乙单位", "甲单位"))
    for unit in (a, b):
        measure_for(unit, dt.date(2026, 6, 30))
    measure_for(c, dt.date(2026, 6, 30))
    measure_for(c, dt.date(2026, 2, 1))  # overdue
    ScoreFormula.objects.create(name="不扣逾期分", penalty_per_overdue=0)
    ranking = build_ranking(period=FEB)
    names = [row.unit.name for row in ranking.rows.select_related("unit").order_by("rank")]
    assert names == sorted(["丙单位", "乙单位"]) + [
        "甲单位"
    ]  # 甲 has an overdue measure: last despite its name


def test_the_office_formula_is_used_and_recorded(db):
    build_ranking_world()
    ScoreFormula.objects.create(name="重逾期", base=50, penalty_per_overdue=10)
    ranking = build_ranking(period=FEB)
    assert ranking.rows.get(unit__name="乙单位").score == Decimal("49.00")  # 50 + 10 + 0 − 10 − 1
    assert ranking.formula["name"] == "重逾期"


def test_rank_change_against_the_previous_month(db):
    world = build_ranking_world()
    january = build_ranking(period=JAN)
    before = {row.unit.name: row.rank for row in january.rows.select_related("unit")}
    assert all(row.rank_change is None for row in january.rows.all())  # no December ranking
    february = build_ranking(period=FEB)
    for row in february.rows.select_related("unit"):
        assert row.rank_change == before[row.unit.name] - row.rank
    assert world


def test_rebuilding_replaces_the_rows_and_the_file(ranked):
    first_name = ranked.file.name
    again = build_ranking(period=FEB)
    assert again.pk == ranked.pk and again.file.name == first_name
    assert RankingRow.objects.filter(ranking=again).count() == 5
    assert MonthlyRanking.objects.count() == 1


def test_the_scheduled_check_builds_last_month_once_after_the_due_date(db):
    build_ranking_world()
    # February's reports are due on Wednesday 4 March 2026.
    assert build_due_ranking(today=dt.date(2026, 3, 4), calendar=NATIONAL) is None
    built = build_due_ranking(today=dt.date(2026, 3, 5), calendar=NATIONAL)
    assert built.period == FEB
    assert build_due_ranking(today=dt.date(2026, 3, 6), calendar=NATIONAL) is None
    assert MonthlyRanking.objects.count() == 1


def check_workbook_against_database(path, ranking):
    """Cell by cell: the ranking sheet against RankingRow, the details sheet against the assignments."""
    workbook = load_workbook(path)
    sheet = workbook["丰台区"]  # the ranking world's units are all 丰台区's
    assert sheet["A1"].value == "2026年02月丰台区各单位蓝天保卫战任务落实情况排名"
    assert sheet["A2"].value.startswith("统计期间：2026年02月01日—2026年02月28日")
    assert [c.value for c in sheet[4]][:11] == [
        "名次",
        "单位",
        "所属区",
        "承担措施",
        "已完成",
        "其中逾期完成",
        "正常推进",
        "逾期",
        "月报按时率",
        "得分",
        "名次变化",
    ]
    rows = list(ranking.rows.select_related("unit").order_by("rank"))
    for offset, row in enumerate(rows):
        cells = [c.value for c in sheet[5 + offset]][:11]
        expected = ranking_values(
            row, row.unit.name, row.unit.district, rank=row.rank, change=row.rank_change
        )
        assert cells == expected, offset
        assert cells[2] == (row.unit.district or "市级"), offset
    assert sheet.cell(row=5 + len(rows), column=1).value is None
    details = workbook["措施明细"]
    expected = Assignment.objects.filter(unit__in=[r.unit for r in rows]).count()
    assert details["A1"].value == "2026年02月排名各单位承担措施明细"  # title, note, header
    assert details.max_row == 3 + expected
    assert [c.value for c in details[3]][:3] == ["单位", "所属区", "措施编号"]
    seen = {(r[0].value, r[1].value, r[2].value) for r in details.iter_rows(min_row=4)}
    assert seen == {
        (name, district or "市级", code)
        for name, district, code in Assignment.objects.values_list(
            "unit__name", "unit__district", "measure__code"
        )
    }
    return workbook


def test_the_xlsx_reads_back_identically_with_openpyxl(ranked):
    workbook = check_workbook_against_database(ranked.file.path, ranked)
    sheet = workbook["丰台区"]
    assert sheet.freeze_panes == "A5"
    assert sheet["I5"].number_format == "0.0%" and sheet["J5"].number_format == "0.00"
    assert sheet["B5"].number_format == sheet["C5"].number_format == "@"
    assert sheet.column_dimensions["B"].width == 30 and sheet.column_dimensions["C"].width == 10
    assert sheet["A5"].fill.fgColor.rgb.endswith("C6EFCE")  # top three green
    assert sheet["A9"].fill.fgColor.rgb.endswith(
        "FFC7CE"
    )  # bottom … only 甲 乙 丁 戊 己: 5 rows, last two red
    assert workbook["措施明细"].freeze_panes == "A4"
    with zipfile.ZipFile(ranked.file.path) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_the_xlsx_opens_in_libreoffice_without_repair(ranked, tmp_path):
    converted = to_pdf(ranked.file.path, tmp_path, to="xlsx")
    check_workbook_against_database(converted, ranked)


def test_the_command_builds_and_writes_a_copy(db, tmp_path):
    build_ranking_world()
    out = tmp_path / "排名.xlsx"
    call_command("build_ranking", "--month", "2026-02", "--out", str(out))
    ranking = MonthlyRanking.objects.get(period=FEB)
    check_workbook_against_database(out, ranking)
    assert out.read_bytes() == open(ranking.file.path, "rb").read()
    assert not list(tmp_path.glob(".*.part"))


def test_the_command_refuses_a_bad_month(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("build_ranking", "--month", "2026-13")


def test_a_score_never_falls_below_the_formulas_floor(db):
    build_ranking_world()
    ScoreFormula.objects.create(
        name="重罚", penalty_per_overdue=100
    )  # 乙's one overdue measure: 60+10+0−100−1
    ranking = build_ranking(period=FEB)
    assert ranking.rows.get(unit__name="乙单位").score == Decimal("0.00")
    assert all(Decimal(0) <= row.score <= Decimal(100) for row in ranking.rows.all())
    assert "得分限定在0.00至100.00分之间" in load_workbook(ranking.file.path)["丰台区"]["A3"].value


def test_the_default_formula_holds_a_heavily_overdue_unit_at_its_floor():
    """No formula saved: the default one (unsaved, its bounds plain ints) still gives a decimal score of 0."""
    formula = ScoreFormula(name="默认计分规则")
    score = formula.score(report_rate=Decimal("0.00"), done_rate=Decimal("0.00"), overdue=400, returned=0)
    assert score == Decimal("0") and isinstance(score, Decimal)
    assert score.quantize(Decimal("0.01")) == Decimal("0.00")


def test_each_scope_prints_a4_landscape_one_page_wide_with_its_header_repeated(ranked, tmp_path):
    workbook = load_workbook(ranked.file.path)
    assert workbook.sheetnames == ["丰台区", "丰台区得分图", "措施明细"]
    for name in ("丰台区", "措施明细"):
        sheet = workbook[name]
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage) == (
            1,
            0,
            True,
        )
    ranking_sheet = workbook["丰台区"]
    assert ranking_sheet.print_title_rows == "$4:$4"
    assert ranking_sheet.print_area == "'丰台区'!$A$1:$K$9"  # title … the fifth unit
    assert (
        ranking_sheet["A2"].value.startswith("统计期间：")
        and "统计口径：丰台区所属各单位" in ranking_sheet["A2"].value
    )
    chart_sheet = workbook["丰台区得分图"]
    assert chart_sheet.page_setup.orientation == "landscape" and chart_sheet.page_setup.fitToHeight == 1
    # Printed by LibreOffice: the ranking, its chart and the details, one page each.
    assert page_count(to_pdf(ranked.file.path, tmp_path)) == 3
