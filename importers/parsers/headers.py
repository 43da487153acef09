"""Which column of a plan table holds what: header cells read by meaning, not one exact label.

Every office heads its task table differently: 重点任务 / 工作任务 / 任务名称 / 主要任务 for the
task, 具体措施 / 工作措施 / 工作内容 / 主要内容 / 任务内容 for the measure, 牵头单位 / 牵头部门 for
the lead, 责任单位 / 主责单位 / 配合单位 / 协办单位 / 参与单位 for the others, 完成时限 / 时间节点 /
时限要求 / 完成时间 / 进度安排 for the deadline, sometimes with 责任领导 and 备注. A header cell
is folded (``importers.normalise.fold``: traditional, full-width, spaces) and matched by the
words it contains, most specific first, so ``牵头领导`` is a leader and not a lead unit and
``任务内容`` is a measure and not a task.

Headers may take two rows (``责任单位`` over ``牵头`` | ``配合``; merged cells repeat the top
label or leave it empty): the lower row's role wins where it has one.

A ``类别`` / ``领域`` column groups the rows: its value is the chapter. Two measure-like
columns and no task column (``目标及措施`` | ``主要内容``): the first is the task.

``责任单位`` / ``主责单位`` / ``实施单位`` are ``units``: the responsible units when the table also
has a 牵头 column, else every unit in them leads (joint lead) — the reader decides, per table.

When no header is recognised, :func:`guess_roles` proposes a role per column from the
cells themselves (numbers, long texts, unit-like names, dates) for the office to confirm.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..normalise import fold

# Role → header words, checked in this order (the first role whose word the header contains
# wins). Folded spelling, no spaces.
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leader", ("领导", "联系人")),
    ("note", ("备注", "说明", "督办", "督导", "督查", "指导")),
    ("code", ("措施编号", "措施序号")),
    ("number", ("序号", "编号", "序列")),
    ("deadline", ("时限", "时间", "节点", "期限", "进度", "完成时", "截止")),
    ("assisting", ("配合", "协办", "参与", "协助", "协同", "参加", "配合单位")),
    ("lead", ("牵头", "主办", "主抓")),
    ("responsible", ("主责",)),
    (
        "units",
        ("责任单位", "责任部门", "实施单位", "落实单位", "实施部门", "责任主体", "承办", "单位", "部门"),
    ),
    ("measure", ("措施", "内容", "具体任务", "工作要求", "具体工作", "主要工作", "工作举措", "举措", "要求")),
    ("task", ("任务", "重点工作", "工作事项", "事项", "项目", "名称")),
    ("category", ("类别", "领域", "类型", "分类", "板块", "方面")),
)
ROLES = tuple(role for role, _ in ROLE_WORDS)
UNIT_ROLES = ("lead", "responsible", "assisting")
ROLE_LABELS = {
    "number": "序号",
    "code": "措施编号",
    "task": "重点任务",
    "measure": "具体措施",
    "deadline": "完成时限",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "assisting": "配合单位",
    "units": "责任单位（无牵头列时为牵头）",
    "leader": "责任领导",
    "note": "备注",
    "category": "类别（作为章节）",
    "": "（不导入）",
}
MAX_HEADER_LENGTH = 16
_SPACE_RE = re.compile(r"\s+")
_NUMBER_CELL_RE = re.compile(
    r"^[（(]?\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:\s*[-－—–.．]\s*\d{1,3})?\s*[)）]?[.、．]?$"
)
_DATE_WORDS = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|底前|前完成|长期|持续|每年|每月|季度|供暖季|采暖季")
_UNIT_END_RE = re.compile(
    r"(?:局|委|办|厅|中心|政府|管委会|支队|大队|公司|集团|街道|乡|镇|分局|单位|部门)(?:[（(][^）)]*[）)])?$"
)


@functools.lru_cache(maxsize=4096)  # header rows repeat on every page
def header_role(text: str) -> str | None:
    """The role of one header cell, or None when it names none of them."""
    if len(text) > 3 * MAX_HEADER_LENGTH:
        return None  # running text, not a label (spaces may pad a label: 牵 头 单 位)
    name = _SPACE_RE.sub("", fold(text))
    if not name or len(name) > MAX_HEADER_LENGTH or _NUMBER_CELL_RE.match(name):
        return None
    for role, words in ROLE_WORDS:
        if any(word in name for word in words):
            return role
    if "责任人" in name:
        return "leader"  # a person column; 牵头单位及责任人 is a unit column (persons split off)
    return None


def names_persons(text: str) -> bool:
    """A unit column whose cells name a person after the unit (牵头单位及责任人)."""
    return "责任人" in fold(text)


def header_roles(cells: list[str]) -> dict[int, str]:
    """Column position → role for the cells of one row (unrecognised cells are left out)."""
    roles = {}
    for position, cell in enumerate(cells):
        role = header_role(cell) if cell else None
        if role:
            roles[position] = role
    return roles


def is_header(roles: dict[int, str]) -> bool:
    """A task table's header: a task or measure column, a unit or deadline column, three roles."""
    present = set(roles.values())
    return (
        len(present) >= 3
        and bool(present & {"task", "measure"})
        and bool(present & {"lead", "responsible", "assisting", "units", "deadline"})
    )


