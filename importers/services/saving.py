"""Applying a previewed import: a new plan, or a revision of the plan it was recognised as."""

from __future__ import annotations

import datetime as dt

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from departments.models import Jurisdiction
from tasks.models import HistoryEntry, Plan

from .. import identity
from ..errors import PlanImportError
from ..models import PlanImport
from .previews import preview_upload, unit_decision_defaults
from .revisions import write_revision
from .tree import UnitBook, parsed_measures_by_key, write_tree


@transaction.atomic
def apply_import(*, plan_import: PlanImport, user=None, unit_decisions: dict | None = None) -> Plan:
    """Write the previewed plan. ``unit_decisions``: unknown name → {"action": "map"|"create"|"ignore", "unit_id"}.

    Everything happens in one transaction: an error leaves the database as it was.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过（已导入或已取消），请勿重复提交。", code="already_applied")
    parsed = plan_import.parsed
    if parsed.get("needs_column_mapping"):
        raise PlanImportError("请先在预览中指定表格各列的含义，再确认导入。", code="needs_mapping")
    if not parsed_measures_by_key(parsed):
        raise PlanImportError(
            "计划中还没有任何措施：请先添加章节、任务和措施，再确认导入。", code="empty_plan"
        )
    if Plan.objects.filter(source_sha256=plan_import.sha256).exists():
        raise PlanImportError("该文件已导入，未做任何改动。", code="duplicate")
    units = UnitBook(parsed, unit_decisions or {})
    previous = plan_import.plan or identity.find_matching_plan(parsed)
    previous = previous.plan if isinstance(previous, identity.PlanMatch) else previous
    if previous is None:
        plan = _create_plan(parsed, plan_import)
        diff = {"added": [k[1] for k in parsed_measures_by_key(parsed)], "changed": [], "removed": []}
        # A new plan's hundreds of rows are not logged one by one: the audit log records the plan and the
        # import record (who applied it, the whole parsed tree in PlanImport.parsed), and every measure
        # gets its IMPORT history entry. Row-by-row entries tripled the time of a save.
        with disable_auditlog():
            write_tree(plan, parsed, units)
        fields_changed = []
    else:
        plan = Plan.objects.select_for_update().get(pk=previous.pk)
        identity.keep_known_fields(parsed, plan)
        fields_changed = identity.field_changes(plan, parsed)
        _update_plan_fields(plan, parsed, plan_import, changes=fields_changed, user=user)
        diff = write_revision(plan, parsed, units, user=user)
    plan_import.plan = plan
    plan_import.state = PlanImport.State.APPLIED
    plan_import.applied_at = timezone.now()
    plan_import.summary = {
        "diff": diff,
        "counts": parsed.get("counts", {}),
        "new_units": units.created_names,
        "field_changes": fields_changed,
    }
    plan_import.save(update_fields=["plan", "state", "applied_at", "summary"])
    return plan


def import_file(
    *,
    data: bytes,
    filename: str,
    user=None,
    district: str = "",
    jurisdiction: Jurisdiction | None = None,
    create_unknown_units: bool = True,
) -> PlanImport:
    """Preview and apply in one go (the CLI and the demo loader).

    An unknown unit name goes to its closest directory match when one is close (as the
    preview's default); otherwise it is created, flagged (or ignored).
    """
    plan_import = preview_upload(
        data=data, filename=filename, user=user, district=district, jurisdiction=jurisdiction
    )
    if plan_import.state == PlanImport.State.PREVIEW:
        decisions = {}
        for default in unit_decision_defaults(plan_import.parsed):
            if default["action"] == "map":
                decisions[default["name"]] = {"action": "map", "unit_id": default["unit_id"]}
            else:
                decisions[default["name"]] = {"action": "create" if create_unknown_units else "ignore"}
        apply_import(plan_import=plan_import, user=user, unit_decisions=decisions)
        plan_import.refresh_from_db()
    return plan_import


def _plan_fields(parsed: dict) -> dict:
    year_start = parsed.get("year_start") or dt.date.today().year
    return {
        "title": parsed.get("title") or "未命名行动计划",
        "issuing_body": parsed.get("issuing_body", ""),
        "doc_number": parsed.get("doc_number", ""),
        "level": parsed.get("level") or Plan.Level.DISTRICT,
        "district": parsed.get("district", ""),
        "year_start": year_start,
        "year_end": parsed.get("year_end") or year_start,
        "issue_date": dt.date.fromisoformat(parsed["issue_date"]) if parsed.get("issue_date") else None,
        "goals": "\n".join(parsed.get("goals", [])),
        "jurisdiction": Jurisdiction.objects.filter(code=parsed.get("jurisdiction") or None).first(),
    }


def _create_plan(parsed: dict, plan_import: PlanImport) -> Plan:
    plan = Plan(
        **_plan_fields(parsed), source_sha256=plan_import.sha256, source_name=plan_import.original_name
    )
    plan.source_file.name = plan_import.file.name
    plan.save()
    return plan


def _update_plan_fields(
    plan: Plan, parsed: dict, plan_import: PlanImport, *, changes: list[dict], user
) -> None:
    """Set the fields the new file gives; one it lacks keeps its value. A plan-level history entry lists them."""
    values = _plan_fields(parsed)
    for change in changes:
        setattr(plan, change["field"], values[change["field"]])
    if plan.jurisdiction_id is None:
        plan.jurisdiction = values["jurisdiction"]
    if plan.year_end < plan.year_start:
        plan.year_end = plan.year_start
    plan.source_sha256 = plan_import.sha256
    plan.source_name = plan_import.original_name
    plan.source_file.name = plan_import.file.name
    plan.save()
    HistoryEntry.objects.create(
        plan=plan,
        actor=user,
        action=HistoryEntry.Action.IMPORT,
        changes={c["label"]: [c["before"], c["after"]] for c in changes},
        comment=f"导入《{plan.title}》的新文件：{plan_import.original_name}",
    )
