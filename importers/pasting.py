"""Rows pasted from Excel into the preview: read by the project's table parser, added to the tree.

Excel puts a copied range on the clipboard as tab-separated lines, quoting a
cell that holds line breaks; ``csv`` reads that back. The rows go to
``importers.parsers.table`` as a ``Document`` with one ``Table``, so pasted rows
are understood exactly as the same table in an uploaded file would be. When
the parser cannot tell the columns (no header row was copied), the office says
what each column holds and the rows are read again under a header made from
that choice. Pure: no database (the unit directory is passed in).
"""

from __future__ import annotations

import copy
import csv
import io

from . import tree_editing
from .deadlines import date_measures
from .documents import Document, Table
from .errors import PlanImportError
from .parsers.table import parse_tables, parse_with_mapping
from .plan_json import plan_as_json

# What the office can say a column holds, in the order offered.
COLUMN_ROLES = [
    ("", "（不导入）"),
    ("number", "序号"),
    ("task", "重点任务"),
    ("measure", "具体措施"),
    ("deadline", "完成时限"),
    ("lead", "牵头单位"),
    ("responsible", "主责单位"),
    ("assisting", "协办单位"),
]
MAX_ROWS = 2000


class PasteError(ValueError):
    """Pasted text that gives no rows; the message is Chinese."""


def rows_from_paste(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel copies them (quoted cells may hold line breaks); blank rows dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter="\t")]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise PasteError("没有粘贴任何内容：请在 Excel 中选中任务表的单元格，复制后粘贴到这里。")
    if len(rows) > MAX_ROWS:
        raise PasteError(f"一次最多粘贴 {MAX_ROWS} 行，请分批粘贴。")
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def parse_rows(
    rows: list[list[str]], *, tree: dict, directory, mapping: dict[int, str] | None = None
) -> dict | None:
    """The pasted rows as a plan tree (dated in the tree's years, units resolved in its district), or None
    when the parser finds no task table in them (then ask the office for a ``mapping``)."""
    document = Document(blocks=[Table(rows=rows)], source_format="paste")
    if mapping:
        if "measure" not in mapping.values():
            raise PasteError("请至少指定哪一列是“具体措施”。")
        try:  # the office's choice, read as the importer reads any table it is told the columns of
            parsed = parse_with_mapping(document, mapping)
        except PlanImportError as exc:
            raise PasteError(str(exc)) from exc
    else:
        parsed = parse_tables(document)
    if parsed is None or getattr(parsed, "needs_column_mapping", False):
        return None
    parsed.district = tree.get("district", "")
    parsed.year_start, parsed.year_end = tree.get("year_start"), tree.get("year_end")
    date_measures(parsed)
    return plan_as_json(parsed, directory)


def add_pasted(tree: dict, pasted: dict) -> dict:
    """The pasted chapters and tasks after the tree's own; tasks pasted without a chapter row go to the
    tree's last chapter (or a new one when it has none)."""
    tree = copy.deepcopy(tree)
    for chapter in pasted["chapters"]:
        if chapter["title"] or not tree["chapters"]:
            tree["chapters"].append({"number": 0, "title": chapter["title"] or "未命名章节", "tasks": []})
        for task in chapter["tasks"]:
            task["number"] = 0
            tree["chapters"][-1]["tasks"].append(task)
    resolution = tree.setdefault("unit_resolution", {"known": {}, "unknown": []})
    resolution.setdefault("known", {}).update(pasted["unit_resolution"]["known"])
    resolution["unknown"] = sorted(
        set(resolution.get("unknown", [])) | set(pasted["unit_resolution"]["unknown"])
    )
    tree["warnings"] = list(tree.get("warnings", [])) + [f"粘贴：{w}" for w in pasted.get("warnings", [])]
    return tree_editing.settle(tree)
