"""Plan tables read by meaning (issue 10 §4): header words, two-row headers, merged cells,
several tables and sheets, unit cells that say who leads, and the same in text dumps."""

import opencc
import pytest

from departments.directory import UnitDirectory
from importers.documents import Document
from importers.parsers import headers
from importers.parsers.table import parse_tables
from importers.pipeline import parse_document
from importers.plan_json import plan_as_json
from importers.text_tables import text_to_blocks

from .table_builders import HEADER, cell_line_text, excel_bytes, pipe_text, tab_text, word_bytes


def tasks_of(plan):
    return [task for chapter in plan.chapters for task in chapter.tasks]


def units_by_measure(plan):
    return [
        (
            task.number,
            measure.text,
            measure.lead,
            measure.responsible,
            measure.assisting,
            measure.deadline_text,
        )
        for task in tasks_of(plan)
        for measure in task.measures
    ]


EXPECTED = [
    (
        1,
        "全面完成钢铁行业超低排放改造。",
        ["市工业和信息化局"],
        [],
        ["市生态环境局", "市发展改革委"],
        "2025年底前",
    ),
    (1, "关停建成区燃煤小锅炉。", ["市生态环境局"], [], [], "2024年6月底前"),
    (2, "施工工地落实“六个百分之百”。", ["市住房城乡建设局", "市城市管理局"], [], [], "长期坚持"),
    (3, "新增公交车全部为新能源车。", ["市交通运输局"], [], [], "每年"),
]


@pytest.mark.parametrize(
    ("words", "role"),
    [
        *[(word, "number") for word in ("序号", "编号")],
        *[(word, "task") for word in ("重点任务", "工作任务", "任务名称", "主要任务")],
        *[(word, "measure") for word in ("具体措施", "工作措施", "工作内容", "主要内容", "任务内容")],
        *[(word, "lead") for word in ("牵头单位", "牵头部门", "牵头单位（部门）", "牵 头 单 位")],
        *[(word, "responsible") for word in ("主责单位",)],
        *[(word, "units") for word in ("责任单位", "责任部门")],
        *[(word, "assisting") for word in ("配合单位", "协办单位", "参与单位", "配合部门")],
        *[
            (word, "deadline")
            for word in ("完成时限", "时间节点", "时限要求", "完成时间", "进度安排", "完成\n时限")
        ],
        ("责任领导", "leader"),
        ("牵头领导", "leader"),
        ("责任人", "leader"),
        ("备注", "note"),
        ("督办单位", "note"),
        ("牵头单位及责任人", "lead"),
        ("类别", "category"),
        ("领域", "category"),
        ("牽頭單位", "lead"),
        ("完成時限", "deadline"),
    ],
)
def test_header_cells_are_read_by_meaning(words, role):
    assert headers.header_role(words) == role


def test_text_that_is_not_a_header_word_has_no_role():
    assert headers.header_role("全面完成钢铁行业超低排放改造，确保按期完成。") is None
    assert headers.header_role("12") is None


@pytest.mark.parametrize(
    "text",
    [tab_text(), pipe_text(separator=True), pipe_text(separator=False), cell_line_text()],
    ids=["tab-rows", "pipe-table", "pipe-table-without-rule", "one-cell-per-line"],
)
def test_a_task_table_in_any_text_layout_gives_the_same_plan(text):
    plan = parse_document(text.encode(), "分解表.txt")
    assert [chapter.title for chapter in plan.chapters] == ["调整优化产业结构", "优化调整交通结构"]
    assert [task.title for task in tasks_of(plan)] == ["淘汰落后产能", "治理扬尘污染", "推广新能源车"]
    assert units_by_measure(plan) == EXPECTED


def test_a_unit_cell_that_says_who_leads_is_split_into_roles():
    plan = parse_tables(Document(blocks=text_to_blocks(tab_text())))
    first = tasks_of(plan)[0].measures[0]
    assert first.lead == ["市工业和信息化局"]
    assert first.assisting == ["市生态环境局", "市发展改革委"]
    assert "牵头" in first.unit_rule


def test_a_responsibility_column_without_a_lead_column_makes_joint_leads():
    plan = parse_tables(Document(blocks=text_to_blocks(tab_text())))
    dust = tasks_of(plan)[1].measures[0]
    assert dust.lead == ["市住房城乡建设局", "市城市管理局"] and dust.responsible == []
    assert "共同" in dust.unit_rule
    assert any("共同牵头" in warning for warning in plan.warnings)


def test_a_responsibility_column_beside_a_lead_column_is_responsible():
    header = ["序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限"]
    rows = [("", "1", "淘汰落后产能", "关停燃煤小锅炉。", "市生态环境局", "各区人民政府", "2024年底前")]
    plan = parse_tables(Document(blocks=text_to_blocks(tab_text(header, rows))))
    (measure,) = tasks_of(plan)[0].measures
    assert (measure.lead, measure.responsible) == (["市生态环境局"], ["各区人民政府"])


def test_a_table_in_traditional_characters_gives_the_same_units_after_resolution():
    rows = [
        (
            "一、调整交通结构",
            "1",
            "治理柴油货车",
            "开展路检路查。",
            "市生态环境局牵头，市公安局、市交通委配合",
            "长期坚持",
        ),
        (
            "",
            "2",
            "治理扬尘污染",
            "施工工地落实“六个百分之百”。",
            "市住房城乡建设委、市城市管理委",
            "2024年底前",
        ),
    ]
    simplified_text = tab_text(rows=rows)
    traditional_text = opencc.OpenCC("s2t").convert(simplified_text)
    assert traditional_text != simplified_text
    directory = UnitDirectory.from_yaml()

    def resolved_units(text):
        parsed = plan_as_json(parse_document(text.encode("utf-8"), "plan.txt"), directory)
        return [
            m["units"]
            for chapter in parsed["chapters"]
            for task in chapter["tasks"]
            for m in task["measures"]
        ]

    simplified, traditional = resolved_units(simplified_text), resolved_units(traditional_text)
    assert traditional == simplified
    assert any(simplified[0].values())  # the Beijing directory knows these units
    plan = parse_document(traditional_text.encode("utf-8"), "plan.txt")
    assert tasks_of(plan)[0].measures[0].text == "開展路檢路查。"  # the text is kept as written


