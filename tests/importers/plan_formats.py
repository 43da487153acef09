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
