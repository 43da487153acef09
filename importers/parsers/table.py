"""Read a plan laid out as a task table (序号/重点任务/具体措施/完成时限/牵头单位/…) into a ParsedPlan.

The same parser reads a Word or Excel table and the text dumps of one
(tab-separated rows, or one cell per line), because the readers hand all of
them over as ``Table`` rows. Columns are found by their header text, never by
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
* ``<p>`` tags and ``[bookmark: …]`` markers are noise.

Anything odd is reported in Chinese in ``plan.warnings`` or
``measure.warnings`` for the office to check; nothing is silently guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.numerals import parse_chinese_numeral

from ..documents import Document, Table
from ..parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask
from ..unit_names import NO_UNIT, split_unit_cell

HEADER_NAMES = {
    "number": ("序号",),
    "code": ("编号", "措施编号"),
    "task": ("重点任务", "主要任务", "任务", "任务名称"),
    "measure": ("具体措施", "工作措施", "主要措施", "措施", "工作内容", "具体任务"),
    "deadline": ("完成时限", "完成时间", "时限", "时间节点", "完成期限"),
    "lead": ("牵头单位", "牵头部门"),
    "responsible": ("主责单位", "主责部门", "责任单位", "责任部门"),
    "assisting": ("协办单位", "协办部门", "配合单位", "配合部门", "协助单位", "参与单位"),
}
UNIT_ROLES = ("lead", "responsible", "assisting")
ROLE_NAMES = {"lead": "牵头单位", "responsible": "主责单位", "assisting": "协办单位"}

CHAPTER_RE = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*(\S.*)$", re.S)
NUMBER_RE = re.compile(r"^[（(]?\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]?[.、．]?$")
CODE_PREFIX_RE = re.compile(r"^(\d{1,3})\s*[-－—–.．]\s*\d{1,3}$")

BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
PARAGRAPH_BREAK_RE = re.compile(r"</p>\s*<p>|<br\s*/?>", re.I)
TAG_RE = re.compile(r"</?p>", re.I)
CJK = r"\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
SPACE_BETWEEN_CJK_RE = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+(?=[{CJK}])")
WHITESPACE_RUN_RE = re.compile(r"\s+")

SHORT_TEXT = 24


def parse_tables(doc: Document) -> ParsedPlan | None:
    """The plan in ``doc``'s task table, or None when the document has no task table with tasks."""
    reader = _TableReader(empty_unit_cell_is_merged=_writes_dash_for_no_unit(doc))
    for block in doc.blocks:
        if isinstance(block, Table):
            reader.read_table(block)
        else:
            reader.read_paragraph(block)
    plan = reader.plan
    if not any(chapter.tasks for chapter in plan.chapters):
        return None
    plan.shape = "cell_lines" if reader.used_cell_lines else "table"
    return plan


# --- cell text ---------------------------------------------------------------------------


def clean_cell(text: str) -> str:
    """Cell text without <p> tags or bookmarks; lines stripped, empty lines dropped."""
    if not text:
        return ""
    if "<" in text or "[" in text:
        text = BOOKMARK_RE.sub("", text)
        text = TAG_RE.sub("", PARAGRAPH_BREAK_RE.sub("\n", text))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def unwrap(text: str) -> str:
    """A cell's lines as one line: Word wrapped them, the breaks are not part of the text.

    Lines join without a space except between two Latin letters or digits; spaces
    between two Chinese characters are wrap artefacts too (``加大高排放车 严管严查力度``).
    """
    parts = text.split("\n")
    joined = parts[0]
    for part in parts[1:]:
        if joined and part and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            joined += " "
        joined += part
    return SPACE_BETWEEN_CJK_RE.sub("", joined).strip()


def _comparable(text: str) -> str:
    return WHITESPACE_RUN_RE.sub("", text)


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT] + "…"


def chinese_number(text: str) -> int | None:
    """1..99 from 一 … 九十九; None for anything else."""
    return parse_chinese_numeral(text) if text and not text.isdigit() else None


def _task_number(text: str) -> int | None:
    match = NUMBER_RE.match(text.replace("\n", ""))
    if match is None:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else chinese_number(value)


def _header_role(text: str) -> str | None:
    name = _comparable(text)
    for role, names in HEADER_NAMES.items():
        if name in names:
            return role
    for role, names in HEADER_NAMES.items():  # e.g. 牵头单位（部门）
        if any(name.startswith(known) and len(name) <= len(known) + 6 for known in names if len(known) >= 4):
            return role
    return None


def _writes_dash_for_no_unit(doc: Document) -> bool:
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                if cell.strip() in NO_UNIT and cell.strip():
                    return True
    return False


