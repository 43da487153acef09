"""西城区三年行动计划 (prose from a PDF, a 牵头部门 line per item): read as the document says."""

from __future__ import annotations

import pytest

from importers.documents import Document
from importers.parsers.prose import parse_prose, rejoin_wrapped_lines, split_lead_line
from importers.readers import read_document

from .sample_plans import FENGTAI, XICHENG, all_tasks, sample_bytes, task_by_number


@pytest.fixture(scope="module")
def plan():
    parsed = parse_prose(read_document(sample_bytes(XICHENG), XICHENG))
    assert parsed is not None
    return parsed


def test_is_read_as_prose_with_lead_lines(plan):
    assert plan.shape == "prose_lead_lines"


def test_nine_chapters_the_first_holding_only_goals(plan):
    assert [chapter.number for chapter in plan.chapters] == list(range(1, 10))
    assert plan.chapters[0].title == "总体要求和目标"
    assert plan.chapters[0].tasks == []
    assert plan.chapters[1].title == "优化调整交通运输结构，推进移动源低排放化"
    assert plan.chapters[8].title == "强化基础保障能力，全面提升环境治理水平"


def test_items_three_to_thirty_five_are_the_33_tasks(plan):
    assert [task.number for task in all_tasks(plan)] == list(range(3, 36))


def test_requirements_and_goals_go_to_plan_goals(plan):
    goals = "".join(plan.goals)
    assert "以习近平新时代中国特色社会主义思想为指导" in goals  # （一）总体要求
    assert "PM2.5年均浓度控制在52微克/立方米左右" in goals  # （二）总体目标, spaces removed
    measure_texts = [m.text for task in all_tasks(plan) for m in task.measures]
    assert not any("52微克/立方米" in text for text in measure_texts)


def test_task_title_is_the_heading_up_to_its_first_full_stop(plan):
    assert task_by_number(plan, 3).title == "大力推进车辆电动化"
    assert task_by_number(plan, 21).title == "推进低挥发性有机物建筑类涂料和消费品使用"
    assert task_by_number(plan, 35).title == "严格环保督察考核问责"


def test_wrapped_lines_are_rejoined_into_measure_paragraphs(plan):
    first, second = task_by_number(plan, 3).measures
    assert (
        first.text
        == "提高新能源车保有量，新增和更新的环卫车辆基本采用电动车。到2020年，西城区轻型环卫车辆（4.5吨以下）基本为电动车。"
    )
    assert second.text.startswith("加快充电基础设施建设。按照北京市统一要求，推进公交、环卫、物流等")
    assert second.text.endswith("努力达到北京市“重点区域充电设施平均服务半径小于0.9公里”的目标要求。")
    assert [m.text[:8] for m in task_by_number(plan, 4).measures] == [
        "按照低排放区要求",
        "开展在用车超标排",
        "强化车辆全流程监",
    ]


def test_page_break_lines_and_page_numbers_do_not_break_paragraphs(plan):
    # " 罚力度。…" starts a new page in the PDF; "- 15 -" is a page number inside task 26.
    assert "加大处罚力度。对重型车氮氧化物排放进行检测。" in task_by_number(plan, 4).measures[1].text
    (autumn,) = task_by_number(plan, 26).measures
    assert "环保、产业投资促进、交通、住房城市建设、水务、园林绿化等部门和各街道办事处" in autumn.text
    assert not any("- 15 -" in m.text for task in all_tasks(plan) for m in task.measures)
    # a new measure paragraph right after a page break
    assert task_by_number(plan, 23).measures[1].text.startswith("完善管理协作机制。")


def test_every_measure_carries_its_items_lead_line(plan):
    for task in all_tasks(plan):
        assert task.measures, task.number
        for measure in task.measures:
            assert measure.lead, (task.number, measure.text[:20])
            assert measure.units_inferred is False
    assert all(m.lead == ["区城市管理委", "区环卫中心"] for m in task_by_number(plan, 3).measures)
    assert task_by_number(plan, 7).measures[0].lead == ["区质监局", "西城工商分局", "西城公安分局"]
    assert task_by_number(plan, 22).measures[0].lead == ["区城市管理委", "市交通委西城运管处", "区环保局"]
    assert task_by_number(plan, 27).measures[0].lead == ["区空气重污染应急指挥部成员单位"]
    assert task_by_number(plan, 35).measures[0].lead == ["区属相关部门"]


def test_lead_lines_wrapped_over_lines_are_split_into_units(plan):
    assert task_by_number(plan, 4).measures[0].lead == [
        "区城市管理委",
        "区环保局",
        "西城工商分局",
        "西城公安分局",
        "西城交通支队",
        "区环卫中心",
    ]
    assert "规划国土委西城分局" in task_by_number(plan, 12).measures[0].lead


