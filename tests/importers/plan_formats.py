"""The sample plans as other formats an office would upload: a Word file, a bare worksheet."""

from __future__ import annotations

from importers.documents import Document

from .sample_plans import BEIJING, FENGTAI
from .test_docx_xlsx import MERGED_COLUMNS, build_docx, build_xlsx, text_document


def fengtai_docx() -> bytes:
    return build_docx(text_document(FENGTAI), MERGED_COLUMNS[FENGTAI])


def fengtai_bare_xlsx() -> bytes:
    """The Fengtai ledger as a worksheet without its title line: no title, no years, no district."""
    document = text_document(FENGTAI)
    blocks = [b for b in document.blocks if not (isinstance(b, str) and "任务分解" in b)]
    return build_xlsx(Document(blocks=blocks), MERGED_COLUMNS[FENGTAI])


def beijing_table_docx() -> bytes:
    """The Beijing 2021 plan's table alone, as a .docx: no notice, so no 发文字号, title or issuer."""
    document = text_document(BEIJING)
    return build_docx(Document(blocks=document.tables), MERGED_COLUMNS[BEIJING])


def beijing_titled_docx() -> bytes:
    """The Beijing 2021 plan's title and table as a .docx, without the notice that carries its 发文字号."""
    document = text_document(BEIJING)
    return build_docx(
        Document(blocks=["北京市深入打好污染防治攻坚战2021年行动计划", *document.tables]),
        MERGED_COLUMNS[BEIJING],
    )
