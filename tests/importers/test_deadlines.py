"""Deadlines: 完成时限 cells and dates in measure texts become Deadline objects."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from importers.deadlines import date_measures, normalise, parse_deadline
from importers.parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "plans"
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")

D = dt.date
SINGLE_YEAR_2023 = {"year_start": 2023, "year_end": 2023}
SINGLE_YEAR_2021 = {"year_start": 2021, "year_end": 2021}
THREE_YEARS = {"year_start": 2018, "year_end": 2020}


def sample_text(name: str) -> str:
    return (SAMPLE_DIR / name).read_text(encoding="utf-8")


def mentougou_deadline_cells() -> list[str]:
    """The 完成时限 cells of the mentougou table (one cell per tab-led line, rows split by blank lines)."""
    text = BOOKMARK.sub("", sample_text("mentougou-2023-action-plan-draft.txt"))
    cells_found = []
    for block in re.split(r"\n *\n", text):
        cells: list[str] = []
        for line in block.split("\n"):
            if line.startswith("\t"):
                cells.append(line[1:])
            elif cells:
                cells[-1] += "\n" + line
        # Rows have 6 cells; one row is split by a blank line after its 序号
        # (5 cells left) and one after its 完成时限 (4 cells).
        if len(cells) in (5, 6):
            cells_found.append(cells[-3])
        elif len(cells) == 4:
            cells_found.append(cells[3])
    return [cell for cell in cells_found if not normalise(cell).startswith("完成")]


def beijing_deadline_cells() -> list[str]:
    cells = [line.split("\t") for line in sample_text("beijing-2021-action-plan.txt").splitlines()]
    return [row[3] for row in cells if len(row) >= 5 and row[0] != "序号"]


def fengtai_measure_text(code: str) -> str:
    for line in sample_text("fengtai-2018-2020-task-breakdown.txt").splitlines():
        cells = line.split("\t")
        if len(cells) >= 4 and cells[1] == code:
            return cells[3]
    raise AssertionError(f"no fengtai measure {code}")


def chaoyang_item(number_chinese: str) -> str:
    for line in sample_text("chaoyang-2018-2020-three-year-plan.txt").splitlines():
        if line.startswith(f"（{number_chinese}）"):
            return line
    raise AssertionError(f"no chaoyang item {number_chinese}")


# -- the words of a 完成时限 cell ----------------------------------------------


def test_year_end_in_a_one_year_plan_is_that_year():
    deadline = parse_deadline("年底前", "完成北京市下达的空气质量目标要求。", **SINGLE_YEAR_2023)
    assert (deadline.kind, deadline.due_date, deadline.guessed) == ("dated", D(2023, 12, 31), False)
    assert deadline.raw_text == "年底前"


def test_year_end_in_a_multi_year_plan_is_the_last_year_flagged_as_a_guess():
    deadline = parse_deadline("年底前", "组织开展专项执法检查。", **THREE_YEARS)
    assert deadline.due_date == D(2020, 12, 31)
    assert deadline.guessed
    assert "2020年" in deadline.note and "年底前" in deadline.note


def test_year_end_in_a_multi_year_plan_takes_the_year_the_text_names():
    deadline = parse_deadline("年底前", "2019年底前，所有规模以上的施工工地安装视频监控设备。", **THREE_YEARS)
    assert deadline.due_date == D(2019, 12, 31)
    assert not deadline.guessed


@pytest.mark.parametrize("cell", ["6月底", "6月底前"])
def test_end_of_june(cell):
    assert parse_deadline(cell, "", **SINGLE_YEAR_2023).due_date == D(2023, 6, 30)
    multi_year = parse_deadline(cell, "", **THREE_YEARS)
    assert (multi_year.due_date, multi_year.guessed) == (D(2020, 6, 30), True)


@pytest.mark.parametrize("cell", ["6—9月", "6-9月", "6～9月", "6月至9月"])
def test_a_month_range_is_a_summer_window(cell):
    deadline = parse_deadline(cell, "夏季(6—9月),督促加油站和储油库实施错峰装卸油。", **SINGLE_YEAR_2021)
    assert deadline.kind == "window"
    assert (deadline.window_start, deadline.window_end, deadline.due_date) == (
        D(2021, 6, 1),
        D(2021, 9, 30),
        D(2021, 9, 30),
    )


@pytest.mark.parametrize("cell", ["采暖季前", "供暖季前", "供暖季前(11月15日前)", "供暖季前（11月15日前）"])
def test_before_the_heating_season_is_15_november(cell):
    deadline = parse_deadline(cell, "", **SINGLE_YEAR_2021)
    assert (deadline.kind, deadline.due_date) == ("dated", D(2021, 11, 15))
    assert deadline.raw_text == cell


@pytest.mark.parametrize("cell", ["长期实施", "长期\n实施", "长期坚持", "长期"])
def test_long_term_work_is_ongoing_without_a_due_date(cell):
    deadline = parse_deadline(cell, "", **SINGLE_YEAR_2023)
    assert (deadline.kind, deadline.due_date) == ("ongoing", None)


def test_by_milestones_takes_the_milestones_of_the_text():
    text = (
        "2023年11月起，申请办理货车通行证的燃料种类为柴油和天然气的危险品运输车辆须满足国五及以上排放标准。"
        "到2023年底，纯电动或氢燃料电池车比例均达到40%。"
    )
    deadline = parse_deadline("按时间节点完成", text, **SINGLE_YEAR_2023)
    assert deadline.kind == "milestones"
    assert [(m.date, m.kind) for m in deadline.milestones] == [
        (D(2023, 11, 1), "start"),
        (D(2023, 12, 31), "due"),
    ]
    assert deadline.due_date == D(2023, 12, 31)


def test_by_milestones_without_any_in_the_text_falls_back_to_the_plan_end_with_a_note():
    text = "组织落实北京市“十四五”时期新能源汽车推广应用工作，按市级统一部署完成推广工作中期评估。"
    deadline = parse_deadline("按时间节点完成", text, **SINGLE_YEAR_2023)
    assert (deadline.kind, deadline.due_date) == ("milestones", D(2023, 12, 31))
    assert "时间节点" in deadline.note


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("2023年6月30日前", D(2023, 6, 30)),
        ("9月底前", D(2021, 9, 30)),
        ("第三季度", D(2021, 9, 30)),
        ("上半年", D(2021, 6, 30)),
        ("11月15日前", D(2021, 11, 15)),
        ("2022年", D(2022, 12, 31)),
        ("年内", D(2021, 12, 31)),
    ],
)
def test_a_plain_date_in_the_cell(cell, due):
    deadline = parse_deadline(cell, "", **SINGLE_YEAR_2021)
    assert (deadline.kind, deadline.due_date) == ("dated", due)


@pytest.mark.parametrize("cell", ["每月", "每季度", "每月5日前"])
def test_a_repeated_duty_is_recurring(cell):
    deadline = parse_deadline(cell, "", **SINGLE_YEAR_2021)
    assert (deadline.kind, deadline.due_date) == ("recurring", None)


def test_unknown_words_fall_back_to_the_plan_end_and_keep_the_text():
    deadline = parse_deadline("视情况而定", "", **THREE_YEARS)
    assert (deadline.kind, deadline.due_date) == ("plan_end", D(2020, 12, 31))
    assert deadline.raw_text == "视情况而定"
    assert "视情况而定" in deadline.note


def test_no_plan_years_leaves_relative_dates_empty_with_a_note():
    deadline = parse_deadline("年底前", "", year_start=None, year_end=None)
    assert deadline.due_date is None
    assert "年份" in deadline.note


# -- dates in the measure text ------------------------------------------------


def test_without_a_cell_the_latest_date_of_the_text_is_due():
    text = fengtai_measure_text("15-2")  # …2018 年底前基本完成。2020 年底前，完成混凝土搅拌站…
    deadline = parse_deadline("", text, **THREE_YEARS)
    assert deadline.kind == "dated"
    assert [m.date for m in deadline.milestones] == [D(2018, 12, 31), D(2020, 12, 31)]
    assert deadline.due_date == D(2020, 12, 31)


def test_two_years_before_one_year_end_are_two_milestones():
    deadline = parse_deadline("", fengtai_measure_text("11-2"), **THREE_YEARS)  # 2019、2020年底前
    assert [m.date for m in deadline.milestones] == [D(2019, 12, 31), D(2020, 12, 31)]
    assert deadline.due_date == D(2020, 12, 31)


def test_from_a_month_on_is_a_start_milestone():
    deadline = parse_deadline("", fengtai_measure_text("7-1"), **THREE_YEARS)  # 自 2018 年 9 月起 … 2019 年，
    starts = [m for m in deadline.milestones if m.kind == "start"]
    assert [(m.date, m.text) for m in starts] == [(D(2018, 9, 1), "自2018年9月起")]
    assert D(2019, 12, 31) in [m.date for m in deadline.milestones]


def test_by_a_year_is_that_years_end():
    deadline = parse_deadline("", fengtai_measure_text("2-1"), **THREE_YEARS)  # 到2020年，邮政…
    assert [m.date for m in deadline.milestones] == [D(2020, 12, 31)]


def test_end_of_march_in_the_chaoyang_text():
    deadline = parse_deadline("", chaoyang_item("三"), **THREE_YEARS)  # 2019年3月底前，根据全市统一要求…
    assert deadline.due_date == D(2019, 3, 31)
    assert deadline.milestones[0].text == "2019年3月底前"


def test_a_day_before_which():
    deadline = parse_deadline("", "2020年10月1日前完成治理改造。", **THREE_YEARS)
    assert deadline.due_date == D(2020, 10, 1)


def test_a_month_without_a_year_takes_the_year_named_before_it():
    # xicheng writes "自2019年起7月起" for July 2019
    deadline = parse_deadline(
        "", "自2019年起7月起，重型燃气车以及公交和环卫行业重型柴油车实施国六排放标准。", **THREE_YEARS
    )
    assert D(2019, 7, 1) in [m.date for m in deadline.milestones]
    assert not deadline.guessed


def test_text_dates_are_milestones_even_with_a_cell():
    text = "2021年底前，全市力争累计推广新能源汽车50万辆。一季度制定管控工作方案。"
    deadline = parse_deadline("年底前", text, **SINGLE_YEAR_2021)
    assert deadline.due_date == D(2021, 12, 31)
    assert [m.date for m in deadline.milestones] == [D(2021, 3, 31), D(2021, 12, 31)]


@pytest.mark.parametrize(
    "text",
    [
        "环保、城管执法部门将一年内依法处罚2次以上的餐饮企业通报食品药品监管部门",
        "组织落实北京市新一轮（2018-2020年）新能源车推广专项实施方案",
        "强化目录管理（《北京市工业污染行业、生产工艺调整退出及设备淘汰目录(2017年版)》）",
        "VOCs排放量力争较2020年减排10%",
        "落实《北京市建筑砂石绿色供应链建设指导意见(2019—2025年)》",
    ],
)
def test_years_that_are_not_deadlines_are_not_milestones(text):
    deadline = parse_deadline("", text, **THREE_YEARS)
    assert deadline.milestones == []
    assert deadline.kind == "plan_end"


def test_no_cell_and_no_date_is_the_plan_end():
    deadline = parse_deadline("", fengtai_measure_text("1-1"), **THREE_YEARS)
    assert (deadline.kind, deadline.due_date, deadline.guessed) == ("plan_end", D(2020, 12, 31), False)


# -- every deadline cell of the samples -----------------------------------------


def test_mentougou_deadline_cells_are_the_six_known_words_and_all_parse():
    cells = mentougou_deadline_cells()
    assert {normalise(cell) for cell in cells} == {
        "年底前",
        "长期实施",
        "6月底",
        "采暖季前",
        "按时间节点完成",
        "6-9月",
    }
    expected_kind = {
        "年底前": "dated",
        "长期实施": "ongoing",
        "6月底": "dated",
        "采暖季前": "dated",
        "按时间节点完成": "milestones",
        "6-9月": "window",
    }
    for cell in cells:
        deadline = parse_deadline(cell, "", **SINGLE_YEAR_2023)
        assert deadline.kind == expected_kind[normalise(cell)], cell
        assert not deadline.guessed


def test_beijing_deadline_cells_all_parse():
    cells = [cell for cell in beijing_deadline_cells() if cell]
    assert {normalise(cell) for cell in cells} == {"年底前", "长期实施", "6—9月", "供暖季前(11月15日前)"}
    for cell in cells:
        deadline = parse_deadline(cell, "", **SINGLE_YEAR_2021)
        assert deadline.kind not in ("plan_end",), cell
        if deadline.kind != "ongoing":
            assert deadline.due_date is not None and deadline.due_date.year == 2021


# -- a whole plan ---------------------------------------------------------------


def _plan(measures: list[ParsedMeasure], **years) -> ParsedPlan:
    task = ParsedTask(number=1, title="任务", measures=measures)
    return ParsedPlan(
        title="某区打赢蓝天保卫战三年行动计划", chapters=[ParsedChapter(1, "一、", [task])], **years
    )


def test_date_measures_sets_every_deadline_and_sums_up_the_guesses():
    measures = [ParsedMeasure(code="", text=f"措施{i}", deadline_text="年底前") for i in range(3)]
    measures.append(ParsedMeasure(code="", text="措施", deadline_text="6月底"))
    measures.append(ParsedMeasure(code="", text="2019年底前完成。", deadline_text=""))
    plan = _plan(measures, year_start=2018, year_end=2020)
    date_measures(plan)
    assert all(m.deadline is not None for m in measures)
    assert "3 条措施的“年底前”未写年份，按2020年计，请核对" in plan.warnings
    assert "1 条措施的“6月底”未写年份，按2020年计，请核对" in plan.warnings
    assert measures[4].deadline.due_date == D(2019, 12, 31)


def test_date_measures_flags_cells_it_cannot_read():
    measure = ParsedMeasure(code="", text="措施", deadline_text="视情况而定")
    plan = _plan([measure], year_start=2023, year_end=2023)
    date_measures(plan)
    assert measure.deadline.kind == "plan_end"
    assert measure.warnings and "视情况而定" in measure.warnings[0]
    assert any("视情况而定" in warning for warning in plan.warnings)


def test_date_measures_takes_the_years_of_the_title_when_the_plan_has_none():
    measure = ParsedMeasure(code="", text="措施", deadline_text="年底前")
    plan = _plan([measure])
    plan.title = "北京市门头沟区大气污染防治2023年行动计划"
    date_measures(plan)
    assert measure.deadline.due_date == D(2023, 12, 31)
    assert any("2023年" in warning and "标题" in warning for warning in plan.warnings)


def test_date_measures_without_any_year_leaves_dates_empty_and_warns():
    measure = ParsedMeasure(code="", text="措施", deadline_text="年底前")
    plan = _plan([measure])
    plan.title = "行动计划"
    date_measures(plan)
    assert measure.deadline.due_date is None
    assert any("年份" in warning for warning in plan.warnings)


def test_a_notice_without_years_dates_its_words_by_the_year_of_its_document_number():
    measure = ParsedMeasure(code="", text="将工作落实情况于11月底书面报规划科。")
    plan = ParsedPlan(
        doc_number="石政办发〔2017〕185号",
        chapters=[ParsedChapter(1, "", [ParsedTask(1, "履职", [measure])])],
    )

    date_measures(plan)

    assert measure.deadline.due_date == dt.date(2017, 11, 30)
    assert any("发文字号" in warning for warning in plan.warnings)


def test_a_month_opening_a_clause_is_its_deadline():
    deadline = parse_deadline(
        "",
        "2016年8月，海口、三亚限期完成燃煤锅炉淘汰，其他市县2016年底完成淘汰。",
        year_start=2016,
        year_end=2016,
    )

    assert [m.text for m in deadline.milestones] == ["2016年8月", "2016年底"]
