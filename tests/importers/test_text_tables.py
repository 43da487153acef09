"""Tables in plain text: tab rows, one cell per line, pipe tables (importers.text_tables)."""

from importers.documents import Table
from importers.text_tables import text_to_blocks


def test_a_pipe_table_with_a_rule_line_and_outer_pipes():
    blocks = text_to_blocks(
        "标题\n| 序号 | 任务 | 牵头单位 |\n|---|:---:|---|\n| 1 | 甲<br>乙 | 市局 |\n结尾\n"
    )
    assert blocks == [
        "标题",
        Table(rows=[["序号", "任务", "牵头单位"], ["1", "甲\n乙", "市局"]], layout="pipe"),
        "结尾",
    ]


def test_a_pipe_table_without_rule_or_outer_pipes_in_full_width_bars():
    (table,) = text_to_blocks("序号｜任务｜牵头单位\n1｜甲｜市局\n2｜乙｜区局\n")
    assert table.layout == "pipe"
    assert table.rows == [["序号", "任务", "牵头单位"], ["1", "甲", "市局"], ["2", "乙", "区局"]]


def test_a_chapter_row_inside_a_pipe_table_keeps_its_single_cell():
    (table,) = text_to_blocks("|序号|任务|\n|1|甲|\n|二、某章||\n|2|乙|\n")
    assert table.rows == [["序号", "任务"], ["1", "甲"], ["二、某章", ""], ["2", "乙"]]


def test_prose_with_a_pipe_is_not_a_table():
    assert text_to_blocks("PM2.5|PM10浓度下降\n正文\n") == ["PM2.5|PM10浓度下降", "正文"]


def test_a_line_with_a_pipe_just_before_a_table_stays_prose():
    blocks = text_to_blocks("说明：甲|乙\n|序号|任务|牵头|\n|1|丙|市局|\n")
    assert blocks[0] == "说明：甲|乙"
    assert blocks[1].rows == [["序号", "任务", "牵头"], ["1", "丙", "市局"]]


FLATTENED = (
    "2018年重点工作任务分解 序号 类别 目标及措施 主要内容 牵头单位 责任单位 "
    "控制扬尘污染 施工扬尘 全面落实施工工地“六个百分之百”. 区住建委 区城管局 道路 保洁 "
    "提高道路机扫率,减少道路积尘.\n\n加强渣土车\n监管. 区城管局 区交委 区公安局 "
    "开展夜间专项执法. 区公安局 区城管局\n"
)


def test_a_table_flattened_into_one_run_of_words_is_rebuilt():
    title, table = text_to_blocks(FLATTENED)
    assert title == "2018年重点工作任务分解"
    assert table.layout == "flattened"
    assert table.rows == [
        ["序号", "类别", "目标及措施", "主要内容", "牵头单位", "责任单位"],
        ["", "控制扬尘污染", "施工扬尘", "全面落实施工工地“六个百分之百”.", "区住建委", "区城管局"],
        ["", "", "道路保洁", "提高道路机扫率,减少道路积尘. 加强渣土车监管.", "区城管局", "区交委 区公安局"],
        ["", "", "", "开展夜间专项执法.", "区公安局", "区城管局"],
    ]


def test_a_flattened_table_parses_into_chapters_tasks_and_roles():
    from importers.documents import Document
    from importers.parsers.table import parse_tables

    plan = parse_tables(Document(blocks=text_to_blocks(FLATTENED)))
    assert plan.shape == "flattened_table"
    (chapter,) = plan.chapters
    assert chapter.title == "控制扬尘污染"
    assert [(task.title, len(task.measures)) for task in chapter.tasks] == [("施工扬尘", 1), ("道路保洁", 2)]
    second = chapter.tasks[1].measures[0]
    assert (second.lead, second.responsible) == (["区城管局"], ["区交委", "区公安局"])


def test_a_flattened_duty_list_with_deadlines_after_the_units_and_wrapped_names():
    text = (
        "职责清单 工作任务和内容 责任单位 配合单位 完成时间 负责扬尘污染的宣传报道,开展专题宣传.\n\n"
        "县委宣传部 持续开展 负责督导检查考核工作. 县委县政府 督查室 持续开展 "
        "负责抓好交通建设项目扬尘防治. 县交通 运输局 12月底前完成 新能源汽车更换\n"
    )
    _, table = text_to_blocks(text)
    assert table.rows[1:] == [
        ["负责扬尘污染的宣传报道,开展专题宣传.", "县委宣传部", "", "持续开展"],
        ["负责督导检查考核工作.", "县委县政府督查室", "", "持续开展"],
        ["负责抓好交通建设项目扬尘防治.", "县交通运输局", "", "12月底前完成 新能源汽车更换"],
    ]
    from importers.documents import Document
    from importers.parsers.table import parse_tables

    plan = parse_tables(Document(blocks=[table]))
    tasks = plan.chapters[0].tasks
    assert [task.title for task in tasks] == [
        "负责扬尘污染的宣传报道,开展专题宣传",
        "负责督导检查考核工作",
        "负责抓好交通建设项目扬尘防治",
    ]
    assert [task.measures[0].lead for task in tasks] == [
        ["县委宣传部"],
        ["县委县政府督查室"],
        ["县交通运输局"],
    ]


STACKED = """某区扬尘治理重点任务
序号
重点任务
具体措施
牵头单位
完成时限
一、调整产业结构
1
持续推进燃煤锅炉整治
全面完成燃煤锅炉超低排放改造。
关停建成区燃煤小锅炉。
区发展改革委
区生态环境局
2025年底前
2
治理施工扬尘
施工工地落实六个百分之百。
区住房城乡建设委
长期坚持
抄送：区委办公室
"""


def test_a_web_table_copied_with_each_cell_on_its_own_line():
    title, table, end = text_to_blocks(STACKED)
    assert (title, end) == ("某区扬尘治理重点任务", "抄送：区委办公室")
    assert table.layout == "stacked"
    assert table.rows[1:] == [
        ["一、调整产业结构"],
        [
            "1",
            "持续推进燃煤锅炉整治",
            "全面完成燃煤锅炉超低排放改造。\n关停建成区燃煤小锅炉。",
            "区发展改革委\n区生态环境局",
            "2025年底前",
        ],
        ["2", "治理施工扬尘", "施工工地落实六个百分之百。", "区住房城乡建设委", "长期坚持"],
    ]
    from importers.documents import Document
    from importers.parsers.table import parse_tables

    plan = parse_tables(Document(blocks=text_to_blocks(STACKED)))
    assert plan.shape == "stacked_table"
    assert [chapter.title for chapter in plan.chapters] == ["调整产业结构"]
    tasks = plan.chapters[0].tasks
    assert [(task.title, task.measures[0].lead, task.measures[0].deadline_text) for task in tasks] == [
        ("持续推进燃煤锅炉整治", ["区发展改革委", "区生态环境局"], "2025年底前"),
        ("治理施工扬尘", ["区住房城乡建设委"], "长期坚持"),
    ]


def test_a_list_of_short_lines_that_is_not_a_header_stays_prose():
    text = "序号\n名称\n备注\n1\n甲\n乙\n"
    assert all(isinstance(block, str) for block in text_to_blocks(text))
