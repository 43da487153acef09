"""From uploaded bytes to a parsed plan: read, detect the shape, parse, date.

This is pure: no database. The unit directory it resolves names against is a
plain object (``departments.directory.UnitDirectory``) that the caller builds,
from the database (``departments.selectors.unit_directory()``) or from the
bundled data file in tests.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import PlanImportError
from .parsed import ParsedPlan


def parse_document(data: bytes, filename: str, *, on_step: Callable[[str], None] | None = None) -> ParsedPlan:
    """Parse a plan document; raise PlanImportError with a Chinese message if it is not one.

    ``on_step("structure")`` is called once the file is read and its structure is being recognised
    (the parse job shows it to the office)."""
    from . import deadlines, metadata, ocr, readers
    from .parsers import prose, table

    document = readers.read_document(data, filename)
    if on_step is not None:
        on_step("structure")
    plan = table.parse_tables(document) or prose.parse_prose(document)
    if (plan is None or not any(ch.tasks for ch in plan.chapters)) and (
        unmapped := table.unmapped_tables(document)
    ):
        # A table is there but its columns say nothing the parser knows: the office maps them
        # in the preview (plan.needs_column_mapping), then parse_document_with_mapping re-reads.
        plan = ParsedPlan(shape="unmapped_table", unmapped_tables=unmapped)
        plan.warnings.append(
            "文件中的表格无法自动识别各列的含义：请在预览中指定哪一列是重点任务、具体措施、牵头单位、完成时限等。"
        )
        metadata.read_metadata(document, plan)
        return plan
    if plan is None or not any(ch.tasks for ch in plan.chapters):
        raise PlanImportError(
            "文件中没有找到可识别的重点任务：请上传包含“重点任务/具体措施/牵头单位”表格，"
            "或带有“一、……（一）……牵头部门：”编号条目的行动计划文件。",
            code="no_tasks",
        )
    metadata.read_metadata(document, plan)
    if document.ocr:  # OCR misreads characters: every measure goes to review, with the reason
        ocr.flag_for_review(plan)
    deadlines.date_measures(plan)
    return plan


def parse_document_with_mapping(data: bytes, filename: str, mapping: dict[int, str]) -> ParsedPlan:
    """Parse a plan whose table columns the office mapped ({column index: role}, parsers.headers.ROLE_LABELS)."""
    from . import deadlines, metadata, readers
    from .parsers import table

    document = readers.read_document(data, filename)
    plan = table.parse_with_mapping(document, mapping)
    metadata.read_metadata(document, plan)
    deadlines.date_measures(plan)
    return plan
