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
  category and title cells -> a ``Table`` with ``layout="flattened"``
  (``importers.flat_tables``);
* one cell per line without tabs (a web page's table copied as text): the header
  words each on a line, then each row's cells, a row starting at its 序号
  -> a ``Table`` with ``layout="stacked"`` (``importers.flat_tables``);
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
from .flat_tables import flattened_header, read_flattened, read_stacked

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
        elif (flattened := flattened_header(line)) is not None:
            before, header, rest = flattened
            if before:
                blocks.append(before)
            blocks.append(read_flattened(header, [rest, *lines[index + 1 :]]))
            index = len(lines)
        elif (stacked := read_stacked(lines, index)) is not None:
            table, index = stacked
            blocks.append(table)
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
