"""Saving a parsed plan: preview an upload, then apply it in one transaction.

The flow the browser and the CLI share:

1. ``preview_upload`` hashes the file; a file already imported changes nothing.
   Otherwise it parses (pure), resolves every unit name against the unit
   directory, and keeps the result on a ``PlanImport`` waiting for the office.
2. ``apply_import`` writes the plan in one transaction, with the office's
   decisions for the unit names the directory did not know. A revised version
   of a plan already imported updates it in place: unchanged measures keep
   their progress; the diff says what was added, changed and removed.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from departments.models import Unit
from departments.selectors import unit_directory
from tasks.models import Assignment, Chapter, HistoryEntry, Measure, Milestone, Plan, Task

from .errors import PlanImportError
from .models import PlanImport
from .pipeline import parse_document
from .plan_json import ROLES, plan_as_json


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_to_json(data: bytes, filename: str, *, district: str = "", directory=None) -> dict:
    """Parse a document and resolve its unit names: the ``import_plan --json`` structure."""
    parsed = parse_document(data, filename)
    if district:
        parsed.district = district
        parsed.level = parsed.level or Plan.Level.DISTRICT
    return plan_as_json(parsed, directory or unit_directory())


def preview_upload(*, data: bytes, filename: str, user=None, district: str = "") -> PlanImport:
    """Check and parse an upload and keep it for the office to confirm. Raises PlanImportError."""
    from django.conf import settings

    if len(data) > settings.BLUESKY_MAX_UPLOAD_BYTES:
        limit_mb = settings.BLUESKY_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise PlanImportError(f"文件超过大小上限（{limit_mb} MB），请压缩图片或拆分后上传。", code="too_large")
    digest = sha256_of(data)
    existing = Plan.objects.filter(source_sha256=digest).first()
    if existing is not None:
        return PlanImport.objects.create(
            file=ContentFile(data, name=_safe_name(filename)),
            original_name=filename[:255],
            sha256=digest,
            state=PlanImport.State.UNCHANGED,
            plan=existing,
            uploaded_by=user,
            summary={"message": f"该文件已于 {existing.created_at:%Y-%m-%d} 导入为《{existing.title}》，未做任何改动。"},
        )
    parsed = parse_to_json(data, filename, district=district)
    return PlanImport.objects.create(
        file=ContentFile(data, name=_safe_name(filename)),
        original_name=filename[:255],
        sha256=digest,
        parsed=parsed,
        district=parsed.get("district", ""),
        uploaded_by=user,
        plan=find_previous_version(parsed),
    )


def _safe_name(filename: str) -> str:
    """Keep only the extension of what the user called the file; the storage picks the rest."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = "".join(c for c in suffix if c.isalnum())[:8] or "bin"
    return f"plan.{suffix}"


def find_previous_version(parsed: dict) -> Plan | None:
    """An earlier import of the same plan: same 发文字号, else same title, district and years."""
    plans = Plan.objects.all()
    if parsed.get("doc_number"):
        match = plans.filter(doc_number=parsed["doc_number"]).first()
        if match:
            return match
    return plans.filter(
        title=parsed.get("title", ""),
        district=parsed.get("district", ""),
        year_start=parsed.get("year_start") or 0,
    ).first()


# --- Applying -------------------------------------------------------------------


def unresolved_unit_names(parsed: dict) -> list[str]:
    """Names the directory did not know: the office decides on each (map, create, ignore)."""
    return sorted(parsed.get("unit_resolution", {}).get("unknown", []))


