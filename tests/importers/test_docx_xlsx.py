"""Word and Excel uploads of the sample tables parse exactly like their text dumps.

The .docx/.xlsx files are built here from the text samples the way the
originals would look: chapter rows merged across the table, and the cells a
text dump leaves empty under a filled one (序号/重点任务 of continuation rows,
a shared 完成时限, shared units) merged vertically with it.
"""

import io

import openpyxl
import pytest
from docx import Document as WordDocument

from importers.documents import Document, Table
from importers.parsers.table import parse_tables
from importers.readers import read_document

from .sample_plans import BEIJING, FENGTAI, MENTOUGOU, all_tasks, plan_summary, sample_bytes

# Columns whose empty cells are vertical merges in each original. fengtai's empty
# 协办单位 means "none" and beijing's empty unit cells are resolved by the parser
# itself, so only the columns the dump leaves empty for layout reasons are merged.
MERGED_COLUMNS = {
    FENGTAI: {"序号", "重点任务"},
    MENTOUGOU: {"序号", "重点任务", "完成时限", "牵头单位", "主责单位"},
    BEIJING: {"序号", "重点任务", "完成时限"},
}


def text_document(name: str) -> Document:
    return read_document(sample_bytes(name), name)


def is_spanning(row: list[str]) -> bool:
    return len(row) == 1 or not any(row[1:])


def layout_rows(table: Table, merged_columns: set[str], width: int):
    """Yield (row, kind, merge_flags): kind is "header", "spanning" or "row"; merge_flags[i] is True
    when cell i continues the vertical merge of the cell above."""
    header: list[str] = []
    run_open = [False] * width
    for row in table.rows:
        row = row + [""] * (width - len(row))
        if "序号" in row:
            header = [cell.replace("\n", "") for cell in row]
            run_open = [False] * width
            yield row, "header", [False] * width
        elif is_spanning(row):
            run_open = [False] * width
            yield row, "spanning", [False] * width
        else:
            starts_task = bool(header) and bool(row[header.index("序号")])
            flags = []
            for position, cell in enumerate(row):
                column = header[position] if header else ""
                if cell:
                    run_open[position] = True
                    flags.append(False)
                else:
                    flags.append(column in merged_columns and run_open[position] and not starts_task)
                    if starts_task:
                        run_open[position] = False
            yield row, "row", flags


def set_cell_text(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build_docx(document: Document, merged_columns: set[str]) -> bytes:
    word = WordDocument()
    for block in document.blocks:
        if isinstance(block, str):
            if block.strip():
                word.add_paragraph(block)
            continue
        width = max(len(row) for row in block.rows)
        table = word.add_table(rows=0, cols=width)
        merge_tops: list = [None] * width
        for row, kind, flags in layout_rows(block, merged_columns, width):
            cells = table.add_row().cells
            if kind == "spanning":
                set_cell_text(cells[0], row[0])
                cells[0].merge(cells[-1])
                merge_tops = [None] * width
                continue
            for position, (cell, text) in enumerate(zip(cells, row)):
                if flags[position] and merge_tops[position] is not None:
                    merge_tops[position] = merge_tops[position].merge(cell)
                else:
                    set_cell_text(cell, text)
                    merge_tops[position] = cell
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def build_xlsx(document: Document, merged_columns: set[str]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    width = max(len(row) for table in document.tables for row in table.rows)
    for block in document.blocks:
        if isinstance(block, str):
            if block.strip():
                sheet.append([block])
            continue
        run_top = [0] * width  # first sheet row of the open vertical merge in each column
        for row, kind, flags in layout_rows(block, merged_columns, width):
            sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
            row_number = sheet.max_row
            if kind == "spanning":
                for position in range(width):
                    _close_vertical_merge(sheet, run_top[position], row_number - 1, position + 1)
                run_top = [0] * width
                sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=width)
                sheet.cell(row_number, 1).value = row[0]
                continue
            for position, merged in enumerate(flags):
                if merged and run_top[position]:
                    continue
                _close_vertical_merge(sheet, run_top[position], row_number - 1, position + 1)
                run_top[position] = row_number
        for position in range(width):
            _close_vertical_merge(sheet, run_top[position], sheet.max_row, position + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _close_vertical_merge(sheet, top: int, bottom: int, column: int) -> None:
    if top and bottom > top:
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)


@pytest.mark.parametrize("name", [FENGTAI, MENTOUGOU, BEIJING])
def test_word_table_parses_like_the_text_dump(name):
    data = build_docx(text_document(name), MERGED_COLUMNS[name])
    xml = _document_xml(data)
    assert "w:vMerge" in xml and "w:gridSpan" in xml  # the file really has merged cells

    from_text = parse_tables(text_document(name))
    from_word = parse_tables(read_document(data, "plan.docx"))
    assert from_word.shape == "table"
    assert plan_summary(from_word) == plan_summary(from_text)
    assert from_word.goals == from_text.goals


@pytest.mark.parametrize("name", [FENGTAI, MENTOUGOU, BEIJING])
def test_excel_sheet_parses_like_the_text_dump(name):
    data = build_xlsx(text_document(name), MERGED_COLUMNS[name])
    assert openpyxl.load_workbook(io.BytesIO(data)).active.merged_cells.ranges

    from_text = parse_tables(text_document(name))
    from_excel = parse_tables(read_document(data, "计划.xlsx"))
    assert plan_summary(from_excel) == plan_summary(from_text)


def test_word_reader_repeats_merged_cells_in_every_grid_position():
    data = build_docx(text_document(MENTOUGOU), MERGED_COLUMNS[MENTOUGOU])
    table = read_document(data, "plan.docx").tables[0]
    chapter_row = table.rows[1]
    assert chapter_row == ["一、主要目标"] * 6
    # task 4's three measure rows share 序号 and 重点任务 through a vertical merge
    rows_of_task_4 = [row for row in table.rows if row[0] == "4"]
    assert len(rows_of_task_4) == 3
    assert {row[1] for row in rows_of_task_4} == {"积极推广\n新能源汽车"}


def test_excel_reader_fills_merged_ranges():
    data = build_xlsx(text_document(FENGTAI), MERGED_COLUMNS[FENGTAI])
    (table,) = read_document(data, "plan.xlsx").tables
    rows_of_task_3 = [row for row in table.rows if row[0] == "3"]
    assert [row[1] for row in rows_of_task_3] == ["3-1", "3-2", "3-3", "3-4"]
    assert {row[2] for row in rows_of_task_3} == {"加大高排放车 严管严查力度"}
    plan = parse_tables(read_document(data, "plan.xlsx"))
    assert len(all_tasks(plan)) == 34


def _document_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")
