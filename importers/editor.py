"""Saving the office's corrections of a previewed plan, one edit at a time.

The tree waits on ``PlanImport.parsed`` until the import is confirmed, so an edit
is saved the moment it is made and a reload loses nothing. Each edit names the
version of the tree it was made on (``parsed["edit_version"]``); when another
tab or colleague saved first, the edit is refused with a Chinese message instead
of silently overwriting theirs. The edits themselves are the pure functions of
``importers.tree_editing``; a plan built by hand starts as a draft import with an
empty tree and is confirmed through the same ``services.apply_import``.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import transaction

from departments.models import Unit

from . import tree_editing
from .errors import PlanImportError
from .models import PlanImport

MANUAL_NAME = "（手工新建）"

# operation → (function, the arguments it takes from the request besides c/t/m).
OPERATIONS = {
    "chapter_title": (tree_editing.set_chapter_title, ("c", "title")),
    "task_title": (tree_editing.set_task_title, ("c", "t", "title")),
    "measure_text": (tree_editing.set_measure_text, ("c", "t", "m", "text")),
    "deadline": (tree_editing.set_deadline, ("c", "t", "m", "deadline_text")),
    "reviewed": (tree_editing.mark_reviewed, ("c", "t", "m")),
    "add_chapter": (tree_editing.add_chapter, ("title",)),
    "add_task": (tree_editing.add_task, ("c", "title")),
    "add_measure": (tree_editing.add_measure, ("c", "t", "text", "deadline_text")),
    "remove_chapter": (tree_editing.remove_chapter, ("c",)),
    "remove_task": (tree_editing.remove_task, ("c", "t")),
    "remove_measure": (tree_editing.remove_measure, ("c", "t", "m")),
    "move_measure": (tree_editing.move_measure, ("c", "t", "m", "to_task")),
    "split_measure": (tree_editing.split_measure, ("c", "t", "m", "text")),
    "merge_measure": (tree_editing.merge_with_next, ("c", "t", "m")),
    "split_task": (tree_editing.split_task, ("c", "t", "m", "title")),
    "add_unit": (tree_editing.add_unit, ("c", "t", "m", "role", "unit_id")),
    "remove_unit": (tree_editing.remove_unit, ("c", "t", "m", "role", "written")),
    "map_unit": (tree_editing.map_unit_name, ("written", "unit_id")),
}
INDEX_ARGUMENTS = ("c", "t", "m", "to_task")


class StaleTree(PlanImportError):
    """Someone saved the tree since this edit's page was loaded."""


def tree_version(plan_import: PlanImport) -> int:
    return int(plan_import.parsed.get("edit_version", 0))


def operation_arguments(operation: str, data) -> dict:
    """The keyword arguments of ``operation`` from a request's data; missing or bad numbers are refused."""
    if operation not in OPERATIONS:
        raise PlanImportError("不认识的编辑操作，请刷新页面后重试。", code="bad_operation")
    arguments = {}
    for name in OPERATIONS[operation][1]:
        value = data.get(name, "")
        if name in INDEX_ARGUMENTS or name == "unit_id":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise PlanImportError("请选择要编辑的位置或单位。", code="bad_operation") from None
        arguments[name] = value
    return arguments


@transaction.atomic
def edit_tree(*, plan_import: PlanImport, version: int, operation: str, arguments: dict) -> PlanImport:
    """Apply one edit to a previewed tree and save it, if the tree is still at ``version``."""
    locked = _locked_at(plan_import, version)
    arguments = dict(arguments)
    if "unit_id" in arguments:
        unit = Unit.objects.active().filter(pk=arguments.pop("unit_id")).first()
        if unit is None:
            raise PlanImportError("找不到所选单位（可能已停用），请重新搜索。", code="bad_unit_choice")
        arguments.update(name=unit.name, district=unit.district)
    function = OPERATIONS[operation][0]
    try:
        tree = function(locked.parsed, **arguments)
    except tree_editing.TreeEditError as exc:
        raise PlanImportError(str(exc), code="bad_edit") from None
    return save_tree(plan_import=locked, tree=tree)


def _locked_at(plan_import: PlanImport, version: int) -> PlanImport:
    """The import, locked, if it is still a preview at ``version``."""
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经导入或取消，不能再修改预览。", code="already_applied")
    if int(version) != tree_version(locked):
        raise StaleTree(
            "这份预览已在另一个窗口（或由其他人）修改过，您这次的修改没有保存。页面已显示最新内容，请核对后重做。",
            code="stale",
        )
    return locked


def save_tree(*, plan_import: PlanImport, tree: dict) -> PlanImport:
    """Store an edited tree (the caller holds the row lock and has checked the version)."""
    tree["edit_version"] = tree_version(plan_import) + 1
    plan_import.parsed = tree
    plan_import.district = tree.get("district", "")
    plan_import.save(update_fields=["parsed", "district"])
    return plan_import


def create_draft(*, user, title: str, district: str, year_start: int, year_end: int) -> PlanImport:
    """A plan built by hand: a draft import with an empty tree, filled in the preview editor.

    It has no file; its fingerprint is made up and unique, so it can never be taken for an
    uploaded document (the same plan uploaded later is recognised by its content instead).
    """
    if year_end < year_start:
        raise PlanImportError("截止年份不能早于起始年份。", code="bad_years")
    tree = tree_editing.empty_tree(
        title=title.strip(),
        district=district.strip(),
        year_start=year_start,
        year_end=year_end,
        level="district" if district.strip() else "municipal",
    )
    tree["edit_version"] = 0
    fingerprint = hashlib.sha256(f"manual:{uuid.uuid4()}".encode()).hexdigest()
    return PlanImport.objects.create(
        original_name=MANUAL_NAME,
        sha256=fingerprint,
        parsed=tree,
        district=tree["district"],
        uploaded_by=user,
    )


class NeedsColumns(PlanImportError):
    """The table parser could not tell the pasted columns: the office says what each holds."""

    def __init__(self, rows: list[list[str]]):
        super().__init__(
            "未能识别粘贴内容的各列（可能没有复制表头行）：请指定每一列是什么，再点“按所选列导入”。",
            code="needs_columns",
        )
        self.rows = rows


@transaction.atomic
def paste_rows(
    *, plan_import: PlanImport, version: int, text: str, mapping: dict[int, str] | None = None
) -> PlanImport:
    """Add rows pasted from Excel to the tree. Raises NeedsColumns when the columns must be named."""
    from departments.selectors import unit_directory

    from . import pasting

    locked = _locked_at(plan_import, version)
    try:
        rows = pasting.rows_from_paste(text)
        pasted = pasting.parse_rows(rows, tree=locked.parsed, directory=unit_directory(), mapping=mapping)
    except pasting.PasteError as exc:
        raise PlanImportError(str(exc), code="bad_paste") from None
    if pasted is None:
        raise NeedsColumns(rows)
    return save_tree(plan_import=locked, tree=pasting.add_pasted(locked.parsed, pasted))