@transaction.atomic
def apply_import(*, plan_import: PlanImport, user=None, unit_decisions: dict | None = None) -> Plan:
    """Write the previewed plan. ``unit_decisions``: unknown name → {"action": "map"|"create"|"ignore", "unit_id"}.

    Everything happens in one transaction: an error leaves the database as it was.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过（已导入或已取消），请勿重复提交。", code="already_applied")
    parsed = plan_import.parsed
    if Plan.objects.filter(source_sha256=plan_import.sha256).exists():
        raise PlanImportError("该文件已导入，未做任何改动。", code="duplicate")
    units = _UnitBook(parsed, unit_decisions or {})
    previous = find_previous_version(parsed)
    if previous is None:
        plan = _create_plan(parsed, plan_import)
        diff = {"added": [k[1] for k in _parsed_measures_by_key(parsed)], "changed": [], "removed": []}
        _write_tree(plan, parsed, units)
    else:
        plan = previous
        _update_plan_fields(plan, parsed, plan_import)
        diff = _write_revision(plan, parsed, units, user=user)
    plan_import.plan = plan
    plan_import.state = PlanImport.State.APPLIED
    plan_import.applied_at = timezone.now()
    plan_import.summary = {"diff": diff, "counts": parsed.get("counts", {}), "new_units": units.created_names}
    plan_import.save(update_fields=["plan", "state", "applied_at", "summary"])
    return plan


def import_file(*, data: bytes, filename: str, user=None, district: str = "", create_unknown_units: bool = True) -> PlanImport:
    """Preview and apply in one go (the CLI and the demo loader): unknown units are created, flagged."""
    plan_import = preview_upload(data=data, filename=filename, user=user, district=district)
    if plan_import.state == PlanImport.State.PREVIEW:
        decisions = {
            name: {"action": "create" if create_unknown_units else "ignore"}
            for name in unresolved_unit_names(plan_import.parsed)
        }
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
    }


def _create_plan(parsed: dict, plan_import: PlanImport) -> Plan:
    plan = Plan(**_plan_fields(parsed), source_sha256=plan_import.sha256, source_name=plan_import.original_name)
    plan.source_file.name = plan_import.file.name
    plan.save()
    return plan


def _update_plan_fields(plan: Plan, parsed: dict, plan_import: PlanImport) -> None:
    for field, value in _plan_fields(parsed).items():
        setattr(plan, field, value)
    plan.source_sha256 = plan_import.sha256
    plan.source_name = plan_import.original_name
    plan.source_file.name = plan_import.file.name
    plan.save()


class _UnitBook:
    """Turns resolved names into Unit rows, creating what the office chose to create."""

    def __init__(self, parsed: dict, decisions: dict):
        self.district = parsed.get("district", "")
        self.decisions = decisions
        self.created_names: list[str] = []
        resolution = parsed.get("unit_resolution", {})
        self.known = resolution.get("known", {})  # written name → [[name, district], …]
        self.unknown = set(resolution.get("unknown", []))
        wanted = {tuple(pair) for pairs in self.known.values() for pair in pairs}
        by_key = {}
        if wanted:
            names = {n for n, _ in wanted}
            for unit in Unit.objects.filter(name__in=names):
                by_key[(unit.name, unit.district)] = unit
        self.by_key = by_key
        mapped_ids = [d.get("unit_id") for d in decisions.values() if d.get("action") == "map"]
        self.by_id = Unit.objects.in_bulk([int(i) for i in mapped_ids if i])

    def units_for(self, written: str) -> list[Unit]:
        if written in self.known:
            return [self.by_key[tuple(pair)] for pair in self.known[written] if tuple(pair) in self.by_key]
        decision = self.decisions.get(written, {"action": "create"})
        action = decision.get("action")
        if action == "ignore":
            return []
        if action == "map":
            unit = self.by_id.get(int(decision.get("unit_id") or 0))
            if unit is None:
                raise PlanImportError(f"为“{written}”选择的单位不存在，请重新选择。", code="bad_unit_choice")
            return [unit]
        unit, created = Unit.objects.get_or_create(
            district=self.district, name=written[:120],
            defaults={"kind": Unit.Kind.OTHER, "needs_review": True},
        )
        if created:
            self.created_names.append(written)
        self.by_key[(unit.name, unit.district)] = unit
        self.known[written] = [[unit.name, unit.district]]
        return [unit]


def _write_tree(plan: Plan, parsed: dict, units: _UnitBook) -> None:
    """Create chapters, tasks, measures and their assignments (bulk: a few queries per level)."""
    for chapter_data in parsed["chapters"]:
        chapter, _ = Chapter.objects.update_or_create(
            plan=plan, number=chapter_data["number"], defaults={"title": chapter_data["title"][:200]}
        )
        for task_data in chapter_data["tasks"]:
            task, _ = Task.objects.update_or_create(
                plan=plan, number=task_data["number"], defaults={"title": task_data["title"][:300], "chapter": chapter}
            )
            for sequence, measure_data in enumerate(task_data["measures"], start=1):
                _create_measure(task, sequence, measure_data, units)


def _create_measure(task: Task, sequence: int, data: dict, units: _UnitBook) -> Measure:
    measure = Measure.objects.create(task=task, sequence=sequence, **_measure_fields(task, sequence, data))
    _write_measure_children(measure, data, units)
    return measure


def _measure_fields(task: Task, sequence: int, data: dict) -> dict:
    deadline = data.get("deadline") or {}
    kind = deadline.get("kind") or Measure.DeadlineKind.PLAN_END
    due = data.get("due_date")
    return {
        "code": (data.get("code") or f"{task.number}-{sequence}")[:20],
        "text": data["text"],
        "deadline_text": data.get("deadline_text", "")[:200],
        "deadline_kind": kind,
        "due_date": None if kind == Measure.DeadlineKind.ONGOING else (dt.date.fromisoformat(due) if due else None),
        "window_start": _date_or_none(deadline.get("window_start")),
        "window_end": _date_or_none(deadline.get("window_end")),
        "deadline_guessed": bool(deadline.get("guessed")),
        "deadline_note": (deadline.get("note") or "")[:300],
        "needs_review": bool(data.get("needs_review")),
    }


def _date_or_none(value):
    return dt.date.fromisoformat(value) if value else None


def _write_measure_children(measure: Measure, data: dict, units: _UnitBook) -> None:
    Milestone.objects.bulk_create(
        [Milestone(measure=measure, date=dt.date.fromisoformat(m["date"]), text=m["text"][:100],
                   kind=m.get("kind", Milestone.Kind.DUE))
         for m in _unique_milestones(data.get("milestones", []))]
    )
    assignments = {}
    inferred = bool(data.get("units_inferred"))
    for role in ROLES:
        for written in data.get("units_written", {}).get(role, []):
            for unit in units.units_for(written):
                assignments.setdefault((unit.pk, role), Assignment(
                    measure=measure, unit=unit, role=role, written_as=written[:200],
                    source=Assignment.Source.INFERRED if inferred else Assignment.Source.STATED,
                    confirmed=not inferred,
                ))
    Assignment.objects.bulk_create(assignments.values())


def _unique_milestones(milestones: list[dict]) -> list[dict]:
    seen, out = set(), []
    for m in milestones:
        key = (m["date"], m["text"][:100])
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _parsed_measures_by_key(parsed: dict) -> dict[tuple, dict]:
    """(task number, code) → measure data; measures without a code get ``task-sequence``."""
    out = {}
    for chapter in parsed["chapters"]:
        for task in chapter["tasks"]:
            for sequence, data in enumerate(task["measures"], start=1):
                code = data.get("code") or f"{task['number']}-{sequence}"
                out[(task["number"], code)] = dict(data, code=code)
    return out


def _incoming_signature(data: dict, known: dict) -> tuple:
    """Text, deadline and the units (role, name, district) a parsed measure would be assigned to."""
    units = set()
    for role in ROLES:
        for written in data.get("units_written", {}).get(role, []):
            for name, district in known.get(written, [(written, None)]):  # an unknown name: always a change
                units.add((role, name, district))
    return data["text"], data.get("deadline_text", "")[:200], frozenset(units)


def _current_signatures(plan: Plan) -> dict[tuple, tuple]:
    """(task number, code) → (text, deadline text, units) of the plan's measures: two queries."""
    units: dict[int, set] = {}
    for measure_id, role, name, district in Assignment.objects.filter(measure__task__plan=plan).exclude(
        source=Assignment.Source.MANUAL
    ).values_list("measure_id", "role", "unit__name", "unit__district"):
        units.setdefault(measure_id, set()).add((role, name, district))
    return {
        (number, code): (text, deadline_text, frozenset(units.get(pk, ())))
        for pk, number, code, text, deadline_text in Measure.objects.filter(task__plan=plan).values_list(
            "pk", "task__number", "code", "text", "deadline_text"
        )
    }


