"""The plain data a parser produces: a plan document read into a tree.

Parsing is pure (bytes in, these dataclasses out, no database); saving the
tree is `importers.services`. Everything here is JSON-serialisable through
`as_json()`, which is the format of ``import_plan --json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Milestone:
    """A dated step found in a measure's text or deadline (e.g. 2019年3月底前)."""

    date: dt.date
    text: str  # the words it was read from, e.g. "2019年3月底前"
    # "due": to be done by this date (2019年底前); "start": in force from this
    # date on (自2018年9月起), which a reminder treats differently.
    kind: str = "due"


@dataclass
class Deadline:
    """What a 完成时限 cell (or the measure text) says about when work is due.

    kind is one of: "dated" (one due date), "window" (a recurring season such
    as 6—9月: due_date is the window's end in the plan year, window_start/end
    hold it), "ongoing" (长期实施: reported monthly, no due date),
    "milestones" (按时间节点完成: the milestones are the dates),
    "recurring" (每月/每季度: a repeated duty, no single due date),
    "plan_end" (no deadline found: the plan's end date).
    """

    kind: str
    raw_text: str = ""
    due_date: dt.date | None = None
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    guessed: bool = False  # e.g. 年底前 in a multi-year plan: which year was a guess
    note: str = ""  # human explanation of a guess, in Chinese


@dataclass
class ParsedMeasure:
    code: str  # "2-1" where the document numbers measures, else ""
    text: str
    deadline_text: str = ""  # the raw 完成时限 cell, exactly as written ("" if none)
    lead: list[str] = field(default_factory=list)  # unit names as written (split, cleaned)
    responsible: list[str] = field(default_factory=list)
    assisting: list[str] = field(default_factory=list)
    units_inferred: bool = False  # units proposed from the text, not stated: needs review
    # Which rule assigned the units, in short Chinese for the preview
    # (e.g. "括注：市生态环境局牵头，市公安局配合"; "" where a table's columns said it).
    unit_rule: str = ""
    persons: list[str] = field(default_factory=list)  # 责任人 named beside the units
    deadline: Deadline | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedTask:
    number: int
    title: str
    measures: list[ParsedMeasure] = field(default_factory=list)


@dataclass
class ParsedChapter:
    number: int  # 1 for 一、, 2 for 二、 …
    title: str
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str = ""
    issuing_body: str = ""
    doc_number: str = ""  # 发文字号, e.g. 京政办发〔2021〕3号
    level: str = ""  # "municipal" or "district"
    district: str = ""  # e.g. "丰台区"; "" for municipal plans
    year_start: int | None = None
    year_end: int | None = None
    issue_date: dt.date | None = None
    goals: list[str] = field(default_factory=list)
    chapters: list[ParsedChapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shape: str = ""  # which parser read it: "table", "cell_lines", "pipe_table", "prose_lead_lines", "prose_annotated", "prose_inline_leads"
    # Tables that look like task tables but whose columns the parser could not identify:
    # one dict each (table, width, header, rows, guessed; see parsers.table.unmapped_tables).
    # The office maps the columns in the preview; parsers.table.parse_with_mapping re-reads.
    unmapped_tables: list[dict] = field(default_factory=list)

    @property
    def needs_column_mapping(self) -> bool:
        """No task was read, but a table could be, once the office says what its columns are."""
        return bool(self.unmapped_tables) and not any(chapter.tasks for chapter in self.chapters)
