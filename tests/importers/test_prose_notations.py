"""Prose plans in every numbering style and unit notation real plans use (issue 10 §2, §3).

Each test composes a small fragment in one notation; the public corpus (test_corpus_score)
checks the same on whole documents.
"""

from __future__ import annotations

import pytest

from importers.documents import Document
from importers.parsers.prose import parse_prose

from .sample_plans import all_tasks


def parse(*paragraphs: str):
    plan = parse_prose(Document(blocks=list(paragraphs)))
    assert plan is not None
    return plan


def only_task(plan):
    (task,) = all_tasks(plan)
    return task


# ----------------------------------------------------------------------------- numbering


def test_the_level_carrying_the_annotations_is_the_task_level_and_the_one_above_the_chapters():
    plan = parse(
        "一、目标要求",
        "到2020年，全市空气质量优良天数比例达到94%。",
        "二、工作任务",
        "（一）升级产业结构，推动产业绿色转型。",
        "1.制定实施准入清单。完成环境准入清单编制工作。（市生态环境局牵头，市发展和改革局参与）",
        "2.排查整治“散乱污”工业企业。2019年9月底前，基本完成整治任务。（市工业和信息化局负责）",
        "（二）调整能源结构。",
        "3.控制煤炭消费总量。煤炭消费总量只减不增。（市发展和改革局牵头）",
    )

    assert [(c.title, [t.title for t in c.tasks]) for c in plan.chapters] == [
        ("升级产业结构，推动产业绿色转型", ["制定实施准入清单", "排查整治“散乱污”工业企业"]),
        ("调整能源结构", ["控制煤炭消费总量"]),
    ]
    assert plan.goals == ["到2020年，全市空气质量优良天数比例达到94%。"]
    first = plan.chapters[0].tasks[0].measures[0]
    assert first.text == "完成环境准入清单编制工作。"
    assert first.lead == ["市生态环境局"] and first.assisting == ["市发展和改革局"]
    assert plan.shape == "prose_annotated"


@pytest.mark.parametrize(
    ("chapter", "task", "measure"),
    [
        ("第一章 调整产业结构", "第一节 严格环境准入", "一、严控新增产能。"),
        ("一、调整产业结构", "（一）严格环境准入", "1.严控新增产能。"),
        ("(一)调整产业结构", "1、严格环境准入", "(1)严控新增产能。"),
        ("1．调整产业结构", "（1）严格环境准入", "①严控新增产能。"),
    ],
)
def test_every_numbering_style_nests_in_the_usual_order(chapter, task, measure):
    plan = parse(
        chapter,
        task,
        "牵头单位：市工业和信息化局",
        measure + "不再新增钢铁产能。",
        measure.replace("严控新增产能", "淘汰落后产能")
        .replace("一", "二")
        .replace("1", "2")
        .replace("①", "②")
        + "淘汰落后设备。",
    )

    (parsed_chapter,) = plan.chapters
    assert parsed_chapter.title == "调整产业结构"
    (parsed_task,) = parsed_chapter.tasks
    assert parsed_task.title == "严格环境准入"
    assert [m.text[:6] for m in parsed_task.measures] == ["严控新增产能", "淘汰落后产能"]
    assert all(m.lead == ["市工业和信息化局"] for m in parsed_task.measures)


def test_yishi_erhsi_paragraphs_and_cuoshi_items_are_numbered_items():
    plan = parse(
        "一是禁烧。区农委牵头负责，督促各镇街加大查处力度；区市政园林局牵头严厉打击露天焚烧垃圾。",
        "二是控尘。区城乡建委牵头加强施工和道路扬尘控制。",
    )
    禁烧, 控尘 = all_tasks(plan)
    assert (禁烧.title, 控尘.title) == ("禁烧", "控尘")
    assert [m.lead for m in 禁烧.measures] == [["区农委"], ["区市政园林局"]]

    plan = parse(
        "（一）加强工业企业大气污染综合治理",
        "目标任务：全面整治城市燃煤小锅炉。",
        "措施一：加快推进集中供热工程建设。逐步淘汰分散燃煤炉窑。",
        "责任单位：各设区市人民政府和平潭综合实验区管委会负责，省经信委、商务厅配合。",
    )
    task = only_task(plan)
    assert task.title == "加快推进集中供热工程建设"
    assert task.measures[0].lead == ["各设区市人民政府", "平潭综合实验区管委会"]
    assert task.measures[0].assisting == ["省经信委", "商务厅"]


