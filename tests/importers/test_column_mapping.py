"""A table whose columns say nothing the parser knows is not refused: the office maps them."""

import pytest

from importers.errors import PlanImportError
from importers.parsers.table import parse_with_mapping
from importers.pipeline import parse_document, parse_document_with_mapping
from importers.readers import read_document

UNLABELLED = (
    "某县秋冬季大气污染综合治理攻坚行动工作安排\n"
    "第一栏\t第二栏\t第三栏\t第四栏\n"
    "1\t开展燃煤锅炉拆改工作，全面淘汰10蒸吨以下燃煤锅炉。\t县生态环境局\t2024年10月底前\n"
    "2\t加强施工工地扬尘管控，落实“六个百分之百”要求。\t县住房城乡建设局\t长期坚持\n"
    "3\t开展柴油货车路检路查，严查超标排放车辆。\t县公安局交警大队\t2024年12月底前\n"
)
MAPPING = {0: "number", 1: "measure", 2: "lead", 3: "deadline"}


def test_an_unidentified_table_asks_for_a_column_mapping_instead_of_failing():
    plan = parse_document(UNLABELLED.encode(), "安排.txt")
    assert plan.needs_column_mapping
    assert plan.chapters == []
    assert any("指定" in warning for warning in plan.warnings)
    (table,) = plan.unmapped_tables
    assert table["header"] == ["第一栏", "第二栏", "第三栏", "第四栏"]
    assert table["rows"][0][2] == "县生态环境局"
    assert len(table["rows"]) == 3
    assert table["guessed"] == ["number", "measure", "lead", "deadline"]


def test_the_offices_mapping_reads_the_table():
    document = read_document(UNLABELLED.encode(), "安排.txt")
    plan = parse_with_mapping(document, MAPPING)
    tasks = [task for chapter in plan.chapters for task in chapter.tasks]
    assert [task.number for task in tasks] == [1, 2, 3]
    assert tasks[0].title == "开展燃煤锅炉拆改工作，全面淘汰10蒸吨以下燃煤锅炉"
    assert [(m.lead, m.deadline_text) for task in tasks for m in task.measures] == [
        (["县生态环境局"], "2024年10月底前"),
        (["县住房城乡建设局"], "长期坚持"),
        (["县公安局交警大队"], "2024年12月底前"),
    ]
    assert not plan.needs_column_mapping


def test_mapping_through_the_pipeline_dates_the_measures():
    plan = parse_document_with_mapping(UNLABELLED.encode(), "安排.txt", MAPPING)
    first = plan.chapters[0].tasks[0].measures[0]
    assert first.deadline is not None and first.deadline.due_date.month == 10


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({0: "number", 1: "colour"}, "无法识别"),
        ({0: "number", 2: "lead"}, "重点任务"),
        ({0: "number", 7: "measure"}, "没有读到任何任务"),
    ],
)
def test_an_unusable_mapping_gets_a_chinese_message(mapping, message):
    document = read_document(UNLABELLED.encode(), "安排.txt")
    with pytest.raises(PlanImportError, match=message):
        parse_with_mapping(document, mapping)


def test_a_short_table_of_names_is_not_offered_for_mapping():
    text = "联系人\t电话\n张三\t12345\n李四\t67890\n"
    with pytest.raises(PlanImportError):
        parse_document(text.encode(), "通讯录.txt")


def test_a_table_with_a_known_header_keeps_its_columns_under_a_mapping():
    text = UNLABELLED + "\n附表\n序号\t重点任务\t具体措施\t牵头单位\n1\t治理扬尘\t道路机扫。\t县城市管理局\n"
    document = read_document(text.encode(), "安排.txt")
    plan = parse_with_mapping(document, MAPPING)
    measures = [m for chapter in plan.chapters for task in chapter.tasks for m in task.measures]
    assert measures[-1].text == "道路机扫。" and measures[-1].lead == ["县城市管理局"]