def _revision_keys(plan: Plan, parsed: dict) -> tuple[list, list, list]:
    current = _current_signatures(plan)
    incoming = _parsed_measures_by_key(parsed)
    added = [k for k in incoming if k not in current]
    known = {written: [tuple(pair) for pair in pairs]
             for written, pairs in parsed.get("unit_resolution", {}).get("known", {}).items()}
    changed = [k for k, d in incoming.items() if k in current and current[k] != _incoming_signature(d, known)]
    removed = [k for k in current if k not in incoming]
    return added, changed, removed


def _has_records() -> Q:
    """A measure someone has reported on: progress, history or monthly-report lines (never deleted by a revision)."""
    related = ("progress_updates", "history", "report_items")  # report_items: the reports app's, by relation name
    return Q(*(
        Exists(Measure._meta.get_field(name).related_model.objects.filter(measure=OuterRef("pk"))) for name in related
    ), _connector=Q.OR)


def revision_diff(plan: Plan, parsed: dict) -> dict:
    """What importing ``parsed`` over ``plan`` would change: measure codes added, changed (text, deadline
    or units), removed, and of those removed the ones kept because they have records."""
    added, changed, removed = _revision_keys(plan, parsed)
    recorded = set(
        Measure.objects.filter(task__plan=plan).filter(_has_records()).values_list("task__number", "code")
    ) if removed else set()
    return {"added": [k[1] for k in added], "changed": [k[1] for k in changed], "removed": [k[1] for k in removed],
            "kept": [k[1] for k in removed if k in recorded]}