def test_unnumbered_paragraphs_opening_with_a_title_sentence_are_tasks_and_the_rest_continue_them():
    plan = parse(
        "近日，省政府印发行动计划。通知指出：大力推动清洁能源采暖。鼓励企业参与集中供热建设。（省发展改革委牵头）",
        "坚持从实际出发，宜电则电、宜气则气，确保群众安全取暖过冬。（省住房城乡建设厅牵头）",
        "全面提高能源使用效率。继续实施能源消耗总量和强度双控行动。（省经济和信息化委牵头）",
    )

    first, second = all_tasks(plan)
    assert (first.title, second.title) == ("大力推动清洁能源采暖", "全面提高能源使用效率")
    assert [m.lead for m in first.measures] == [["省发展改革委"], ["省住房城乡建设厅"]]


def test_unnumbered_annotated_paragraphs_are_each_a_task():
    plan = parse(
        "首页 > 新闻 > 正文",
        "重污染天气Ⅱ级响应期间，加强非道路移动机械执法检查，检查组增加到15组。（各区政府、新区管委会，市生态环境局、交通运输局负责）",
        "重污染天气Ⅱ级响应期间，具备岸电条件的泊位停泊船舶应使用岸电。（市交通运输局、深圳海事局负责）",
    )

    first, second = all_tasks(plan)
    assert first.measures[0].lead == ["各区政府", "新区管委会", "市生态环境局", "交通运输局"]
    assert second.measures[0].lead == ["市交通运输局", "深圳海事局"]


def test_goal_and_guarantee_chapters_without_units_go_to_the_plan_goals():
    plan = parse(
        "一、指导思想",
        "以改善环境空气质量为核心。",
        "二、主要任务",
        "（一）治理扬尘。严格落实“六个百分百”。（市住建局牵头）",
        "三、保障措施",
        "（一）加强组织领导。各地要高度重视。",
        "（二）强化资金保障。加大财政投入。",
    )

    assert [t.title for t in all_tasks(plan)] == ["治理扬尘"]
    assert "以改善环境空气质量为核心。" in plan.goals and "加大财政投入。" in plan.goals


# --------------------------------------------------------------------------------- units


def test_several_labels_on_one_line_and_persons_kept_apart():
    task = only_task(
        parse(
            "一、治理扬尘",
            "（一）严格施工扬尘管理。落实“六个百分百”。",
            "牵头单位及责任人：市住建局张三；配合单位：市城管局、市生态环境局  完成时限：2019年底前",
        )
    )
    measure = task.measures[0]
    assert measure.lead == ["市住建局"] and measure.persons == ["张三"]
    assert measure.assisting == ["市城管局", "市生态环境局"]
    assert measure.deadline_text == "2019年底前"
    assert "牵头单位及责任人" in measure.unit_rule


def test_responsible_beside_a_lead_and_a_plain_responsible_list_as_joint_leads():
    plan = parse(
        "一、治理扬尘",
        "（一）严格施工扬尘管理。落实“六个百分百”。",
        "牵头部门：市发改委",
        "责任部门：各县（区）人民政府、开发区（新区）管委会",
        "（二）加强道路扬尘治理。提高机扫率。",
        "责任单位：区发改局、区市场监管局，各街道（园区）。",
    )
    first, second = all_tasks(plan)
    assert first.measures[0].lead == ["市发改委"]
    assert first.measures[0].responsible == ["各县（区）人民政府", "开发区（新区）管委会"]
    assert second.measures[0].lead == ["区发改局", "区市场监管局", "各街道（园区）"]
    assert "共同负责" in second.measures[0].unit_rule


