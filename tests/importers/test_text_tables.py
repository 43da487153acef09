"""Tables in plain text: tab rows, one cell per line, pipe tables (importers.text_tables)."""
from importers.documents import Table
from importers.text_tables import text_to_blocks


def test_a_pipe_table_with_a_rule_line_and_outer_pipes():
    blocks = text_to_blocks("标题\n| 序号 | 任务 | 牵头单位 |\n|---|:---:|---|\n| 1 | 甲<br>乙 | 市局 |\n结尾\n")
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
