"""Split a table's unit cell that says who does what (``X牵头，Y配合``) into roles.

A unit column often holds more than a list: ``市生态环境局牵头，市公安局、市交通运输局配合，
各县（市、区）政府落实``, ``牵头单位：X；配合单位：Y``, ``X（牵头）、Y``. The column's header gives
the role of a plain list; an annotation in the cell overrides it. The notations are the
ones prose plans write in brackets, so the cell is read by the same code
(``importers.annotations.read_annotation``, which folds it and keeps names as written);
what this module adds is the table's side: the column's role for a plain list, and a unit
marked ``（牵头）`` inside a list.
"""

from __future__ import annotations

import re

from ..annotations import read_annotation
from ..normalise import fold
from ..unit_names import split_unit_cell

_ROLE_WORDS_RE = re.compile(r"牵头|负责|主责|主办|承办|配合|参与|协办|协助|协同|落实|(?:单位|部门)：")
# The same words unfolded, traditional forms included: most cells are plain lists and are
# not folded at all.
_MAYBE_ROLE_WORDS_RE = re.compile(
    r"牵头|牽頭|负责|負責|主责|主責|主办|主辦|承办|承辦|配合|参与|參與|协办|協辦|协助|協助|协同|協同|落实|落實"
    r"|(?:单位|單位|部门|部門)\s*[：:﹕︰]"
)
LEAD_MARK_RE = re.compile(r"（牵头(?:单位|部门)?）")
ROLES = ("lead", "responsible", "assisting")


def split_roles(cell: str, column_role: str) -> tuple[dict[str, list[str]], str, list[str]]:
    """Role → unit names as written for one cell of a ``column_role`` column, why, and the
    vague words (有关部门 …) an annotation named instead of units.

    The reason is ``""`` for a plain list (the column's header decided), else the
    annotation's reason in Chinese, for the preview. A plain list is kept as the table
    writes it (vague words included: the office sees them in the unit list).
    """
    result: dict[str, list[str]] = {role: [] for role in ROLES}
    if not cell:
        return result, "", []
    if not _MAYBE_ROLE_WORDS_RE.search(cell):
        result[column_role] = split_unit_cell(cell)
        return result, "", []
    folded = fold(cell)
    if _ROLE_WORDS_RE.search(folded):
        if LEAD_MARK_RE.search(folded):
            return _marked_leads(cell, folded, column_role), "单元格中标注“（牵头）”的单位为牵头单位", []
        units = read_annotation(cell, folded, at_sentence_end=False)
        if units is not None and units.named():
            for role in ROLES:
                result[role] = list(getattr(units, role))
            return result, units.reason, list(units.vague)
    result[column_role] = split_unit_cell(cell)
    return result, "", []


def _marked_leads(cell: str, folded: str, column_role: str) -> dict[str, list[str]]:
    """``市水务局（牵头）、市农业局``: the marked names lead, the others keep the column's role."""
    result: dict[str, list[str]] = {role: [] for role in ROLES}
    start = 0
    for mark in LEAD_MARK_RE.finditer(folded):
        names = split_unit_cell(cell[start : mark.start()])
        if names:
            result["lead"].append(names[-1])
            result[column_role].extend(name for name in names[:-1] if name not in result[column_role])
        start = mark.end()
    rest = [name for name in split_unit_cell(cell[start:]) if name not in result[column_role]]
    result[column_role].extend(rest)
    return result