@pytest.mark.parametrize(
    ("annotation", "lead", "others"),
    [
        (
            "（市生态环境局牵头，市发改委、市经信局等参与，各县（市、区）政府负责落实）",
            ["市生态环境局"],
            ["市发改委", "市经信局", "各县（市、区）政府"],
        ),
        ("〔市住建局牵头，市城管局等配合〕", ["市住建局"], ["市城管局"]),
        ("【市公安局负责】", ["市公安局"], []),
        ("(市交通局、市公安局按职责分工负责)", ["市交通局", "市公安局"], []),
        ("（省生态环境厅牵头，省气象局等部门按职责分工负责）", ["省生态环境厅"], ["省气象局"]),
        ("（市生态环境局）", ["市生态环境局"], []),
        (
            "（各区人民政府（含开发区、风景区管委会，下同）负责）",
            ["各区人民政府（含开发区、风景区管委会，下同）"],
            [],
        ),
        (
            "（市經信局、市發改委負責，市自然資源和規劃局參與）",
            ["市經信局", "市發改委"],
            ["市自然資源和規劃局"],
        ),
    ],
)
def test_bracketed_annotations_in_every_form(annotation, lead, others):
    task = only_task(parse("一、调整产业结构", f"1.严格环境准入。落实准入清单制度。{annotation}"))

    (measure,) = task.measures
    assert measure.lead == lead
    assert measure.responsible + measure.assisting == others
    assert measure.unit_rule.startswith("括注")
    assert measure.text == "落实准入清单制度。"


def test_brackets_that_are_not_annotations_stay_in_the_text():
    task = only_task(
        parse(
            "一、调整产业结构",
            "1.控制细颗粒物（PM2.5）。执行潮府〔2018〕17号文件（场所）要求。（市生态环境局牵头）",
        )
    )

    (measure,) = task.measures
    assert measure.text == "执行潮府〔2018〕17号文件（场所）要求。"
    assert measure.lead == ["市生态环境局"]


def test_an_annotation_inside_an_item_closes_a_measure():
    task = only_task(
        parse(
            "（一）升级产业结构",
            "1.制定实施准入清单。完成清单编制工作。〔市生态环境局牵头，市发改局参与〕按省的要求不再新建燃煤锅炉。（市生态环境局、市场监管局牵头）",
        )
    )

    first, second = task.measures
    assert first.text == "完成清单编制工作。" and first.assisting == ["市发改局"]
    assert second.text.startswith("按省的要求") and second.lead == ["市生态环境局", "市场监管局"]


def test_a_standing_clause_adds_its_units_to_every_later_item():
    plan = parse(
        "（一）升级产业结构",
        "1.严格环境准入。落实准入制度。（市生态环境局牵头，县（市、区）政府负责落实。以下均需县（市、区）政府落实，不再列出）",
        "2.严控“两高”行业产能。严禁新增产能。（市经信局牵头，市应急管理局等参与）",
    )
    first, second = all_tasks(plan)
    assert second.measures[0].lead == ["市经信局"]
    assert second.measures[0].assisting == ["市应急管理局", "县（市、区）政府"]
    assert "统一要求" in second.measures[0].unit_rule
    assert first.measures[0].assisting == ["县（市、区）政府"]


def test_first_listed_is_the_lead_when_the_plan_says_so_for_later_items_too():
    plan = parse(
        "一、加快调整能源结构（省发改委总牵头）",
        "1.制订煤炭消费总量中长期控制目标。（省经信委、省发改委（省能源局）。列第一位者为牵头部门，下同）",
        "2.新建项目禁止配套建设自备燃煤电站。（省发改委、省环保厅）",
    )
    assert plan.chapters[0].title == "加快调整能源结构"  # the chapter's own annotation is not in its title
    first, second = all_tasks(plan)
    assert (first.measures[0].lead, first.measures[0].responsible) == (["省经信委"], ["省发改委"])
    assert (second.measures[0].lead, second.measures[0].responsible) == (["省发改委"], ["省环保厅"])


def test_vague_names_are_flagged_not_units():
    task = only_task(parse("一、治理扬尘", "1.加强道路保洁。提高机扫率。（市城管局牵头，有关部门配合）"))

    (measure,) = task.measures
    assert measure.lead == ["市城管局"] and measure.assisting == []
    assert any("有关部门" in warning for warning in measure.warnings)


def test_leads_named_in_the_sentence_are_read_when_there_is_no_annotation():
    task = only_task(
        parse("一、治理扬尘", "（一）加强道路扬尘治理。由市城管局牵头，会同市交通局开展道路清扫。")
    )

    (measure,) = task.measures
    assert measure.lead == ["市城管局"] and measure.assisting == ["市交通局"]
    assert measure.unit_rule == "文中写明“由…牵头”"


