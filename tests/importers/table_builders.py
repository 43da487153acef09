"""Build plan tables for the tests: the same small plan as tab rows, pipe rows, one cell per
line, a Word document with merged cells and a two-row header, an Excel workbook of two sheets.
"""

from __future__ import annotations

import io

import openpyxl
from docx import Document as WordDocument

# (chapter, number, task, measure, units cell, deadline); number "" continues the task above.
ROWS = [
    (
        "一、调整优化产业结构",
        "1",
        "淘汰落后产能",
        "全面完成钢铁行业超低排放改造。",
        "市工业和信息化局牵头，市生态环境局、市发展改革委配合",
        "2025年底前",
    ),
    ("", "", "", "关停建成区燃煤小锅炉。", "市生态环境局", "2024年6月底前"),
    ("", "2", "治理扬尘污染", "施工工地落实“六个百分之百”。", "市住房城乡建设局、市城市管理局", "长期坚持"),
    ("二、优化调整交通结构", "3", "推广新能源车", "新增公交车全部为新能源车。", "市交通运输局", "每年"),
]
HEADER = ["编号", "工作任务", "工作内容", "责任单位", "时间节点"]


def tab_text(header=HEADER, rows=ROWS) -> str:
    lines = ["附件", "某市大气污染防治重点任务分解表", "\t".join(header)]
    for chapter, *cells in rows:
        if chapter:
            lines.append(chapter)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def pipe_text(*, separator: bool) -> str:
    lines = ["某市大气污染防治重点任务分解表", "", "| " + " | ".join(HEADER) + " |"]
    if separator:
        lines.append("|" + "---|" * len(HEADER))
    for chapter, *cells in ROWS:
        if chapter:
            lines.append("| " + " | ".join([chapter] + [""] * (len(HEADER) - 1)) + " |")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def cell_line_text() -> str:
    """One cell per line, each starting with a tab, a blank line after every row (mentougou)."""
    rows = [HEADER]
    for chapter, *cells in ROWS:
        if chapter:
            rows.append([chapter])
        rows.append(list(cells))
    out = ["某市大气污染防治重点任务分解表", ""]
    for row in rows:
        out.extend("\t" + cell for cell in row)
        out.append("")
    return "\n".join(out) + "\n"


# --- Word ------------------------------------------------------------------------------------

WORD_HEADER_TOP = ["序号", "重点任务", "具体措施", "责任单位", "责任单位", "完成时限"]
# (number, task, measure, lead, assisting, deadline)
WORD_ROWS_PAGE_1 = [
    ("1", "淘汰落后产能", "全面完成钢铁行业超低排放改造。", "市工业和信息化局", "市生态环境局", "2025年底前"),
    ("1", "淘汰落后产能", "关停建成区燃煤小锅炉。", "市生态环境局", "", "2024年6月底前"),
]
WORD_ROWS_PAGE_2 = [
    ("1", "淘汰落后产能", "整治“散乱污”企业。", "市生态环境局", "各区人民政府", "长期坚持"),
    ("2", "治理扬尘污染", "施工工地落实“六个百分之百”。", "市住房城乡建设局", "市城市管理局", "长期坚持"),
]


def _word_table(word, rows, *, chapter: str | None):
    table = word.add_table(rows=2 + (1 if chapter else 0) + len(rows), cols=6)
    table.cell(0, 3).merge(table.cell(0, 4)).text = "责任单位"  # over 牵头 | 配合
    table.cell(1, 3).text, table.cell(1, 4).text = "牵头单位", "配合单位"
    for position in (0, 1, 2, 5):  # 序号, 重点任务, 具体措施, 完成时限 span both header rows
        table.cell(0, position).merge(table.cell(1, position)).text = WORD_HEADER_TOP[position]
    first = 2
    if chapter:
        table.cell(2, 0).merge(table.cell(2, 5)).text = chapter
        first = 3
    for offset, values in enumerate(rows):
        for position, value in enumerate(values):
            table.cell(first + offset, position).text = value
    # the task's 序号 and 重点任务 merged down over its rows
    for position in (0, 1):
        start = first
        for offset in range(1, len(rows) + 1):
            if offset == len(rows) or rows[offset][0] != rows[start - first][0]:
                if offset - 1 > start - first:
                    merged = table.cell(start, position).merge(table.cell(first + offset - 1, position))
                    merged.text = rows[start - first][position]
                start = first + offset
    return table


def word_bytes() -> bytes:
    """Two tables (a page break between them) with a two-row, merged header each."""
    word = WordDocument()
    word.add_paragraph("某市2024年大气污染防治重点任务清单")
    _word_table(word, WORD_ROWS_PAGE_1, chapter="一、调整优化产业结构")
    word.add_paragraph("— 2 —")
    _word_table(word, WORD_ROWS_PAGE_2, chapter=None)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- Excel -----------------------------------------------------------------------------------

SHEETS = {
    "工业": [
        ("1", "淘汰落后产能", "全面完成钢铁行业超低排放改造。", "市工业和信息化局", "2025年底前"),
        ("", "", "关停建成区燃煤小锅炉。", "市生态环境局", ""),
        ("2", "治理工业炉窑", "完成玻璃行业深度治理。", "市生态环境局", "2024年底前"),
    ],
    "交通": [
        ("1", "推广新能源车", "新增公交车全部为新能源车。", "市交通运输局", "每年"),
        ("2", "治理柴油货车", "开展路检路查。", "市公安局交通管理支队", "长期坚持"),
    ],
}


def excel_bytes() -> bytes:
    """Two sheets, each numbering its tasks from 1, a title row over the header, merged cells."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append([f"{name}领域重点任务"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
        sheet.append(["序号", "任务名称", "主要内容", "牵头部门", "完成时间"])
        for row in rows:
            sheet.append(list(row))
        for row_number, row in enumerate(rows, start=3):
            if row[0] == "":  # continuation: merge 序号, 任务名称 and 完成时间 with the row above
                for column in (1, 2, 5):
                    sheet.merge_cells(
                        start_row=row_number - 1, start_column=column, end_row=row_number, end_column=column
                    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
