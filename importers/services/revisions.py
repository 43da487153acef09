"""A revised version (or another format) of an imported plan: what it changes, and applying it.

Measures are matched by (task number, code). A measure is "changed" when its
text, deadline or units differ; unchanged ones are never touched, so their
progress stays. A measure the revision drops is deleted only if nothing was
ever recorded on it.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q

from tasks.models import Assignment, HistoryEntry, Measure, Plan

from ..plan_json import ROLES
from .tree import UnitBook, measure_fields, parsed_measures_by_key, write_measure_children, write_tree


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
    for measure_id, role, name, district in (
        Assignment.objects.filter(measure__task__plan=plan)
        .exclude(source=Assignment.Source.MANUAL)
        .values_list("measure_id", "role", "unit__name", "unit__district")
    ):
        units.setdefault(measure_id, set()).add((role, name, district))
    return {
        (number, code): (text, deadline_text, frozenset(units.get(pk, ())))
        for pk, number, code, text, deadline_text in Measure.objects.filter(task__plan=plan).values_list(
            "pk", "task__number", "code", "text", "deadline_text"
        )
    }


def _revision_keys(plan: Plan, parsed: dict) -> tuple[list, list, list]:
    current = _current_signatures(plan)
    incoming = parsed_measures_by_key(parsed)
    added = [k for k in incoming if k not in current]
    known = {
        written: [tuple(pair) for pair in pairs]
        for written, pairs in parsed.get("unit_resolution", {}).get("known", {}).items()
    }
    changed = [k for k, d in incoming.items() if k in current and current[k] != _incoming_signature(d, known)]
    removed = [k for k in current if k not in incoming]
    return added, changed, removed


def _has_records() -> Q:
    """A measure someone has reported on: progress, history or monthly-report lines (never deleted by a revision)."""
    related = (
        "progress_updates",
        "history",
        "report_items",
    )  # report_items: the reports app's, by relation name
    return Q(
        *(
            Exists(Measure._meta.get_field(name).related_model.objects.filter(measure=OuterRef("pk")))
            for name in related
        ),
        _connector=Q.OR,
    )


def revision_diff(plan: Plan, parsed: dict) -> dict:
    """What importing ``parsed`` over ``plan`` would change: measure codes added, changed (text, deadline
    or units), removed, and of those removed the ones kept because they have records."""
    added, changed, removed = _revision_keys(plan, parsed)
    recorded = (
        set(
            Measure.objects.filter(task__plan=plan).filter(_has_records()).values_list("task__number", "code")
        )
        if removed
        else set()
    )
    return {
        "added": [k[1] for k in added],
        "changed": [k[1] for k in changed],
        "removed": [k[1] for k in removed],
        "kept": [k[1] for k in removed if k in recorded],
    }


def write_revision(plan: Plan, parsed: dict, units: UnitBook, user=None) -> dict:
    """Update an imported plan to a revised document; unchanged measures are left untouched.

    A measure the revision drops is deleted only if nothing was ever recorded on it; one with
    progress, history or report lines is kept, flagged for review, and says so in its history.
    """
    added, changed, removed = _revision_keys(plan, parsed)
    incoming = parsed_measures_by_key(parsed)
    touched = set(changed) | set(removed)
    current = {
        (m.task.number, m.code): m
        for m in Measure.objects.select_for_update().filter(task__plan=plan).select_related("task")
        if (m.task.number, m.code) in touched
    }
    comment = f"导入修订版《{plan.title}》"
    kept = _drop_removed([current[k] for k in removed], user=user, comment=comment)
    for key in changed:
        _update_measure(current[key], incoming[key], units, user=user, comment=comment)
    write_tree(plan, parsed, units, saved=frozenset(k for k in incoming if k not in set(added)))
    return {
        "added": [k[1] for k in added],
        "changed": [k[1] for k in changed],
        "removed": [k[1] for k in removed],
        "kept": [m.code for m in kept],
    }


def _drop_removed(removed: list[Measure], *, user, comment: str) -> list[Measure]:
    """Delete the dropped measures nobody reported on; keep and flag the others. Returns those kept."""
    with_records = set(
        Measure.objects.filter(pk__in=[m.pk for m in removed])
        .filter(_has_records())
        .values_list("pk", flat=True)
    )
    kept = [m for m in removed if m.pk in with_records]
    Measure.objects.filter(pk__in=[m.pk for m in removed if m.pk not in with_records]).delete()
    for measure in kept:
        Measure.objects.filter(pk=measure.pk).update(needs_review=True, version=F("version") + 1)
        HistoryEntry.objects.create(
            measure=measure,
            actor=user,
            action=HistoryEntry.Action.IMPORT,
            changes={"在计划中": [True, False]},
            comment=comment + "：修订版中已无此措施；因已有填报记录而保留，请大气办确认。",
        )
    return kept


def _update_measure(measure: Measure, data: dict, units: UnitBook, *, user, comment: str) -> None:
    fields = measure_fields(measure.task, measure.sequence, data)
    before = {"text": measure.text, "deadline_text": measure.deadline_text}
    for field, value in fields.items():
        setattr(measure, field, value)
    measure.version += 1
    # Only the plan's fields: status, percent and sign-off belong to the units' reporting.
    measure.save(update_fields=[*fields, "version", "updated_at"])
    measure.milestones.all().delete()
    old_units = sorted(
        {
            f"{a.get_role_display()}：{a.written_as or a.unit.name}"
            for a in measure.assignments.exclude(source=Assignment.Source.MANUAL)
        }
    )
    measure.assignments.exclude(source=Assignment.Source.MANUAL).delete()
    write_measure_children(measure, data, units)
    new_units = sorted(
        {f"{a.get_role_display()}：{a.written_as or a.unit.name}" for a in measure.assignments.all()}
    )
    changes = {k: [v, getattr(measure, k)] for k, v in before.items() if v != getattr(measure, k)}
    if old_units != new_units:
        changes["units"] = ["、".join(old_units), "、".join(new_units)]
    HistoryEntry.objects.create(
        measure=measure, actor=user, action=HistoryEntry.Action.IMPORT, changes=changes, comment=comment
    )