def is_sub_header(cells: list[str]) -> bool:
    """The lower row of a two-row header: every filled cell is a header word (牵头 | 配合)."""
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and all(header_role(cell) for cell in filled)


def combine_header_rows(upper: list[str], lower: list[str]) -> dict[int, str]:
    """Roles of a two-row header: the lower row's role where it has one, else the upper's.

    A merged upper cell comes back repeated (Word, Excel) or only in its first column (text
    dumps); either way the lower row splits it.
    """
    roles = header_roles(upper)
    roles.update(header_roles(lower))
    return roles


def resolve_unit_roles(roles: dict[int, str]) -> tuple[dict[int, str], bool]:
    """Turn ``units`` columns into responsible (beside a 牵头 column) or lead (joint lead).

    Returns the roles and whether the units columns became the lead.
    """
    has_lead = "lead" in roles.values()
    joint = False
    resolved = {}
    measures = sorted(position for position, role in roles.items() if role == "measure")
    if len(measures) > 1 and "task" not in roles.values():
        roles = {**roles, measures[0]: "task"}
    for position, role in roles.items():
        if role == "units":
            role = "responsible" if has_lead else "lead"
            joint = joint or not has_lead
        elif role == "responsible" and not has_lead:
            role, joint = "lead", True
        resolved[position] = role
    return resolved, joint


# --- guessing, for a table whose header says nothing -----------------------------------------


def guess_roles(rows: list[list[str]]) -> list[str]:
    """A role per column guessed from the cells (``""``: leave it out), for the office to confirm."""
    width = max((len(row) for row in rows), default=0)
    header = header_roles(rows[0]) if rows else {}
    body = rows[1:] if header or (rows and _looks_like_header_row(rows[0])) else rows
    guesses = []
    for position in range(width):
        column = [row[position].strip() for row in body if position < len(row) and row[position].strip()]
        guesses.append(header.get(position) or _guess_column(column))
    # One measure column: the longest texts. Other text columns become the task.
    lengths = {
        position: sum(len(row[position]) for row in body if position < len(row))
        for position, role in enumerate(guesses)
        if role == "measure"
    }
    if len(lengths) > 1:
        longest = max(lengths, key=lengths.get)
        for position in lengths:
            if position != longest:
                guesses[position] = "task"
    return [role if role != "units" else "lead" for role in guesses]


def _looks_like_header_row(cells: list[str]) -> bool:
    """Short labels only, none of them a number: a header the parser could not read."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(
        len(cell) <= MAX_HEADER_LENGTH and not _NUMBER_CELL_RE.match(cell) for cell in filled
    )


def _guess_column(cells: list[str]) -> str:
    if not cells:
        return ""
    share = lambda test: sum(1 for cell in cells if test(cell)) / len(cells)  # noqa: E731
    if share(lambda cell: _NUMBER_CELL_RE.match(cell)) >= 0.8:
        return "number"
    if share(lambda cell: _DATE_WORDS.search(cell) and len(cell) <= 30) >= 0.6:
        return "deadline"
    if (
        share(
            lambda cell: all(
                _UNIT_END_RE.search(part) for part in re.split(r"[、，,\s]+", fold(cell)) if part
            )
        )
        >= 0.6
    ):
        return "lead"
    average = sum(len(cell) for cell in cells) / len(cells)
    if average >= 20:
        return "measure"
    if average >= 4:
        return "task"
    return ""


# --- columns -----------------------------------------------------------------------------


@dataclass
class Columns:
    """Where each role is: role → positions (unit roles may have several columns)."""

    positions: dict[str, list[int]]
    width: int
    joint_lead: bool = False  # a 责任单位 column with no 牵头 column: its units lead jointly
    with_persons: bool = False  # 牵头单位及责任人: a person's name may follow each unit

    @classmethod
    def from_roles(cls, roles: dict[int, str], width: int) -> Columns:
        roles, joint = resolve_unit_roles(roles)
        positions: dict[str, list[int]] = {}
        for position in sorted(roles):
            role = roles[position]
            if role == "number" and "number" in positions:
                role = "code"  # 序号 then 编号: the second numbers the measures
            if role in positions and role not in UNIT_ROLES:
                continue
            positions.setdefault(role, []).append(position)
        return cls(positions=positions, width=width, joint_lead=joint)

    def has(self, role: str) -> bool:
        return role in self.positions

    def get(self, cells: list[str], role: str) -> str:
        texts: list[str] = []
        for position in self.positions.get(role, ()):
            if position < len(cells) and cells[position] and cells[position] not in texts:
                texts.append(cells[position])
        return "\n".join(texts)

    def main_text_position(self) -> int:
        return (self.positions.get("measure") or self.positions.get("task") or [0])[0]