def test_word_tables_with_a_two_row_merged_header_split_across_pages():
    plan = parse_document(word_bytes(), "清单.docx")
    assert [chapter.title for chapter in plan.chapters] == ["调整优化产业结构"]
    tasks = tasks_of(plan)
    assert [(task.number, task.title, len(task.measures)) for task in tasks] == [
        (1, "淘汰落后产能", 3),
        (2, "治理扬尘污染", 1),
    ]
    first, second, third = tasks[0].measures
    assert (first.lead, first.assisting) == (["市工业和信息化局"], ["市生态环境局"])
    assert (second.lead, second.assisting) == (["市生态环境局"], [])
    assert (third.lead, third.assisting, third.deadline_text) == (
        ["市生态环境局"],
        ["各区人民政府"],
        "长期坚持",
    )


def test_two_excel_sheets_that_each_number_from_one_are_one_plan():
    plan = parse_document(excel_bytes(), "任务.xlsx")
    tasks = tasks_of(plan)
    assert [(task.number, task.title) for task in tasks] == [
        (1, "淘汰落后产能"),
        (2, "治理工业炉窑"),
        (3, "推广新能源车"),
        (4, "治理柴油货车"),
    ]
    assert [len(task.measures) for task in tasks] == [2, 1, 1, 1]
    merged = tasks[0].measures[1]
    assert (merged.lead, merged.deadline_text) == (["市生态环境局"], "2025年底前")
    assert any("重新开始" in warning for warning in plan.warnings)


def test_a_header_repeated_after_a_page_break_continues_the_same_table():
    text = (
        tab_text()
        + "\n— 2 —\n"
        + "\t".join(HEADER)
        + "\n"
        + "3\t推广新能源车\t新增出租车全部为新能源车。\t市交通运输局\t每年\n"
    )
    plan = parse_document(text.encode(), "plan.txt")
    assert [(task.number, len(task.measures)) for task in tasks_of(plan)] == [(1, 2), (2, 1), (3, 2)]


def test_a_word_table_continued_on_the_next_page_without_its_header():
    import io

    from docx import Document as WordDocument

    word = WordDocument()
    for rows in (
        [
            ["序号", "工作任务", "工作措施", "牵头部门", "完成时限"],
            ["1", "淘汰落后产能", "关停燃煤小锅炉。", "市生态环境局", "2024年底前"],
        ],
        [
            ["1", "淘汰落后产能", "整治“散乱污”企业。", "市生态环境局", "长期坚持"],
            ["2", "治理扬尘污染", "道路机扫。", "市城市管理局", "每年"],
        ],
    ):
        table = word.add_table(rows=len(rows), cols=5)
        for row_number, row in enumerate(rows):
            for position, text in enumerate(row):
                table.cell(row_number, position).text = text
        word.add_paragraph("")
    buffer = io.BytesIO()
    word.save(buffer)
    plan = parse_document(buffer.getvalue(), "plan.docx")
    assert [(task.number, len(task.measures)) for task in tasks_of(plan)] == [(1, 2), (2, 1)]
    assert not any("重新开始" in warning for warning in plan.warnings)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("清单.docx", word_bytes),
        ("任务.xlsx", excel_bytes),
        ("分解表.txt", lambda: pipe_text(separator=True).encode()),
    ],
    ids=["word", "excel", "pipe"],
)
def test_import_plan_dry_run_json_gives_each_table_task_with_units_and_deadlines(tmp_path, name, data):
    import io
    import json

    from django.core.management import call_command

    path = tmp_path / name
    path.write_bytes(data())
    out = io.StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", stdout=out)
    parsed = json.loads(out.getvalue())
    measures = [m for chapter in parsed["chapters"] for task in chapter["tasks"] for m in task["measures"]]
    assert parsed["counts"]["tasks"] >= 2 and not parsed["needs_column_mapping"]
    assert all(m["deadline_text"] for m in measures)
    assert all(m["units_written"]["lead"] for m in measures)


def test_a_lead_column_with_persons_keeps_the_person_apart():
    header = ["序号", "重点任务", "具体措施", "牵头单位及责任人", "督办单位", "完成时限"]
    rows = [("", "1", "淘汰落后产能", "关停燃煤小锅炉。", "市生态环境局张三", "市政府督查室", "2024年底前")]
    plan = parse_tables(Document(blocks=text_to_blocks(tab_text(header, rows))))
    (measure,) = tasks_of(plan)[0].measures
    assert measure.lead == ["市生态环境局"] and measure.persons == ["张三"]
    assert measure.responsible == [] and measure.assisting == []


def test_a_vague_word_in_an_annotated_unit_cell_is_flagged_not_made_a_unit():
    rows = [("", "1", "治理扬尘", "道路机扫。", "市城市管理局牵头，有关部门配合", "每年")]
    plan = parse_tables(Document(blocks=text_to_blocks(tab_text(rows=rows))))
    (measure,) = tasks_of(plan)[0].measures
    assert (measure.lead, measure.assisting) == (["市城市管理局"], [])
    assert any("有关部门" in warning for warning in measure.warnings)