def test_concurrent_names_in_brackets_and_generic_tails_are_not_units(plan):
    # 区城市管理委（区交通委、区水务局）…区环保局等各相关行业主管部门
    assert task_by_number(plan, 5).measures[0].lead == [
        "区住房城市建设委",
        "区城市管理委",
        "区房管局",
        "区城管执法局",
        "区园林绿化局",
        "区质监局",
        "区环保局",
    ]
    # …区园林绿化局等各相关行业主管部门，各街道办事处
    assert task_by_number(plan, 9).measures[0].lead == [
        "区环保局",
        "区住房城市建设委",
        "区城市管理委",
        "区园林绿化局",
        "各街道办事处",
    ]
    all_leads = {name for task in all_tasks(plan) for m in task.measures for name in m.lead}
    assert not any("（" in name or "等" in name for name in all_leads)
    assert "区交通委" not in all_leads and "区水务局" not in all_leads
    (note,) = [w for w in plan.warnings if "其他名称" in w]
    assert "区城市管理委" in note and "区交通委" in note and "区水务局" in note


def test_garbage_tail_after_the_closing_line_is_ignored(plan):
    assert len(all_tasks(plan)) == 33
    (energy,) = task_by_number(plan, 19).measures
    assert energy.text.endswith("区住房城市建设委、区房管局、区城市管理委等部门加快推进既有建筑节能改造。")
    last = task_by_number(plan, 35).measures[-1]
    assert last.text.endswith("考核结果直接认定为不合格，并依纪依法追究责任。")
    texts = [m.text for task in all_tasks(plan) for m in task.measures]
    assert not any("抄送" in text or "印发" in text for text in texts)
    assert sum(text.startswith("落实绿色采购制度") for text in texts) == 1


def test_split_lead_line_keeps_notes_and_other_names_apart():
    units = split_lead_line(
        "区城市管理委（区交通委、区水务局）、各区政府（含北京经济技术开发区管委会）等部门，各街道办事处"
    )
    assert [(u.name, u.other_names) for u in units] == [
        ("区城市管理委", ["区交通委", "区水务局"]),
        ("各区政府（含北京经济技术开发区管委会）", []),
        ("各街道办事处", []),
    ]


def test_hard_wrapped_lines_are_rejoined_and_one_paragraph_a_line_is_kept():
    wrapped = [
        "（三）大力推进车辆电动化。提高新能源车保有量，新增和",
        "",
        "更新的环卫车辆基本采用电动车。到 2020 年，西城区轻型环卫",
        "",
        "车辆（4.5 吨以下）基本为电动车。",
        "加快充电基础设施建设。按照北京市统一要求，推进公交、",
        "环卫、物流等公共服务领域充电设施建设和城市公用充电设施建",
        "设，并在具备条件的大型商业购物中心、旅游景点、邮政快递分",
        "拨处理中心和规模较大的邮政快递营业投递网点等建设集中式",
        "充电桩和快速充电桩，为新能源车辆在城市通行提供便利。按照",
        "全市统一部署，到 2020 年，努力达到北京市“重点区域充电设",
        "施平均服务半径小于 0.9 公里”的目标要求。",
        "牵头部门：区城市管理委（区交通委）、区环卫中心",
    ]
    paragraphs = rejoin_wrapped_lines(wrapped)
    assert len(paragraphs) == 3
    assert paragraphs[0].endswith("到2020年，西城区轻型环卫车辆（4.5吨以下）基本为电动车。")
    assert paragraphs[2] == "牵头部门：区城市管理委（区交通委）、区环卫中心"

    one_a_line = [line.replace(" ", "") for line in wrapped[:1]] + [
        "加快充电基础设施建设。由区城管委牵头，会同相关部门组织推进公交、环卫、物流等公共服务领域充电设施建设。",
        "开展在用车超标排放联合执法。",
        "强化车辆全流程监管及查处。针对辖区内物流园区、货物集散地、旅游景区、工业企业、施工工地等区域开展检查。",
    ] * 4
    assert rejoin_wrapped_lines(one_a_line) == one_a_line


def test_an_item_without_its_lead_line_is_kept_with_a_warning():
    document = Document(
        blocks=[
            "一、优化调整交通运输结构",
            "（三）大力推进车辆电动化。提高新能源车保有量。",
            "牵头部门：区城市管理委",
            "（四）加大高排放车严管严查力度。加大查处力度。",
            "（五）加强非道路移动机械管控。开展执法检测。",
            "牵头部门：区环保局",
        ]
    )
    plan = parse_prose(document)
    (fourth,) = task_by_number(plan, 4).measures
    assert fourth.lead == []
    assert any("没有“牵头部门：”行" in warning for warning in fourth.warnings)
    assert task_by_number(plan, 5).measures[0].lead == ["区环保局"]


def test_documents_without_numbered_items_are_not_prose_plans():
    assert parse_prose(read_document(sample_bytes(FENGTAI), FENGTAI)) is None
    assert parse_prose(Document(blocks=["关于做好大气污染防治工作的通知", "各单位：请认真落实。"])) is None
