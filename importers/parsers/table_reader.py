"""The row-by-row reader behind ``parsers.table``: header, chapter rows, tasks, measures.

Kept apart from ``parsers.table`` (the entry points and the column-mapping wizard's side)
so each stays readable; the rules it follows are listed in ``parsers.table``'s docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..documents import Table
from ..normalise import fold
from ..parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask
from ..unit_names import split_person
from . import headers
from .cell_roles import split_roles
from .headers import Columns
from .table_cells import CODE_PREFIX_RE, chapter_heading, clean_cell, comparable, short, task_number, unwrap

UNIT_ROLES = headers.UNIT_ROLES
ROLE_NAMES = {"lead": "牵头单位", "responsible": "主责单位", "assisting": "协办单位"}

FIRST_SENTENCE_RE = re.compile(r"^(?:[^。；！？\n.]|\.(?=\d))+")
GOAL_CATEGORY_RE = re.compile(r"目标$|^总体要求|^指导思想")


# --- the reader --------------------------------------------------------------------------


@dataclass
class TableReader:
    empty_unit_cell_is_merged: bool
    forced_columns: Columns | None = None  # the office's mapping, for tables without a header
    plan: ParsedPlan = field(default_factory=ParsedPlan)
    columns: Columns | None = None
    chapter: ParsedChapter | None = None
    task: ParsedTask | None = None
    tasks_by_number: dict[int, ParsedTask] = field(default_factory=dict)
    measure_texts: dict[int, set[str]] = field(default_factory=dict)  # task id -> measure texts seen
    layouts: set[str] = field(default_factory=set)
    unread_tables: list[int] = field(default_factory=list)  # positions in doc.tables
    number_offset: int = 0
    table_starts: bool = False  # no numbered row read yet in the current table
    warned_joint_lead: bool = False

    # -- blocks --

    def read_paragraph(self, text: str) -> None:
        # Before the table starts, paragraphs are the notice and the title (metadata's
        # business); after, a paragraph can only matter as a chapter heading between pages.
        if self.columns is None:
            return
        heading = chapter_heading(text.strip())
        if heading:
            self._start_chapter(*heading)

    def read_table(self, table: Table, table_index: int) -> None:
        rows = [[clean_cell(cell) for cell in raw_row] for raw_row in table.rows]
        rows = [cells for cells in rows if any(cells)]
        header_seen = False
        self.table_starts = True
        index = self._title_rows(rows)
        for cells in rows[:index]:
            heading = chapter_heading(next(cell for cell in cells if cell))
            if heading:
                self._start_chapter(*heading)
        while index < len(rows):
            cells = rows[index]
            consumed = self._read_header(cells, rows[index + 1] if index + 1 < len(rows) else None)
            if consumed:
                header_seen = True
                if table.layout:
                    self.layouts.add(table.layout)
                index += consumed
                continue
            if (
                not header_seen
                and self.forced_columns is not None
                and len(cells) >= self.forced_columns.width
            ):
                self.columns, header_seen = self.forced_columns, True
                if headers.is_sub_header(cells) or all(
                    len(cell) <= headers.MAX_HEADER_LENGTH for cell in cells
                ):
                    if task_number(self.columns.get(cells, "number")) is None:
                        index += 1  # the table's own (unrecognised) header row
                        continue
            if self.columns is None:
                index += 1  # a title row above the header, or no header at all
                continue
            if not header_seen and len(cells) > 1 and len(cells) != self.columns.width:
                break  # a table of another shape after the plan table (signatures, an annex)
            header_seen = True
            self._read_row(cells)
            index += 1
        if not header_seen and rows:
            self.unread_tables.append(table_index)

    # -- rows --

    def _title_rows(self, rows: list[list[str]]) -> int:
        """How many rows above the table's header are its title (an Excel sheet's 附件 line)."""
        for index, cells in enumerate(rows[:4]):
            if headers.is_header(headers.header_roles(cells)):
                return index
            if len({cell for cell in cells if cell}) != 1 or task_number(cells[0]) is not None:
                return 0  # a real row before any header: no title
        return 0

    def _read_header(self, cells: list[str], following: list[str] | None) -> int:
        """How many rows the header at ``cells`` takes (0: not a header)."""
        if sum(1 for cell in cells if cell and len(cell) <= headers.MAX_HEADER_LENGTH) < 2:
            return 0  # a header has short labels; most rows fail here cheaply
        roles = headers.header_roles(cells)
        rows = 1
        if (
            roles
            and following is not None
            and all(len(cell) <= headers.MAX_HEADER_LENGTH for cell in cells)
            and headers.is_sub_header(following)
            and not _looks_numbered(following)
        ):
            roles, rows = headers.combine_header_rows(cells, following), 2
        if not headers.is_header(roles):
            return 0
        self.columns = Columns.from_roles(roles, len(cells))
        self.columns.with_persons = any(headers.names_persons(cell) for cell in cells)
        if self.columns.joint_lead and not self.warned_joint_lead:
            self.warned_joint_lead = True
            self.plan.warnings.append(
                "任务表没有“牵头单位”列：“责任单位”列中的单位均按共同牵头处理，请核对。"
            )
        return rows

    def _read_row(self, cells: list[str]) -> None:
        filled = [(position, cell) for position, cell in enumerate(cells) if cell]
        distinct = {cell for _, cell in filled}
        main_position = self.columns.main_text_position()
        spans = len(distinct) == 1 and (len(filled) > 1 or filled[0][0] != main_position or len(cells) == 1)
        if spans and task_number(filled[0][1]) is None:
            self._read_spanning_text(filled[0][1])
            return
        self._read_measure_row(cells)

    def _read_spanning_text(self, text: str) -> None:
        heading = chapter_heading(text)
        if heading:
            self._start_chapter(*heading)
            return
        if self.chapter is not None and not self.chapter.tasks and "目标" in self.chapter.title:
            self.plan.goals.append(text)
            return
        where = f"第{self.chapter.number}章" if self.chapter else "表格开头"
        self.plan.warnings.append(f"{where}有一行不属于任何任务的文字，未导入：“{short(text)}”。")

    def _start_chapter(self, number: int, title: str) -> None:
        title = unwrap(title)
        existing = next((chapter for chapter in self.plan.chapters if chapter.number == number), None)
        if existing is not None:
            self.chapter = existing  # a chapter heading repeated after a page break
            return
        expected = self.plan.chapters[-1].number + 1 if self.plan.chapters else 1
        if number != expected:
            self.plan.warnings.append(
                f"章节编号不连续：在第{expected - 1}章之后出现了第{number}章“{title}”。"
            )
        self.chapter = ParsedChapter(number=number, title=title)
        self.plan.chapters.append(self.chapter)
        self.task = None

    def _row_number(self, number_text: str) -> int | None:
        """The task number of a row, continuing the plan's numbering when a table restarts it."""
        number = task_number(number_text) if number_text else None
        if number is None:
            return None
        if self.table_starts:
            self.table_starts = False
            if self.task is not None and number < self.task.number - self.number_offset:
                self.number_offset = self._next_task_number() - 1
                self.plan.warnings.append(
                    f"又一个表格的序号从{number}重新开始，已接续编号为任务{number + self.number_offset}起。"
                )
        return number + self.number_offset

    def _task_for_row(self, cells: list[str]) -> ParsedTask | None:
        number_text = self.columns.get(cells, "number")
        title = unwrap(self.columns.get(cells, "task"))
        if not self.columns.has("task") and self.columns.has("measure"):
            # No task column: a numbered row (or, with no 序号 column, every row) is a task
            # named by its first sentence; an unnumbered row continues the task above.
            starts_task = bool(number_text) or not self.columns.has("number")
            title = _first_sentence(self.columns.get(cells, "measure")) if starts_task else ""
        code = self.columns.get(cells, "code")
        number = self._row_number(number_text)
        if number is None and number_text:
            self.plan.warnings.append(f"序号“{short(number_text)}”不是数字，按上一任务的续行处理。")
        if number is None:
            code_match = CODE_PREFIX_RE.match(code)
            if code_match and int(code_match.group(1)) in self.tasks_by_number:
                number = int(code_match.group(1))
        if number is None:
            if self.task is None:
                return self._new_task(self._next_task_number(), title, unnumbered=True) if title else None
            if title and comparable(title) != comparable(self.task.title) and self.task.title:
                return self._new_task(self._next_task_number(), title, unnumbered=True)
            return self.task
        task = self.tasks_by_number.get(number)
        if task is None:
            return self._new_task(number, title)
        if title and comparable(title) != comparable(task.title):
            if not task.title:
                task.title = title
            elif self.columns.has("task"):
                self.plan.warnings.append(
                    f"任务{number}在分页后重复出现时标题写法不同（“{task.title}”/“{title}”），按同一任务处理。"
                )
        elif task is not self.task:
            self.plan.warnings.append(
                f"任务{number}“{task.title}”在其他任务之后再次出现，其后的措施已并入该任务。"
            )
        self.task = task
        return task

    def _next_task_number(self) -> int:
        return max(self.tasks_by_number, default=0) + 1

    def _new_task(self, number: int, title: str, *, unnumbered: bool = False) -> ParsedTask:
        if self.chapter is None:
            self.plan.warnings.append(
                "任务表中第一个任务之前没有章节标题（如“一、……”），已放入未命名的第1章。"
            )
            self._start_chapter(1, "")
        if unnumbered:
            self.plan.warnings.append(f"任务“{title}”没有序号，已编为任务{number}。")
        else:
            expected = self._next_task_number()
            if number != expected:
                self.plan.warnings.append(
                    f"任务序号不连续：在任务{expected - 1}之后出现了任务{number}“{title}”。"
                )
        if not title:
            self.plan.warnings.append(f"任务{number}没有填写重点任务名称。")
        task = ParsedTask(number=number, title=title)
        self.chapter.tasks.append(task)
        self.tasks_by_number[number] = task
        self.task = task
        return task

    def _follow_category(self, cells: list[str]) -> bool:
        """A 类别 column's value is the chapter; False when the row is a goal, not a task."""
        category = unwrap(self.columns.get(cells, "category"))
        if category and (self.chapter is None or comparable(category) != comparable(self.chapter.title)):
            number = self.plan.chapters[-1].number + 1 if self.plan.chapters else 1
            self._start_chapter(number, category)
        if (
            self.chapter is not None
            and GOAL_CATEGORY_RE.search(self.chapter.title)
            and not self.chapter.tasks
        ):
            self.plan.goals.append(
                unwrap(self.columns.get(cells, "measure") or self.columns.get(cells, "task"))
            )
            return False
        return True

    def _read_measure_row(self, cells: list[str]) -> None:
        if self.columns.has("category") and not self._follow_category(cells):
            return
        task = self._task_for_row(cells)
        text = (
            self.columns.get(cells, "measure")
            if self.columns.has("measure")
            else self.columns.get(cells, "task")
        )
        if task is None:
            self.plan.warnings.append(
                f"表格中有一行不属于任何任务，未导入：“{short(text or ' '.join(cells))}”。"
            )
            return
        if not text:
            if any(self.columns.get(cells, role) for role in ("deadline", *UNIT_ROLES)):
                self.plan.warnings.append(f"任务{task.number}有一行没有填写措施内容，未导入。")
            return
        seen = self.measure_texts.setdefault(id(task), set())
        key = comparable(text)
        if key in seen:
            self.plan.warnings.append(
                f"任务{task.number}“{task.title}”的措施“{short(text)}”重复出现（分页时重复），已去掉重复的一条。"
            )
            return
        seen.add(key)
        measure = ParsedMeasure(
            code=self._measure_code(cells, task),
            text=text,
            deadline_text=unwrap(self.columns.get(cells, "deadline")),
        )
        self._read_units(measure, cells)
        self._fill_merged_cells(measure, cells, task)
        if self.columns.has("lead") and not measure.lead:
            measure.warnings.append("没有填写牵头单位。")
        task.measures.append(measure)

    def _read_units(self, measure: ParsedMeasure, cells: list[str]) -> None:
        """Each unit column's names under its role, unless the cell itself says who does what."""
        reasons = []
        for column_role in UNIT_ROLES:
            roles, reason, vague = split_roles(self.columns.get(cells, column_role), column_role)
            measure.warnings.extend(f"“{name}”不是具体单位，请指定负责的单位。" for name in vague)
            for role, names in roles.items():
                if self.columns.with_persons:
                    names = self._split_persons(names, measure)
                target = getattr(measure, role)
                target.extend(name for name in names if name not in target)
            if reason:
                reasons.append(reason)
        if self.columns.joint_lead and measure.lead:
            reasons.append("表格无“牵头单位”列：“责任单位”列中的单位均作牵头（共同负责）")
        # Read by the preview (parser-structure's ``ParsedMeasure.unit_rule``): which rule set the roles.
        measure.unit_rule = "；".join(reasons)

    @staticmethod
    def _split_persons(names: list[str], measure: ParsedMeasure) -> list[str]:
        """``市环保局张三`` → unit 市环保局, 责任人 张三 (kept apart, not in the unit's name)."""
        units = []
        for name in names:
            unit, person = split_person(name)
            if person and person not in measure.persons:
                measure.persons.append(person)
            units.append(unit or name)
        return units

    def _measure_code(self, cells: list[str], task: ParsedTask) -> str:
        code = unwrap(self.columns.get(cells, "code"))
        match = CODE_PREFIX_RE.match(code)
        if code and (match is None or int(match.group(1)) != task.number - self.number_offset):
            self.plan.warnings.append(f"措施编号“{code}”与所在任务{task.number}不一致，请核对。")
        return code

    def _fill_merged_cells(self, measure: ParsedMeasure, cells: list[str], task: ParsedTask) -> None:
        """Empty cells under a filled one in the same task were merged with it in the original."""
        if not task.measures:
            return
        above = task.measures[-1]
        if self.columns.has("deadline") and not measure.deadline_text and above.deadline_text:
            measure.deadline_text = above.deadline_text
            measure.warnings.append(f"完成时限为空，按合并单元格沿用上一行的“{above.deadline_text}”。")
        if not self.empty_unit_cell_is_merged:
            return
        for role in UNIT_ROLES:
            if not self.columns.has(role) or self.columns.get(cells, role) or not getattr(above, role):
                continue
            inherited = getattr(above, role)
            named_elsewhere = {
                unit for other in UNIT_ROLES if other != role for unit in getattr(measure, other)
            }
            if named_elsewhere & set(inherited):
                continue  # a unit is not lead and 主责 of one measure: the cell really is empty
            setattr(measure, role, list(inherited))
            measure.warnings.append(
                f"{ROLE_NAMES[role]}为空，按合并单元格沿用上一行的“{'、'.join(inherited)}”。"
            )


def _looks_numbered(cells: list[str]) -> bool:
    return bool(cells) and task_number(cells[0]) is not None


def _first_sentence(text: str) -> str:
    """A task title from a measure column (tables with no task column): its first sentence."""
    match = FIRST_SENTENCE_RE.match(fold(unwrap(text)))
    return unwrap(text)[: match.end() if match else 60][:80].strip()