def preview_diff(plan_import: PlanImport) -> dict | None:
    if plan_import.plan_id is None or plan_import.state != PlanImport.State.PREVIEW:
        return None
    return revision_diff(plan_import.plan, plan_import.parsed)


@transaction.atomic
def cancel_import(*, plan_import: PlanImport) -> None:
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise PlanImportError("这份文件已经处理过，无法取消。", code="already_applied")
    plan_import.state = PlanImport.State.CANCELLED
    plan_import.save(update_fields=["state"])


def _write_revision(plan: Plan, parsed: dict, units: _UnitBook, user=None) -> dict:
    """Update an imported plan to a revised document; unchanged measures are left untouched.

    A measure the revision drops is deleted only if nothing was ever recorded on it; one with
    progress, history or report lines is kept, flagged for review, and says so in its history.
    """
    added, changed, removed = _revision_keys(plan, parsed)
    incoming = _parsed_measures_by_key(parsed)
    touched = set(changed) | set(removed)
    current = {
        (m.task.number, m.code): m
        for m in Measure.objects.select_for_update().filter(task__plan=plan).select_related("task")
        if (m.task.number, m.code) in touched
    }
    comment = f"导入修订版《{plan.title}》"
    removed_measures = [current[k] for k in removed]
    with_records = set(
        Measure.objects.filter(pk__in=[m.pk for m in removed_measures]).filter(_has_records()).values_list("pk", flat=True)
    )
    kept = [m for m in removed_measures if m.pk in with_records]
    Measure.objects.filter(pk__in=[m.pk for m in removed_measures if m.pk not in with_records]).delete()
    for measure in kept:
        Measure.objects.filter(pk=measure.pk).update(needs_review=True, version=F("version") + 1)
        HistoryEntry.objects.create(
            measure=measure, actor=user, action=HistoryEntry.Action.IMPORT, changes={"在计划中": [True, False]},
            comment=comment + "：修订版中已无此措施；因已有填报记录而保留，请大气办确认。",
        )
    for key in changed:
        measure, data = current[key], incoming[key]
        fields = _measure_fields(measure.task, measure.sequence, data)
        before = {"text": measure.text, "deadline_text": measure.deadline_text}
        for field, value in fields.items():
            setattr(measure, field, value)
        measure.version += 1
        # Only the plan's fields: status, percent and sign-off belong to the units' reporting.
        measure.save(update_fields=[*fields, "version", "updated_at"])
        measure.milestones.all().delete()
        old_units = sorted({f"{a.get_role_display()}：{a.written_as or a.unit.name}"
                            for a in measure.assignments.exclude(source=Assignment.Source.MANUAL)})
        measure.assignments.exclude(source=Assignment.Source.MANUAL).delete()
        _write_measure_children(measure, data, units)
        new_units = sorted({f"{a.get_role_display()}：{a.written_as or a.unit.name}" for a in measure.assignments.all()})
        changes = {k: [v, getattr(measure, k)] for k, v in before.items() if v != getattr(measure, k)}
        if old_units != new_units:
            changes["units"] = ["、".join(old_units), "、".join(new_units)]
        HistoryEntry.objects.create(
            measure=measure, actor=user, action=HistoryEntry.Action.IMPORT, changes=changes, comment=comment,
        )
    existing = {k for k in incoming if k not in set(added)}
    diff = {"added": [k[1] for k in added], "changed": [k[1] for k in changed], "removed": [k[1] for k in removed],
            "kept": [m.code for m in kept]}
    for chapter_data in parsed["chapters"]:
        chapter, _ = Chapter.objects.update_or_create(
            plan=plan, number=chapter_data["number"], defaults={"title": chapter_data["title"][:200]}
        )
        for task_data in chapter_data["tasks"]:
            task, _ = Task.objects.update_or_create(
                plan=plan, number=task_data["number"], defaults={"title": task_data["title"][:300], "chapter": chapter}
            )
            # New measures go after the task's existing ones.
            next_sequence = (task.measures.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
            for sequence, data in enumerate(task_data["measures"], start=1):
                code = data.get("code") or f"{task.number}-{sequence}"
                if (task.number, code) in existing:
                    continue
                _create_measure(task, next_sequence, dict(data, code=code), units)
                next_sequence += 1
    return diff
