"""What each sample plan says about itself: title, issuer, 发文字号, date, level, years, goals."""

from __future__ import annotations

import datetime as dt

import pytest

from importers.metadata import normalise_doc_number, read_metadata
from importers.parsed import ParsedPlan
from importers.readers import read_document

from .sample_plans import BEIJING, CHAOYANG, FENGTAI, MENTOUGOU, XICHENG, sample_bytes


def metadata_of(name: str) -> ParsedPlan:
    """Metadata read from the document alone (an empty plan, as if no parser set anything)."""
    plan = ParsedPlan()
    read_metadata(read_document(sample_bytes(name), name), plan)
    return plan


EXPECTED = {
    BEIJING: dict(
        title="北京市深入打好污染防治攻坚战2021年行动计划",
        issuing_body="北京市人民政府办公厅",
        doc_number="京政办发〔2021〕3号",
        issue_date=dt.date(2021, 3, 3),
        level="municipal",
        district="",
        year_start=2021,
        year_end=2021,
    ),
    XICHENG: dict(
        title="北京市西城区打赢蓝天保卫战三年行动计划",
        issuing_body="北京市西城区人民政府",
        doc_number="西政发〔2018〕12号",
        issue_date=dt.date(2018, 12, 29),
        level="district",
        district="西城区",
        year_start=2018,
        year_end=2020,
    ),
    CHAOYANG: dict(
        title="朝阳区打赢蓝天保卫战三年行动计划",
        issuing_body="北京市朝阳区人民政府",
        doc_number="朝政发〔2018〕12号",
        issue_date=dt.date(2018, 12, 21),
        level="district",
        district="朝阳区",
        year_start=2018,
        year_end=2020,
    ),
    FENGTAI: dict(
        title="丰台区打赢蓝天保卫战三年行动计划任务分解",
        issuing_body="",
        doc_number="",
        issue_date=None,
        level="district",
        district="丰台区",
        year_start=2018,
        year_end=2020,
    ),
    MENTOUGOU: dict(
        title="北京市门头沟区大气污染防治2023年行动计划（征求意见稿）",
        issuing_body="",
        doc_number="",
        issue_date=None,
        level="district",
        district="门头沟区",
        year_start=2023,
        year_end=2023,
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_sample_metadata(name):
    plan = metadata_of(name)
    actual = {field: getattr(plan, field) for field in EXPECTED[name]}
    assert actual == EXPECTED[name]


@pytest.mark.parametrize(
    ("name", "goal_words"),
    [
        (BEIJING, "尽最大努力巩固改善空气质量"),
        (XICHENG, "PM2.5年均浓度控制在52微克/立方米左右"),
        (CHAOYANG, "PM2.5年均浓度目标控制在52微克/立方米左右"),
        (FENGTAI, "到2020年，全区PM_{2.5}年均浓度控制在52微克/立方米左右"),
        (MENTOUGOU, "巩固空气质量改善成效"),
    ],
)
def test_goals_come_from_the_goal_chapter(name, goal_words):
    goals = metadata_of(name).goals
    assert any(goal_words in goal for goal in goals)
    assert not any(goal.startswith("<p>") for goal in goals)


def test_goals_stop_at_the_next_chapter():
    goals = "".join(metadata_of(XICHENG).goals)
    assert "各街道PM2.5浓度与全区同步改善" in goals
    assert "交通运输结构" not in goals


def test_quoted_document_numbers_are_not_the_plans_own():
    # xicheng's preamble quotes （京政发〔2018〕22 号）; chaoyang's quotes 京发〔2018〕16号.
    assert metadata_of(XICHENG).doc_number != "京政发〔2018〕22号"
    assert metadata_of(CHAOYANG).doc_number == "朝政发〔2018〕12号"


def test_what_the_parser_set_is_kept():
    plan = ParsedPlan(title="已有标题", year_start=2019, year_end=2019, goals=["已有目标"], level="district")
    read_metadata(read_document(sample_bytes(BEIJING), BEIJING), plan)
    assert plan.title == "已有标题"
    assert (plan.year_start, plan.year_end) == (2019, 2019)
    assert plan.goals == ["已有目标"]
    assert plan.level == "district"
    assert plan.doc_number == "京政办发〔2021〕3号"  # empty fields are still filled


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("西政发〔2018〕12 号", "西政发〔2018〕12号"),
        ("京政办发〔2021〕3号", "京政办发〔2021〕3号"),
        ("朝政发 [2018] 12 号", "朝政发〔2018〕12号"),
    ],
)
def test_doc_number_spaces_and_brackets_are_normalised(written, normalised):
    assert normalise_doc_number(written) == normalised
