"""Find the tables in a plain-text plan: tab-separated rows, one cell per line, pipe tables.

Plans reach the importer as text when an office pastes a web page, exports a PDF's text or
saves a Word table as .txt. A table then survives in one of these layouts, all seen in real
documents:

* tab-separated rows: one table row a line, cells split by tabs (fengtai, beijing-2021)
  -> ``Table`` blocks, one per run of consecutive rows;
* one cell per line: every cell starts a line with a tab, a cell may continue on the
  following lines, a blank line ends a row (mentougou) -> a ``Table`` with
  ``layout="cell_lines"``;
* pipe tables: ``| 序号 | 重点任务 | 牵头单位 |`` rows, markdown-like, with or without the
  ``|---|---|`` line and with or without the outer pipes; full-width ``｜`` too; ``<br>``
  inside a cell is a line break -> ``Table`` blocks with ``layout="pipe"``;
* a table flattened into one run of space-separated words (document-sharing sites): a
  line holding the header words (``序号 类别 目标及措施 主要内容 牵头单位 责任单位``) and then
  every cell of every row, borders gone. Rows are cut where a run of unit names ends
  (``区公安局 区环保局``); before the long text of a row, its short words are the
  category and title cells -> a ``Table`` with ``layout="flattened"`` (see
  :func:`_read_flattened`);
* anything else -> one paragraph per line, leading spaces kept (page-break lines in PDF
  dumps start with a space) and each run of blank lines kept as a single ``""``
  paragraph, so prose parsers can still see paragraph breaks.

Word's ``[bookmark: _Hlk…]`` markers, which text dumps scatter through cells, are removed
here so no parser has to know about them. The text is not folded (``importers.normalise``):
cells keep their characters as written, and the table parser folds headers to match them.
"""
from __future__ import annotations

import re

from .documents import Table
from .normalise import fold

BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
PIPES = "|｜"
PIPE_SEPARATOR_RE = re.compile(r"^\s*[|｜]?\s*:?[-—－=]{2,}:?\s*(?:[|｜+]\s*:?[-—－=]{2,}:?\s*)*[|｜]?\s*$")
BR_RE = re.compile(r"<br\s*/?>", re.I)


