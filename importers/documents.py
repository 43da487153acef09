"""What a reader hands to the parsers: a document as blocks of text and tables.

Readers (``importers.readers``) turn .docx/.xlsx/.pdf/.txt (and legacy) bytes into a
``Document``; shape detection and the parsers only ever see this, so a table
from Word and a tab-separated dump of the same table parse the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """Rows of cells, one string per grid position.

    A cell merged over several grid positions is repeated in each (python-docx
    and openpyxl both give it that way, or the reader fills it in), except where
    the source only gives it once (text dumps): then the other positions are "".
    Line breaks inside a cell are kept as "\\n".
    """

    rows: list[list[str]] = field(default_factory=list)
    # "cell_lines" when read from a one-cell-per-line text dump (mentougou), else "":
    # the parser reports it as the plan's shape.
    layout: str = ""


@dataclass
class Document:
    """A document in reading order: paragraphs (str) and tables (Table)."""

    blocks: list[str | Table] = field(default_factory=list)
    source_format: str = ""  # "docx", "doc", "wps", "xlsx", "xls", "et", "pdf", "txt"
    ocr: bool = False  # text recognised from a scan (importers.ocr): every measure needs review
    # Where a plan's own name often stands outside the blocks: worksheet names (xlsx) and the
    # paragraphs styled as a heading or title (docx). Read by importers.metadata.
    sheet_names: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """All paragraphs as lines, tables as tab-separated rows (for metadata search)."""
        out = []
        for b in self.blocks:
            if isinstance(b, Table):
                out.extend("\t".join(c.replace("\n", " ") for c in row) for row in b.rows)
            else:
                out.append(b)
        return "\n".join(out)