# --- the reader --------------------------------------------------------------------------


@dataclass
class _Columns:
    index: dict[str, int]
    width: int

    def get(self, cells: list[str], role: str) -> str:
        position = self.index.get(role)
        if position is None or position >= len(cells):
            return ""
        return cells[position]


@dataclass
class _TableReader:
    empty_unit_cell_is_merged: bool
    plan: ParsedPlan = field(default_factory=ParsedPlan)
    columns: _Columns | None = None
    chapter: ParsedChapter | None = None
    task: ParsedTask | None = None
    tasks_by_number: dict[int, ParsedTask] = field(default_factory=dict)
    measure_texts: dict[int, set[str]] = field(default_factory=dict)  # task id -> measure texts seen
    used_cell_lines: bool = False
    warned_tables_without_header: bool = False

    # -- blocks --

    def read_paragraph(self, text: str) -> None:
        # Before the table starts, paragraphs are the notice and the title (metadata's
        # business); after, a paragraph can only matter as a chapter heading between pages.
        if self.columns is None:
            return
        match = CHAPTER_RE.match(text.strip())
        if match and chinese_number(match.group(1)):
            self._start_chapter(chinese_number(match.group(1)), match.group(2))

    def read_table(self, table: Table) -> None:
        header_seen = False
        for raw_row in table.rows:
            cells = [clean_cell(cell) for cell in raw_row]
            if not any(cells):
                continue
            if self._read_header(cells):
                header_seen = True
                if table.layout == "cell_lines":
                    self.used_cell_lines = True
                continue
            if self.columns is None:
                continue
            if not header_seen and len(cells) > 1 and len(cells) != self.columns.width:
                # A table of another shape after the plan table (signatures, an annex).
                if not self.warned_tables_without_header:
                    self.plan.warnings.append("文件中有一个没有表头、列数不同的表格，未作为任务表读取，请核对。")
                    self.warned_tables_without_header = True
                return
            header_seen = True
            self._read_row(cells)

    # -- rows --

    def _read_header(self, cells: list[str]) -> bool:
        roles: dict[str, int] = {}
        for position, cell in enumerate(cells):
            role = _header_role(cell) if cell and len(cell) <= 16 else None
            if role and role not in roles:
                roles[role] = position
        if len(roles) < 3 or "measure" not in roles or not (set(roles) & {"lead", "responsible", "task"}):
            return False
        self.columns = _Columns(index=roles, width=len(cells))
        return True

    def _read_row(self, cells: list[str]) -> None:
        filled = [(position, cell) for position, cell in enumerate(cells) if cell]
        distinct = {cell for _, cell in filled}
        measure_position = self.columns.index["measure"]
        spans = len(distinct) == 1 and (len(filled) > 1 or filled[0][0] != measure_position or len(cells) == 1)
        if spans and _task_number(filled[0][1]) is None:
            self._read_spanning_text(filled[0][1])
            return
        self._read_measure_row(cells)

    def _read_spanning_text(self, text: str) -> None:
        match = CHAPTER_RE.match(unwrap(text))
        if match and chinese_number(match.group(1)):
            self._start_chapter(chinese_number(match.group(1)), match.group(2))
            return
        if self.chapter is not None and not self.chapter.tasks and "目标" in self.chapter.title:
            self.plan.goals.append(text)
            return
        where = f"第{self.chapter.number}章" if self.chapter else "表格开头"
        self.plan.warnings.append(f"{where}有一行不属于任何任务的文字，未导入：“{_short(text)}”。")

    def _start_chapter(self, number: int, title: str) -> None:
        title = unwrap(title)
        existing = next((chapter for chapter in self.plan.chapters if chapter.number == number), None)
        if existing is not None:
            self.chapter = existing  # a chapter heading repeated after a page break
            return
        expected = self.plan.chapters[-1].number + 1 if self.plan.chapters else 1
        if number != expected:
            self.plan.warnings.append(f"章节编号不连续：在第{expected - 1}章之后出现了第{number}章“{title}”。")
        self.chapter = ParsedChapter(number=number, title=title)
        self.plan.chapters.append(self.chapter)
        self.task = None

    def _task_for_row(self, cells: list[str]) -> ParsedTask | None:
        number_text = self.columns.get(cells, "number")
        title = unwrap(self.columns.get(cells, "task"))
        code = self.columns.get(cells, "code")
        number = _task_number(number_text) if number_text else None
        if number is None and number_text:
            self.plan.warnings.append(f"序号“{_short(number_text)}”不是数字，按上一任务的续行处理。")
        if number is None:
            code_match = CODE_PREFIX_RE.match(code)
            if code_match and int(code_match.group(1)) in self.tasks_by_number:
                number = int(code_match.group(1))
        if number is None:
            if self.task is None:
                if title:
                    return self._new_task(self._next_task_number(), title, unnumbered=True)
                return None
            if title and _comparable(title) != _comparable(self.task.title) and self.task.title:
                return self._new_task(self._next_task_number(), title, unnumbered=True)
            return self.task
        task = self.tasks_by_number.get(number)
        if task is None:
            return self._new_task(number, title)
        if title and _comparable(title) != _comparable(task.title):
            if not task.title:
                task.title = title
            else:
                self.plan.warnings.append(
                    f"任务{number}在分页后重复出现时标题写法不同（“{task.title}”/“{title}”），按同一任务处理。"
                )
        elif task is not self.task:
            self.plan.warnings.append(f"任务{number}“{task.title}”在其他任务之后再次出现，其后的措施已并入该任务。")
        self.task = task
        return task

    def _next_task_number(self) -> int:
        return max(self.tasks_by_number, default=0) + 1

    def _new_task(self, number: int, title: str, *, unnumbered: bool = False) -> ParsedTask:
        if self.chapter is None:
            self.plan.warnings.append("任务表中第一个任务之前没有章节标题（如“一、……”），已放入未命名的第1章。")
            self._start_chapter(1, "")
        if unnumbered:
            self.plan.warnings.append(f"任务“{title}”没有序号，已编为任务{number}。")
        else:
            expected = self._next_task_number()
            if number != expected:
                self.plan.warnings.append(f"任务序号不连续：在任务{expected - 1}之后出现了任务{number}“{title}”。")
        if not title:
            self.plan.warnings.append(f"任务{number}没有填写重点任务名称。")
        task = ParsedTask(number=number, title=title)
        self.chapter.tasks.append(task)
        self.tasks_by_number[number] = task
        self.task = task
        return task

    def _read_measure_row(self, cells: list[str]) -> None:
        task = self._task_for_row(cells)
        text = self.columns.get(cells, "measure")
        if task is None:
            self.plan.warnings.append(f"表格中有一行不属于任何任务，未导入：“{_short(text or ' '.join(cells))}”。")
            return
        if not text:
            if any(self.columns.get(cells, role) for role in ("deadline", *UNIT_ROLES)):
                self.plan.warnings.append(f"任务{task.number}有一行没有填写措施内容，未导入。")
            return
        seen = self.measure_texts.setdefault(id(task), set())
        key = _comparable(text)
        if key in seen:
            self.plan.warnings.append(
                f"任务{task.number}“{task.title}”的措施“{_short(text)}”重复出现（分页时重复），已去掉重复的一条。"
            )
            return
        seen.add(key)
        measure = ParsedMeasure(
            code=self._measure_code(cells, task),
            text=text,
            deadline_text=unwrap(self.columns.get(cells, "deadline")),
        )
        for role in UNIT_ROLES:
            setattr(measure, role, split_unit_cell(self.columns.get(cells, role)))
        self._fill_merged_cells(measure, cells, task)
        if "lead" in self.columns.index and not measure.lead:
            measure.warnings.append("没有填写牵头单位。")
        task.measures.append(measure)

    def _measure_code(self, cells: list[str], task: ParsedTask) -> str:
        code = unwrap(self.columns.get(cells, "code"))
        match = CODE_PREFIX_RE.match(code)
        if code and (match is None or int(match.group(1)) != task.number):
            self.plan.warnings.append(f"措施编号“{code}”与所在任务{task.number}不一致，请核对。")
        return code

    def _fill_merged_cells(self, measure: ParsedMeasure, cells: list[str], task: ParsedTask) -> None:
        """Empty cells under a filled one in the same task were merged with it in the original."""
        if not task.measures:
            return
        above = task.measures[-1]
        if "deadline" in self.columns.index and not measure.deadline_text and above.deadline_text:
            measure.deadline_text = above.deadline_text
            measure.warnings.append(f"完成时限为空，按合并单元格沿用上一行的“{above.deadline_text}”。")
        if not self.empty_unit_cell_is_merged:
            return
        for role in UNIT_ROLES:
            if role not in self.columns.index or self.columns.get(cells, role) or not getattr(above, role):
                continue
            inherited = getattr(above, role)
            named_elsewhere = {unit for other in UNIT_ROLES if other != role for unit in getattr(measure, other)}
            if named_elsewhere & set(inherited):
                continue  # a unit is not lead and 主责 of one measure: the cell really is empty
            setattr(measure, role, list(inherited))
            measure.warnings.append(
                f"{ROLE_NAMES[role]}为空，按合并单元格沿用上一行的“{'、'.join(inherited)}”。"
            )