def test_traditional_characters_give_the_same_units_as_simplified():
    simplified = only_task(
        parse(
            "一、調整產業結構".replace("調整產業結構", "调整产业结构"),
            "1.严格环境准入。落实准入制度。（市生态环境局牵头，市发改委参与）",
        )
    )
    traditional = only_task(
        parse("一、調整產業結構", "1.嚴格環境準入。落實準入制度。（市生態環境局牽頭，市發改委參與）")
    )

    assert traditional.title == "嚴格環境準入"  # kept as written
    s, t = simplified.measures[0], traditional.measures[0]
    assert (len(s.lead), len(s.assisting)) == (len(t.lead), len(t.assisting)) == (1, 1)
    assert t.lead == ["市生態環境局"] and t.assisting == ["市發改委"]


def test_a_stray_number_above_unnumbered_items_does_not_swallow_them():
    plan = parse(
        "1.新闻中心",
        "重污染天气Ⅱ级响应期间，加强非道路移动机械执法检查。（市生态环境局负责）",
        "重污染天气Ⅱ级响应期间，泊位停泊船舶应使用岸电。（市交通运输局负责）",
        "重污染天气Ⅰ级响应期间，实施柴油车限行。（市公安交警局负责）",
    )

    assert [t.measures[0].lead for t in all_tasks(plan)] == [
        ["市生态环境局"],
        ["市交通运输局"],
        ["市公安交警局"],
    ]


def test_a_unit_marked_qiantou_in_a_list_is_the_lead():
    plan = parse(
        "一、治理扬尘",
        "（一）严格施工扬尘管理。落实“六个百分百”。",
        "责任单位：市住建局（牵头）、市城管局、市生态环境局",
        "（二）加强道路保洁。提高机扫率。（市城管局（牵头）、市交通局）",
    )
    first, second = all_tasks(plan)
    assert (first.measures[0].lead, first.measures[0].responsible) == (
        ["市住建局"],
        ["市城管局", "市生态环境局"],
    )
    assert (second.measures[0].lead, second.measures[0].responsible) == (["市城管局"], ["市交通局"])


def test_units_on_a_chapter_heading_serve_its_tasks_that_name_none():
    plan = parse(
        "一、加快调整能源结构（省发改委牵头）",
        "1.控制煤炭消费总量。煤炭消费只减不增。",
        "2.发展清洁能源。扩大天然气利用。（省能源局负责）",
        "3.严格环境准入（省生态环境厅牵头）",
        "不再审批高耗能项目。",
    )
    first, second, third = all_tasks(plan)
    assert plan.chapters[0].title == "加快调整能源结构"
    assert first.measures[0].lead == ["省发改委"] and first.measures[0].unit_rule.startswith("章标题括注")
    assert second.measures[0].lead == ["省能源局"]
    assert third.title == "严格环境准入" and third.measures[0].lead == ["省生态环境厅"]


def test_a_label_whose_units_are_on_the_next_line():
    task = only_task(
        parse(
            "一、治理扬尘",
            "（一）严格施工扬尘管理。落实“六个百分百”。",
            "牵头单位：",
            "市住建局、市城管局",
            "时间要求：长期坚持",
        )
    )

    (measure,) = task.measures
    assert measure.lead == ["市住建局", "市城管局"] and measure.deadline_text == "长期坚持"


def test_you_x_fuze_in_the_sentence_names_the_lead():
    from importers.parsers.prose import units_named_in

    units = units_named_in("由区环卫局负责进一步加强背街小巷环境卫生的清扫。")

    assert units.lead == ["区环卫局"] and not units.inferred
    assert units_named_in("由区环卫局负责人带队检查。").lead == []  # 负责人 is a person, not 负责


def test_an_enumeration_yishi_ershi_inside_a_paragraph_is_one_measure_each():
    task = only_task(
        parse(
            "一、治理扬尘",
            "（一）加强扬尘管控。全面加强扬尘治理，一是严格施工工地管理；二是加强道路保洁；三是治理裸露地面。（市住建局牵头）",
        )
    )

    assert [m.text[:8] for m in task.measures] == ["全面加强扬尘治理", "二是加强道路保洁", "三是治理裸露地面"]
    assert all(m.lead == ["市住建局"] for m in task.measures)
