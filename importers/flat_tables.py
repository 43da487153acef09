"""Tables whose cell borders were lost in copying: flattened into one run of words, or one
cell per line with no tabs. ``importers.text_tables`` finds them; these rebuild the rows.

Both start from a header the table parser can read (``parsers.headers``); a row's cells
are then recovered from what they look like: unit names (``unit_names.looks_like_unit``),
short title words, running text ending a sentence, dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Table
from .normalise import fold

SENTENCE_END = "。.；;！？!?"
SHORT_WORD = 12  # a category or title cell; longer words are running text
UNIT_PREFIXES = tuple("省市区县州盟旗乡镇各")
DATE_WORD_RE = re.compile(
    r"\d{1,4}\s*[年月日]|年底|年内|底前|长期|持续|常态|每[年月季周]|季度|供暖季|采暖季|完成"
)
FLAT_HEADER_WORD = 8  # a header label (牵头单位（部门）); a longer word is the table's title
TEXT_ROLES = ("category", "task", "measure")


def flattened_header(line: str) -> tuple[str, list[str], str] | None:
    """(text before, header words, text after) when ``line`` holds a run of header words."""
    if "\t" in line or not line.strip():
        return None
    from .parsers import headers  # the header vocabulary lives with the table parser

    words = line.split()
    best: tuple[int, int] | None = None
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and len(words[end]) <= FLAT_HEADER_WORD and headers.header_role(words[end]):
            end += 1
        if end - start >= 4 and headers.is_header(headers.header_roles(words[start:end])):
            best = (start, end)
            break
        start = end + 1
    if best is None:
        return None
    start, end = best
    return " ".join(words[:start]), words[start:end], " ".join(words[end:])


@dataclass
class _Columns:
    """Which column of the header takes what: short text words, the long text, units, the deadline."""

    width: int
    short: list[int]
    measure: int
    units: list[int]
    after_units: list[int]  # the deadline column after the units, if any

    def add_row(self, rows: list[list[str]], text: list[str], units: list[str], trailing: list[str]) -> None:
        """Append the row made of ``text``, ``units`` and ``trailing`` words, and empty them for the next."""
        short, consumed = _short_words(text)
        extra = len(short) - len(self.short)
        if extra > 0 and len(rows) > 1:
            rows[-1][self.units[-1]] += "".join(short[:extra])
        short = short[max(extra, 0) :]
        row = [""] * self.width
        for column, word in zip(self.short[len(self.short) - len(short) :], short):
            row[column] = word
        row[self.measure] = " ".join(text[consumed:])
        row[self.units[0]] = units[0]
        if len(units) > 1:
            row[self.units[-1]] = " ".join(units[1:]) if len(self.units) > 1 else " ".join(units)
        if self.after_units:
            row[self.after_units[0]] = " ".join(trailing)
        rows.append(row)
        for part in (text, units, trailing):
            part.clear()


def _columns(header: list[str]) -> _Columns | None:
    from .parsers import headers

    roles = [headers.header_role(word) or "" for word in header]
    unit_columns = [
        i for i, role in enumerate(roles) if role in ("lead", "responsible", "assisting", "units")
    ]
    text_columns = [i for i, role in enumerate(roles) if role in TEXT_ROLES]
    if not unit_columns or not text_columns:
        return None
    after_units = [i for i, role in enumerate(roles) if role == "deadline" and i > unit_columns[-1]]
    return _Columns(len(header), text_columns[:-1], text_columns[-1], unit_columns, after_units)


def read_flattened(header: list[str], lines: list[str]) -> Table:
    """Rebuild the rows of a flattened table from the words after its header.

    The run's line breaks are wrap artefacts (``PM2.`` / ``5年``) and are joined. A row
    ends at the last of a run of unit names: the first fills the first unit column
    (牵头单位), the others the last one. Before its long text a row has up to as many
    short words as the header has short text columns (类别, 目标及措施): they fill the
    last of those columns; a row with none continues the row above (merged cells). Short
    words beyond them are the wrapped end of the unit names of the row above.
    """
    from .unit_names import looks_like_unit, looks_like_unit_strictly

    columns = _columns(header)
    if columns is None:
        return Table(rows=[header])
    rows: list[list[str]] = [list(header)]
    text: list[str] = []
    units: list[str] = []
    trailing: list[str] = []  # the deadline cell after the units
    for word in _join_wrapped_lines(lines).split():
        folded = fold(word)
        if (
            units
            and not trailing
            and len(word) <= 3
            and looks_like_unit(folded)
            and not folded.startswith(UNIT_PREFIXES)
        ):
            units[-1] += word  # 县委县政府 / 督查室: a name wrapped in its cell
            continue
        if text and looks_like_unit_strictly(folded) and not trailing:
            if not units and len(text[-1]) <= 6 and looks_like_unit_strictly(fold(text[-1] + word)):
                units.append(text.pop() + word)  # 县交通 / 运输局
            else:
                units.append(word)
            continue
        if units and columns.after_units and _is_deadline_word(word, short_rows=bool(columns.short)):
            trailing.append(word)
            continue
        if units:
            columns.add_row(rows, text, units, trailing)
        text.append(word)
    if units:
        columns.add_row(rows, text, units, trailing)
    return Table(rows=rows, layout="flattened")


def _join_wrapped_lines(lines: list[str]) -> str:
    """The run's lines as one text: a break between two digits (``PM2.`` / ``5``) or inside
    a word joins without a space, a break after punctuation is a space."""
    joined = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if joined and not (joined[-1] in "." and joined[-2:-1].isdigit() and line[0].isdigit()):
            if joined[-1] in SENTENCE_END or not (joined[-1].isalnum() and line[0].isalnum()):
                joined += " "
        joined += line
    return joined


def _is_deadline_word(word: str, *, short_rows: bool) -> bool:
    """A word of the 完成时间 cell after a row's units (持续开展, 7月底前制定, 扬尘治理方案).

    When rows start with short title words, only words with a date in them can be the
    deadline; otherwise any short word before the next row's running text can.
    """
    if word[-1] in SENTENCE_END or len(word) > 20 or "，" in fold(word):
        return False
    return bool(DATE_WORD_RE.search(word)) or not short_rows


def _short_words(text: list[str]) -> tuple[list[str], int]:
    """The leading short words of a row (category, title), wrapped fragments joined, and
    how many words they took."""
    short: list[str] = []
    consumed = 0
    for word in text:
        if len(word) > SHORT_WORD or word[-1] in SENTENCE_END or "，" in fold(word):
            break
        if short and len(short[-1]) <= 3 and len(word) <= 3:
            short[-1] += word  # 道路 / 抽检: a title broken by a wrap space
        else:
            short.append(word)
        consumed += 1
    if consumed == len(text) and short:  # no long text: the last short word is the text
        short.pop()
        consumed -= 1
    return short, consumed


# --- one cell per line, no tabs --------------------------------------------------------------

STACKED_HEADER_WORD = 10
STACKED_DATE_RE = re.compile(
    r"^(?:\d{4}\s*年|\d{1,2}\s*月|年底|年内|长期|持续|常态|每[年月季周]|[上下]半年|[一二三四]季度|供暖季|采暖季|按时间节点|即时)"
)
TABLE_END_RE = re.compile(r"^(?:抄送|抄报|附件\s*\d*\s*[：:]?$)|印发\s*$")


def read_stacked(lines: list[str], index: int) -> tuple[Table, int] | None:
    """A table copied from a web page with each cell on its own line, or None if none starts here.

    The header is three or more lines that are each a header word, 序号 first; a row starts
    at a line holding only a number, and its lines are sorted by what they look like:
    unit names go to the unit columns (the first line to the first, the others to the
    last), dates to the deadline, the first of several text lines to the task and the
    rest to the measure. A chapter line (``二、…``) between rows is a chapter row.
    """
    first = lines[index].strip()
    if not first or len(first) > STACKED_HEADER_WORD:
        return None
    from .parsers import headers
    from .parsers.table_cells import chapter_heading, task_number

    header, position = _stacked_header(lines, index, headers)
    if header is None:
        return None
    roles = [headers.header_role(word) or "" for word in header]
    rows: list[list[str]] = [header]
    current: list[str] | None = None
    while position < len(lines):
        line = lines[position].strip()
        if TABLE_END_RE.search(line):
            break
        position += 1
        if not line:
            continue
        if task_number(line) is not None:
            _finish_stacked(rows, current, roles)
            current = [line]
        elif chapter_heading(line) and (current is None or len(current) > 2):
            _finish_stacked(rows, current, roles)
            current = None
            rows.append([line])
        elif current is not None:
            current.append(line)
    _finish_stacked(rows, current, roles)
    if len(rows) < 2:
        return None
    return Table(rows=rows, layout="stacked"), position


def _stacked_header(lines: list[str], index: int, headers) -> tuple[list[str] | None, int]:
    words: list[str] = []
    position = index
    while position < len(lines):
        line = lines[position].strip()
        if line and (len(line) > STACKED_HEADER_WORD or not headers.header_role(line)):
            break
        if line:
            words.append(line)
        position += 1
    roles = [headers.header_role(word) for word in words]
    if len(words) < 3 or roles[0] != "number" or not headers.is_header(dict(enumerate(roles))):
        return None, index
    return words, position


def _finish_stacked(rows: list[list[str]], current: list[str] | None, roles: list[str]) -> None:
    """Sort a row's lines (after its number) into the columns by what they look like."""
    if current is None:
        return
    from .unit_names import looks_like_unit

    row = [""] * len(roles)
    row[0] = current[0]
    units: list[str] = []
    texts: list[str] = []
    dates: list[str] = []
    for line in current[1:]:
        parts = [part for part in re.split(r"[、，,\s]+", fold(line)) if part]
        if parts and all(looks_like_unit(part) for part in parts):
            units.append(line)
        elif _is_stacked_date(line):
            dates.append(line)
        else:
            texts.append(line)
    _put(row, roles, ("task",), texts[:1] if len(texts) > 1 or "measure" not in roles else [])
    _put(row, roles, ("measure",), texts[1:] if len(texts) > 1 and "task" in roles else texts)
    unit_columns = [
        i for i, role in enumerate(roles) if role in ("lead", "responsible", "assisting", "units")
    ]
    if units and unit_columns:
        row[unit_columns[0]] = units[0]
        rest = units[1:] if len(unit_columns) > 1 else units
        row[unit_columns[-1]] = "\n".join(rest) if len(unit_columns) > 1 else "\n".join(units)
    _put(row, roles, ("deadline",), dates)
    if "task" in roles and not row[roles.index("task")] and texts:
        row[roles.index("task")] = texts[0]  # a numbered row with one text: its task and measure
    rows.append(row)


def _is_stacked_date(line: str) -> bool:
    """A deadline cell (2025年底前, 长期坚持, 每年) — not a title that starts 持续推进…."""
    match = STACKED_DATE_RE.match(fold(line))
    if match is None or len(line) > 16 or line[-1] in SENTENCE_END:
        return False
    return not match.group(0).startswith(("持续", "长期", "常态")) or len(line) <= 6


def _put(row: list[str], roles: list[str], wanted: tuple[str, ...], lines: list[str]) -> None:
    for position, role in enumerate(roles):
        if role in wanted and lines:
            row[position] = "\n".join(lines)
            return
