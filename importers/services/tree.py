"""Writing a parsed tree: chapters, tasks, measures, milestones and assignments.

One upsert serves a new plan and a revision alike (``write_tree``): chapters
and tasks are matched by number, and only measures not already saved are
created, after the task's existing ones.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from departments.models import Jurisdiction, Unit
from tasks.models import Assignment, Chapter, Measure, Milestone, Plan, Task

from ..errors import PlanImportError
from ..plan_json import ROLES


class UnitBook:
    """Turns resolved names into Unit rows, creating what the office chose to create."""

    def __init__(self, parsed: dict, decisions: dict):
        self.district = parsed.get("district", "")
        # A unit the office creates at import belongs where the plan does (its district, or the city).
        self.jurisdiction = Jurisdiction.objects.filter(code=parsed.get("jurisdiction") or None).first()
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
            district=self.district,
            name=written[:120],
            defaults={"kind": Unit.Kind.OTHER, "needs_review": True, "jurisdiction": self.jurisdiction},
        )
        if created:
            self.created_names.append(written)
        self.by_key[(unit.name, unit.district)] = unit
        self.known[written] = [[unit.name, unit.district]]
        return [unit]


def parsed_measures_by_key(parsed: dict) -> dict[tuple, dict]:
    """(task number, code) → measure data; measures without a code get ``task-sequence``."""
    out = {}
    for chapter in parsed["chapters"]:
        for task in chapter["tasks"]:
            for sequence, data in enumerate(task["measures"], start=1):
                code = data.get("code") or f"{task['number']}-{sequence}"
                out[(task["number"], code)] = dict(data, code=code)
    return out


def write_tree(plan: Plan, parsed: dict, units: UnitBook, *, saved: frozenset = frozenset()) -> None:
    """Upsert chapters and tasks; create every measure whose (task number, code) is not in ``saved``."""
    last_sequence = dict(
        Measure.objects.filter(task__plan=plan).values_list("task__number").annotate(Max("sequence"))
    )
    for chapter_data in parsed["chapters"]:
        chapter, _ = Chapter.objects.update_or_create(
            plan=plan, number=chapter_data["number"], defaults={"title": chapter_data["title"][:200]}
        )
        for task_data in chapter_data["tasks"]:
            task, _ = Task.objects.update_or_create(
                plan=plan,
                number=task_data["number"],
                defaults={"title": task_data["title"][:300], "chapter": chapter},
            )
            next_sequence = last_sequence.get(task.number, 0) + 1  # new measures go after the existing ones
            for position, data in enumerate(task_data["measures"], start=1):
                code = data.get("code") or f"{task.number}-{position}"
                if (task.number, code) in saved:
                    continue
                create_measure(task, next_sequence, dict(data, code=code), units)
                next_sequence += 1


def create_measure(task: Task, sequence: int, data: dict, units: UnitBook) -> Measure:
    measure = Measure.objects.create(task=task, sequence=sequence, **measure_fields(task, sequence, data))
    write_measure_children(measure, data, units)
    return measure


def measure_fields(task: Task, sequence: int, data: dict) -> dict:
    deadline = data.get("deadline") or {}
    kind = deadline.get("kind") or Measure.DeadlineKind.PLAN_END
    due = data.get("due_date")
    return {
        "code": (data.get("code") or f"{task.number}-{sequence}")[:20],
        "text": data["text"],
        "deadline_text": data.get("deadline_text", "")[:200],
        "deadline_kind": kind,
        "due_date": None
        if kind == Measure.DeadlineKind.ONGOING
        else (dt.date.fromisoformat(due) if due else None),
        "window_start": _date_or_none(deadline.get("window_start")),
        "window_end": _date_or_none(deadline.get("window_end")),
        "deadline_guessed": bool(deadline.get("guessed")),
        "deadline_note": (deadline.get("note") or "")[:300],
        "needs_review": bool(data.get("needs_review")),
    }


def _date_or_none(value):
    return dt.date.fromisoformat(value) if value else None


def write_measure_children(measure: Measure, data: dict, units: UnitBook) -> None:
    Milestone.objects.bulk_create(
        [
            Milestone(
                measure=measure,
                date=dt.date.fromisoformat(m["date"]),
                text=m["text"][:100],
                kind=m.get("kind", Milestone.Kind.DUE),
            )
            for m in _unique_milestones(data.get("milestones", []))
        ]
    )
    assignments = {}
    inferred = bool(data.get("units_inferred"))
    for role in ROLES:
        for written in data.get("units_written", {}).get(role, []):
            for unit in units.units_for(written):
                assignments.setdefault(
                    (unit.pk, role),
                    Assignment(
                        measure=measure,
                        unit=unit,
                        role=role,
                        written_as=written[:200],
                        source=Assignment.Source.INFERRED if inferred else Assignment.Source.STATED,
                        confirmed=not inferred,
                    ),
                )
    Assignment.objects.bulk_create(assignments.values())


def _unique_milestones(milestones: list[dict]) -> list[dict]:
    seen, out = set(), []
    for m in milestones:
        key = (m["date"], m["text"][:100])
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
