"""A parsed plan as JSON, with its unit names resolved: ``import_plan --json`` and the preview.

The structure is documented in the README. Besides the canonical names under
``units`` each measure keeps ``units_written`` (names as the document wrote
them) and the plan keeps ``unit_resolution``, so that saving can honour the
office's decision for every name the directory did not know.
"""

from __future__ import annotations

import datetime as dt

from .normalise import fold
from .parsed import Deadline, ParsedMeasure, ParsedPlan
from .unit_names import looks_like_unit

ROLES = ("lead", "responsible", "assisting")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _deadline_json(deadline: Deadline | None) -> dict:
    if deadline is None:
        return {"kind": "plan_end"}
    return {
        "kind": deadline.kind,
        "due_date": _iso(deadline.due_date),
        "window_start": _iso(deadline.window_start),
        "window_end": _iso(deadline.window_end),
        "guessed": deadline.guessed,
        "note": deadline.note,
    }


def _chapters_json(plan: ParsedPlan, canonical, unknown: set[str]) -> tuple[list[dict], set[str]]:
    """The tree as JSON, each measure's units by role in canonical names; and every canonical name used."""
    chapters = []
    unit_names: set[str] = set()
    for chapter in plan.chapters:
        tasks = []
        for task in chapter.tasks:
            measures = []
            for measure in task.measures:
                units = {
                    role: _dedupe(n for w in getattr(measure, role) for n in canonical(w)) for role in ROLES
                }
                for names in units.values():
                    unit_names.update(names)
                measures.append(_measure_json(measure, units, unknown))
            tasks.append({"number": task.number, "title": task.title, "measures": measures})
        chapters.append({"number": chapter.number, "title": chapter.title, "tasks": tasks})
    return chapters, unit_names


def plan_as_json(plan: ParsedPlan, directory) -> dict:
    """Resolve every unit name once (cached per name) and build the JSON tree."""
    resolved: dict[str, list[tuple[str, str]]] = {}
    unknown: set[str] = set()

    def canonical(written: str) -> list[str]:
        if written not in resolved:
            # folded (importers.normalise): 區生態環境局 resolves as 区生态环境局; kept as written here
            result = directory.resolve(fold(written), district=plan.district)
            if result.known:
                resolved[written] = [(u.name, u.district) for u in result.units]
            else:
                resolved[written] = []
                unknown.add(written)
        pairs = resolved[written]
        return [name for name, _ in pairs] if pairs else [written]

    chapters, unit_names = _chapters_json(plan, canonical, unknown)
    warnings = list(plan.warnings)
    by_form, doubtful = _sort_unknown(unknown, warnings)
    return {
        "title": plan.title,
        "issuing_body": plan.issuing_body,
        "doc_number": plan.doc_number,
        "level": plan.level,
        "district": plan.district,
        "year_start": plan.year_start,
        "year_end": plan.year_end,
        "issue_date": _iso(plan.issue_date),
        "goals": list(plan.goals),
        "shape": plan.shape,
        # A table the parser could not map: the office picks each column's role in the
        # preview (parsers.headers.ROLE_LABELS), then pipeline.parse_document_with_mapping.
        "needs_column_mapping": plan.needs_column_mapping,
        "unmapped_tables": plan.unmapped_tables,
        "chapters": chapters,
        "warnings": warnings,
        "counts": {
            "chapters": len(chapters),
            "tasks": sum(len(c["tasks"]) for c in chapters),
            "measures": sum(len(t["measures"]) for c in chapters for t in c["tasks"]),
            "units": len(unit_names),
        },
        "unit_resolution": {
            "known": {w: [list(p) for p in pairs] for w, pairs in resolved.items() if pairs},
            "unknown": sorted(unknown),
            # Unknown names that have the form of a unit name (…局, …委, …政府 …) and those that do not.
            "by_form": by_form,
            "doubtful": doubtful,
        },
    }


def _sort_unknown(unknown: set[str], warnings: list[str]) -> tuple[list[str], list[str]]:
    """Unknown names with a unit's form (…局, …委, …政府) and doubtful ones, each with a warning."""
    by_form = sorted(name for name in unknown if looks_like_unit(fold(name)))
    doubtful = sorted(unknown - set(by_form))
    if by_form:
        warnings.append(
            f"有 {len(by_form)} 个单位名称不在单位名录中（按名称形式识别为单位）：{'、'.join(by_form)}，请确认对应单位。"
        )
    if doubtful:
        warnings.append(f"有 {len(doubtful)} 个名称不像单位名称，请核对：{'、'.join(doubtful)}。")
    return by_form, doubtful


def _dedupe(names) -> list[str]:
    return list(dict.fromkeys(names))


def _measure_json(measure: ParsedMeasure, units: dict, unknown: set[str]) -> dict:
    deadline = measure.deadline
    written = {role: list(getattr(measure, role)) for role in ROLES}
    has_unknown = any(w in unknown for names in written.values() for w in names)
    return {
        "code": measure.code,
        "text": measure.text,
        "deadline_text": measure.deadline_text,
        "due_date": _iso(deadline.due_date) if deadline else None,
        "deadline": _deadline_json(deadline),
        "milestones": [
            {"date": m.date.isoformat(), "text": m.text, "kind": m.kind}
            for m in (deadline.milestones if deadline else [])
        ],
        "units": units,
        "units_written": written,
        "units_inferred": measure.units_inferred,
        # Which rule of the document gave the units (e.g. "括注：市生态环境局牵头，市公安局配合"),
        # shown beside them in the preview; "" where a table's columns said it.
        "unit_rule": measure.unit_rule,
        "persons": list(measure.persons),  # 责任人 named beside the units
        "needs_review": bool(
            measure.units_inferred
            or has_unknown
            or (deadline and deadline.guessed)
            or measure.warnings
            or not written["lead"]
        ),
        "warnings": list(measure.warnings),
    }