def text_to_blocks(text: str) -> list[str | Table]:
    """Split plain text into paragraphs and tables (see the module docstring for the layouts)."""
    text = BOOKMARK_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    blocks: list[str | Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_tab_row(line):
            rows = []
            while index < len(lines) and _is_tab_row(lines[index]):
                rows.append([cell.strip() for cell in lines[index].split("\t")])
                index += 1
            blocks.append(Table(rows=rows))
        elif _is_cell_line(line):
            table, index = _read_cell_lines(lines, index)
            blocks.append(table)
        elif _is_pipe_row(line) and (pipe_table := _read_pipe_rows(lines, index))[0].rows:
            table, index = pipe_table
            blocks.append(table)
        elif (flattened := _flattened_header(line)) is not None:
            before, header, rest = flattened
            if before:
                blocks.append(before)
            blocks.append(_read_flattened(header, [rest, *lines[index + 1 :]]))
            index = len(lines)
        elif _is_blank(line):
            if blocks and blocks[-1] != "":
                blocks.append("")
            index += 1
        else:
            blocks.append(line.rstrip())
            index += 1
    while blocks and blocks[-1] == "":
        blocks.pop()
    return blocks


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and line.count("\t") == 1


def _is_blank(line: str) -> bool:
    return not line.strip() and "\t" not in line


def _is_tab_row(line: str) -> bool:
    return "\t" in line and not _is_cell_line(line)


# --- one cell per line ----------------------------------------------------------------------


def _read_cell_lines(lines: list[str], index: int) -> tuple[Table, int]:
    """Read a one-cell-per-line table starting at lines[index]; return it and the next index.

    A row ends at a blank line. A row that has fewer cells than the table's first
    (header) row and that, together with the next row, has exactly as many, was
    split in two by a stray blank line: it is joined back.
    """
    rows: list[list[str]] = []
    current: list[list[str]] = []  # cells of the row being read, each a list of lines

    def finish_row() -> None:
        if current:
            rows.append(["\n".join(part for part in cell if part) for cell in current])
            current.clear()

    while index < len(lines):
        line = lines[index]
        if _is_cell_line(line):
            current.append([line[1:].strip()])
            index += 1
        elif line.strip():
            current[-1].append(line.strip())  # a cell continued on the next line
            index += 1
        else:
            finish_row()
            while index < len(lines) and _is_blank(lines[index]):
                index += 1
            if index == len(lines) or not _is_cell_line(lines[index]):
                break  # a plain line after a blank line: the table is over
    finish_row()
    return Table(rows=_rejoin_split_rows(rows), layout="cell_lines"), index


def _rejoin_split_rows(rows: list[list[str]]) -> list[list[str]]:
    if not rows:
        return rows
    width = len(rows[0])
    joined: list[list[str]] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        if (
            len(row) < width
            and index + 1 < len(rows)
            and len(row) + len(rows[index + 1]) == width
            and len(rows[index + 1]) > 1
        ):
            joined.append(row + rows[index + 1])
            index += 2
        else:
            joined.append(row)
            index += 1
    return joined


# --- pipe tables ----------------------------------------------------------------------------


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    if body[:1] in PIPES:
        body = body[1:]
    if body[-1:] in PIPES:
        body = body[:-1]
    return [BR_RE.sub("\n", cell).strip() for cell in re.split(r"[|｜]", body)]


def _is_pipe_row(line: str) -> bool:
    """A row of a pipe table: two pipes at least, or one between two cells (``甲 | 乙``)."""
    count = sum(line.count(pipe) for pipe in PIPES)
    if count == 0:
        return False
    if PIPE_SEPARATOR_RE.match(line):
        return True
    return count >= 2 or len([cell for cell in _pipe_cells(line) if cell]) >= 2


def _read_pipe_rows(lines: list[str], index: int) -> tuple[Table, int]:
    """A run of pipe rows as one table; ``|---|`` lines are dropped.

    A table starts with two rows of as many cells (the header and the first row, or the
    header and its rule): a line of prose with a pipe in it (``PM2.5｜PM10``), or just before
    a table, is not a table row. An empty table means "not a table here".
    """
    start = index
    rows = []
    while index < len(lines) and _is_pipe_row(lines[index]):
        if not PIPE_SEPARATOR_RE.match(lines[index]):
            rows.append(_pipe_cells(lines[index]))
        elif index == start + 1 and rows:
            rows.append(rows[0])  # the rule under a header counts as a row of its width
        index += 1
    if len(rows) < 2 or len(rows[0]) != len(rows[1]):
        return Table(rows=[]), start
    if rows[1] is rows[0]:
        del rows[1]
    return Table(rows=rows, layout="pipe"), index


# --- tables flattened into one run of words -------------------------------------------------

SENTENCE_END = "。.；;！？!?"
SHORT_WORD = 12  # a category or title cell; longer words are running text
UNIT_PREFIXES = tuple("省市区县州盟旗乡镇各")
DATE_WORD_RE = re.compile(r"\d{1,4}\s*[年月日]|年底|年内|底前|长期|持续|常态|每[年月季周]|季度|供暖季|采暖季|完成")
FLAT_HEADER_WORD = 8  # a header label (牵头单位（部门）); a longer word is the table's title
TEXT_ROLES = ("category", "task", "measure")


def _flattened_header(line: str) -> tuple[str, list[str], str] | None:
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


def _read_flattened(header: list[str], lines: list[str]) -> Table:
    """Rebuild the rows of a flattened table from the words after its header.

    The run's line breaks are wrap artefacts (``PM2.`` / ``5年``) and are joined. A row
    ends at the last of a run of unit names: the first fills the first unit column
    (牵头单位), the others the last one. Before its long text a row has up to as many
    short words as the header has short text columns (类别, 目标及措施): they fill the
    last of those columns; a row with none continues the row above (merged cells). Short
    words beyond them are the wrapped end of the unit names of the row above.
    """
    from .parsers import headers
    from .unit_names import looks_like_unit, looks_like_unit_strictly

    roles = [headers.header_role(word) or "" for word in header]
    unit_columns = [i for i, role in enumerate(roles) if role in ("lead", "responsible", "assisting", "units")]
    text_columns = [i for i, role in enumerate(roles) if role in TEXT_ROLES]
    if not unit_columns or not text_columns:
        return Table(rows=[header])
    short_columns, measure_column = text_columns[:-1], text_columns[-1]
    after_units = [i for i, role in enumerate(roles) if role == "deadline" and i > unit_columns[-1]]
    words = _join_wrapped_lines(lines).split()
    rows: list[list[str]] = [list(header)]
    text: list[str] = []
    units: list[str] = []
    trailing: list[str] = []  # the deadline cell after the units

    def finish_row() -> None:
        short, consumed = _short_words(text)
        extra = len(short) - len(short_columns)
        if extra > 0 and len(rows) > 1:
            rows[-1][unit_columns[-1]] += "".join(short[:extra])
        short = short[max(extra, 0) :]
        row = [""] * len(header)
        for column, word in zip(short_columns[len(short_columns) - len(short) :], short):
            row[column] = word
        row[measure_column] = " ".join(text[consumed:])
        row[unit_columns[0]] = units[0]
        if len(units) > 1:
            row[unit_columns[-1]] = " ".join(units[1:]) if len(unit_columns) > 1 else " ".join(units)
        if after_units:
            row[after_units[0]] = " ".join(trailing)
        rows.append(row)
        for part in (text, units, trailing):
            part.clear()

    for word in words:
        folded = fold(word)
        if units and not trailing and len(word) <= 3 and looks_like_unit(folded) and not folded.startswith(UNIT_PREFIXES):
            units[-1] += word  # 县委县政府 / 督查室: a name wrapped in its cell
            continue
        if text and looks_like_unit_strictly(folded) and not trailing:
            if not units and len(text[-1]) <= 6 and looks_like_unit_strictly(fold(text[-1] + word)):
                units.append(text.pop() + word)  # 县交通 / 运输局
            else:
                units.append(word)
            continue
        if units and after_units and _is_deadline_word(word, short_rows=bool(short_columns)):
            trailing.append(word)
            continue
        if units:
            finish_row()
        text.append(word)
    if units:
        finish_row()
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
