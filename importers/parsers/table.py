"""Read a plan laid out as a task table (序号/重点任务/具体措施/完成时限/牵头单位/…) into a ParsedPlan.

The same parser reads a Word or Excel table and the text dumps of one
(tab-separated rows, one cell per line, pipe tables, a table flattened into one run
of words: ``importers.text_tables``), because the readers hand all of them over as
``Table`` rows. Columns are found by their header text, never by
position, and what real tables do is expected:

* the header row repeats after every page break;
* chapter rows (``二、优化调整交通运输结构…``) span the table, or stand between
  two tables as a paragraph;
* a row with an empty 序号 continues the task above; a task continued after a
  page break repeats its number and title (the title may read slightly
  differently: the number decides);
* a merged cell comes back empty in text dumps: an empty 完成时限 means the
  row above's deadline; an empty unit cell means the row above's units when
  the table writes ``——`` for "no unit" (so empty cannot mean none), unless
  those units already appear in another role of the row;
* a measure row repeated word for word in the same task is a copy: dropped,
  with a warning;
* ``<p>`` tags and ``[bookmark: …]`` markers are noise;
* headers are read by meaning (``headers``: 工作任务 / 任务名称 …, two-row headers); a
  ``责任单位`` column with no 牵头 column makes its units joint leads; a unit cell that
  annotates roles (``X牵头，Y配合``) is split into them (``cell_roles``);
* several tables (Word tables, Excel sheets, text runs) are one plan; a table whose 序号
  starts again from 1 continues the plan's numbering; title rows above a sheet's header
  are skipped; a ``类别`` / ``领域`` column gives the chapter;
* with no task column, a numbered row (or every row, with no 序号 column either) is a
  task named by the first sentence of its measure;
* a table with task-like rows but no header the parser understands is not dropped: it is
  listed in ``plan.unmapped_tables`` (header, sample rows, a guessed role per column) for
  the office to map, and :func:`parse_with_mapping` reads it with the office's choice.

Anything odd is reported in Chinese in ``plan.warnings`` or
``measure.warnings`` for the office to check; nothing is silently guessed.
"""

from __future__ import annotations

from ..documents import Document, Table
from ..errors import PlanImportError
from ..parsed import ParsedPlan
from ..unit_names import NO_UNIT
from . import headers
from .headers import Columns
from .table_cells import clean_cell, unwrap
from .table_reader import TableReader

__all__ = ["clean_cell", "parse_tables", "parse_with_mapping", "unmapped_tables", "unwrap"]

MIN_MAPPABLE_ROWS = 2
MIN_MAPPABLE_COLUMNS = 2
LONG_CELL = 15  # a task table has cells of running text; a signature or contact table does not
SAMPLE_ROWS = 5
SHAPES = {
    "cell_lines": "cell_lines",
    "pipe": "pipe_table",
    "flattened": "flattened_table",
    "stacked": "stacked_table",
}


def parse_tables(doc: Document) -> ParsedPlan | None:
    """The plan in ``doc``'s task tables, or None when no table yields a task.

    Tables the reader could not map are listed in ``plan.unmapped_tables`` when another
    table gave tasks; when none did, ``unmapped_tables(doc)`` lists them for the office.
    """
    reader = _read(doc, forced=None)
    plan = reader.plan
    if not any(chapter.tasks for chapter in plan.chapters):
        return None
    plan.unmapped_tables = _describe_unread(doc, reader.unread_tables)
    if plan.unmapped_tables:
        plan.warnings.append(
            f"文件中有{len(plan.unmapped_tables)}个表格的表头无法识别，未作为任务表读取：请在预览中指定各列的含义。"
        )
    plan.shape = _shape(reader)
    return plan


def unmapped_tables(doc: Document) -> list[dict]:
    """Tables that look like task tables but whose columns could not be identified.

    One dict per table: ``table`` (its position among ``doc.tables``), ``width``,
    ``header`` (its first row), ``rows`` (up to five sample rows after it) and ``guessed``
    (a role per column, ``""`` for none; roles and their Chinese labels in
    ``headers.ROLE_LABELS``). The office's choice goes back through :func:`parse_with_mapping`.
    """
    return _describe_unread(doc, range(len(doc.tables)))


def parse_with_mapping(doc: Document, mapping: dict[int, str]) -> ParsedPlan:
    """Re-parse ``doc`` with the office's column mapping {column index: role} for unmapped tables.

    Roles are those of ``headers.ROLE_LABELS`` (``""`` leaves a column out; ``units`` is a
    责任单位 column). Tables whose header the parser understands keep their own columns;
    every other table as wide as the mapping is read with it, its first row skipped when it
    is a header. Raises PlanImportError (Chinese) for an unusable mapping or when the
    mapping still yields no task.
    """
    roles = {int(position): role for position, role in mapping.items() if role}
    unknown = sorted({role for role in roles.values() if role not in headers.ROLES})
    if unknown:
        raise PlanImportError(f"列的含义“{'、'.join(unknown)}”无法识别，请重新选择。", code="bad_mapping")
    if not {"task", "measure"} & set(roles.values()):
        raise PlanImportError("请至少指定一列为“重点任务”或“具体措施”。", code="bad_mapping")
    reader = _read(doc, forced=Columns.from_roles(roles, max(roles) + 1))
    plan = reader.plan
    if not any(chapter.tasks for chapter in plan.chapters):
        raise PlanImportError("按所选列的含义没有读到任何任务，请检查各列的对应关系。", code="no_tasks")
    plan.shape = _shape(reader)
    plan.warnings.append("表格各列的含义由用户在预览中指定。")
    return plan


def _read(doc: Document, forced: Columns | None) -> TableReader:
    reader = TableReader(empty_unit_cell_is_merged=_writes_dash_for_no_unit(doc), forced_columns=forced)
    table_index = 0
    for block in doc.blocks:
        if isinstance(block, Table):
            reader.read_table(block, table_index)
            table_index += 1
        else:
            reader.read_paragraph(block)
    return reader


def _shape(reader: TableReader) -> str:
    for layout, shape in SHAPES.items():
        if layout in reader.layouts:
            return shape
    return "table"


def _describe_unread(doc: Document, positions) -> list[dict]:
    tables = doc.tables
    described = []
    for position in positions:
        rows = [[clean_cell(cell) for cell in row] for row in tables[position].rows]
        rows = [row for row in rows if any(row)]
        if not _mappable(rows):
            continue
        described.append(
            {
                "table": position,
                "width": max(len(row) for row in rows),
                "header": [unwrap(cell) for cell in rows[0]],
                "rows": [[unwrap(cell) for cell in row] for row in rows[1 : 1 + SAMPLE_ROWS]],
                "guessed": headers.guess_roles(rows),
            }
        )
    return described


def _mappable(rows: list[list[str]]) -> bool:
    """Enough rows and columns, and running text in the cells: worth asking the office about."""
    wide = [row for row in rows if len([cell for cell in row if cell]) >= MIN_MAPPABLE_COLUMNS]
    long_cells = sum(1 for row in wide for cell in row if len(cell) >= LONG_CELL)
    return len(wide) > MIN_MAPPABLE_ROWS and long_cells >= MIN_MAPPABLE_ROWS


def _writes_dash_for_no_unit(doc: Document) -> bool:
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                if cell.strip() in NO_UNIT and cell.strip():
                    return True
    return False
