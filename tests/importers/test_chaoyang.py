"""朝阳区三年行动计划 (prose, one paragraph a line, leads named inside the text)."""

from __future__ import annotations

import re

import pytest

from importers.parsers.prose import parse_prose, units_named_in
from importers.readers import read_document

from .sample_plans import CHAOYANG, all_tasks, sample_bytes, task_by_number


@pytest.fixture(scope="module")
def plan():
    parsed = parse_prose(read_document(sample_bytes(CHAOYANG), CHAOYANG))
    assert parsed is not None
    return parsed


def measure_starting(plan, number: int, opening: str):
    (measure,) = [m for m in task_by_number(plan, number).measures if m.text.startswith(opening)]
    return measure


def test_is_read_as_prose_with_inline_leads(plan):
    assert plan.shape == "prose_inline_leads"


def test_nine_chapters_and_items_three_to_thirty_one_as_tasks(plan):
    assert [chapter.number for chapter in plan.chapters] == list(range(1, 10))
    assert plan.chapters[4].title == "优化调整能源结构，巩固“无煤化”治理成果"
    assert [task.number for task in all_tasks(plan)] == list(range(3, 32))
    assert len(all_tasks(plan)) == 29


def test_requirements_and_goals_are_goals_not_tasks(plan):
    assert plan.chapters[0].tasks == []
    assert plan.goals[0].startswith("以习近平新时代中国特色社会主义思想为指导")
    assert plan.goals[1].startswith("总体目标：到2020年")
    assert "52微克/立方米" in plan.goals[1]


def test_task_titles_and_measures_one_a_paragraph(plan):
    assert task_by_number(plan, 3).title == "优化调整交通运输结构"
    assert task_by_number(plan, 19).title == "建立健全清洁取暖设备的运维服务机制，确保安全、稳定运行"
    assert task_by_number(plan, 31).title == "严格环保督察考核问责"
    assert [m.text[:6] for m in task_by_number(plan, 5).measures] == [
        "朝阳交通支队",
        "开展在用车超",
        "强化车辆全流",
    ]
    assert (
        task_by_number(plan, 3).measures[0].text.startswith("2019年3月底前，根据全市统一要求，由区交通委牵头")
    )
    assert sum(len(task.measures) for task in all_tasks(plan)) == 48


def test_units_named_with_qiantou_are_the_stated_lead(plan):
    (transport,) = task_by_number(plan, 3).measures  # 由区交通委牵头 … 由区商务委牵头
    assert transport.lead == ["区交通委", "区商务委"]
    assert transport.units_inferred is False
    charging = measure_starting(plan, 4, "加快充电基础设施建设")  # 由区城管委牵头，会同相关部门
    assert charging.lead == ["区城管委"] and not charging.units_inferred
    assert task_by_number(plan, 11).measures[0].lead == ["区住房城乡建设委"]  # …牵头组织全面推进绿色施工
    assert measure_starting(plan, 16, "健全“散乱污”企业").lead == ["区环保局", "区发展改革委"]
    assert task_by_number(plan, 24).measures[0].lead == ["区环保局"]  # 区环保局牵头空气重污染应急指挥部…
    assert task_by_number(plan, 29).measures[0].lead == ["区财政局"]
    assert task_by_number(plan, 21).measures[0].lead == ["相关主管部门"]  # 由相关主管部门牵头


def test_tongchou_xietiao_and_fuze_qiantou_are_stated_leads(plan):
    (dust,) = task_by_number(plan, 10).measures
    # 区环保局统筹协调…；区住房城乡建设委按照全市统一要求，负责牵头制订…；各街乡负责…
    assert dust.lead == ["区环保局", "区住房城乡建设委"]
    assert dust.units_inferred is False
    assert dust.responsible == ["各街乡"]


def test_participating_units_are_assisting(plan):
    (autumn,) = task_by_number(plan, 23).measures  # 由区发展改革委牵头，区环保局等部门参与
    assert autumn.lead == ["区发展改革委"]
    assert "区环保局" in autumn.assisting


def test_acting_units_are_proposed_as_lead_for_review(plan):
    vehicles = task_by_number(plan, 5).measures[0]  # 朝阳交通支队加大对车辆违反禁限行规定的查处力度
    assert vehicles.lead == ["朝阳交通支队"]
    assert vehicles.units_inferred is True
    assert any("请确认" in warning for warning in vehicles.warnings)
    (area_dust,) = task_by_number(plan, 13).measures  # 区环保局对…予以通报。区社会办、区农委组织各街乡…
    assert area_dust.lead == ["区环保局", "区社会办", "区农委"]
    assert area_dust.units_inferred is True
    publicity = task_by_number(plan, 27).measures[0]  # 区委宣传部、区文明办会同区环保局、…等单位以及各街乡
    assert publicity.lead[:2] == ["区委宣传部", "区文明办"]
    assert "团区委" in publicity.lead and "区妇联" in publicity.lead
    assert publicity.assisting == ["区环保局", "区发展改革委", "区城管委", "区科委", "各街乡"]
    assert publicity.units_inferred is True


def test_measures_naming_no_unit_have_no_lead_and_a_warning(plan):
    (standards,) = task_by_number(plan, 7).measures
    assert standards.lead == []
    assert any("没有写明牵头单位" in warning for warning in standards.warnings)


def test_every_measure_saying_you_qiantou_has_a_stated_lead(plan):
    stated = [
        measure
        for task in all_tasks(plan)
        for measure in task.measures
        if re.search(r"由区[^，。；]{1,12}牵头", measure.text)
    ]
    assert len(stated) >= 8
    for measure in stated:
        assert measure.lead and measure.units_inferred is False, measure.text[:20]


@pytest.mark.parametrize(
    ("text", "lead", "inferred"),
    [
        ("由区环保局、区发展改革委牵头，开展整治。", ["区环保局", "区发展改革委"], False),
        ("区城管委会同有关部门，制订标准。", ["区城管委"], True),
        ("各街乡要健全完善属地应急预案。", ["各街乡"], True),
        ("区住房城乡建设部门在办理手续时，要核查证明材料。", [], False),
    ],
)
def test_units_named_in_running_text(text, lead, inferred):
    units = units_named_in(text)
    assert units.lead == lead
    assert units.inferred is inferred
