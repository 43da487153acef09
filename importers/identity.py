"""Is this upload a plan we already have? Recognised by content, not by the file's bytes.

The same plan arrives as .txt, then .docx, then .xlsx, or as a revised version:
every file has another hash, and a task ledger saved as a worksheet may carry no
发文字号 and no title at all. A second copy would double every unit's 我的任务 and
every count in the notices, so an upload is matched to an existing plan by
(in order) its 发文字号, its title within its district, or the share of its
measure texts an existing plan already has.

A revision never blanks what the new file does not say (发文字号, title, years,
district, issuing body, goals): ``keep_known_fields`` fills those from the plan
before anything is shown or saved, and ``field_changes`` lists what does change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F

from tasks.models import Measure, Plan

from .metadata_fallbacks import FROM_FILE_NAME, FROM_UNITS

IN_FORCE_FIRST = F("withdrawn_at").asc(nulls_first=True)
# Share of the upload's measure texts an existing plan must have to be the same plan.
SAME_MEASURES = 0.6
_NOT_TEXT = re.compile(r"<[^>]*>|[\s\u3000，。；：、,.;:（）()“”\"'《》【】\[\]]")
KEPT_FROM_PLAN = "已导入的计划"
GUESSED_SOURCES = {FROM_FILE_NAME, FROM_UNITS}

# The plan fields an import sets, in the order the preview lists them.
PLAN_FIELDS = {
    "title": "名称",
    "issuing_body": "发文机关",
    "doc_number": "发文字号",
    "level": "层级",
    "district": "所属区",
    "year_start": "起始年份",
    "year_end": "截止年份",
    "issue_date": "印发日期",
    "goals": "目标",
}


@dataclass(frozen=True)
class PlanMatch:
    plan: Plan
    reason: str  # shown to the office: why we think it is the same plan
    shared: float  # share of the upload's measure texts the plan already has (0–1)


def normalised_text(text: str) -> str:
    return _NOT_TEXT.sub("", text or "")


def measure_texts(parsed: dict) -> set[str]:
    return {
        normalised_text(measure["text"])
        for chapter in parsed.get("chapters", [])
        for task in chapter["tasks"]
        for measure in task["measures"]
    } - {""}


def _shared_by_plan(texts: set[str], plans) -> dict[int, float]:
    """plan id → share of ``texts`` its measures have: one query over the plans' measure texts."""
    if not texts:
        return {}
    have: dict[int, set[str]] = {}
    for plan_id, text in Measure.objects.filter(task__plan__in=plans).values_list("task__plan_id", "text"):
        have.setdefault(plan_id, set()).add(normalised_text(text))
    return {plan_id: len(texts & theirs) / len(texts) for plan_id, theirs in have.items()}


def find_matching_plan(parsed: dict) -> PlanMatch | None:
    """The plan this upload is a copy or revision of, or None for a plan not imported yet."""
    texts = measure_texts(parsed)
    doc_number, title, district = parsed.get("doc_number"), parsed.get("title"), parsed.get("district", "")
    if doc_number:
        plan = Plan.objects.filter(doc_number=doc_number).order_by(IN_FORCE_FIRST, "-created_at").first()
        if plan:
            return PlanMatch(
                plan, f"发文字号相同（{doc_number}）", _shared_by_plan(texts, [plan]).get(plan.pk, 0.0)
            )
    if title:
        same_title = Plan.objects.filter(title=title)
        if district:
            same_title = same_title.filter(district__in=[district, ""])
        plan = same_title.order_by(IN_FORCE_FIRST, "-created_at").first()
        if plan:
            return PlanMatch(plan, "标题相同", _shared_by_plan(texts, [plan]).get(plan.pk, 0.0))
    # District plans often copy the city's wording: measure texts only match within one district.
    candidates = Plan.objects.all()
    if district:
        candidates = candidates.filter(district=district)
    elif parsed.get("level") == Plan.Level.MUNICIPAL:
        candidates = candidates.filter(district="")
    shared = _shared_by_plan(texts, candidates)
    if not shared:
        return None
    plan_id, best = max(shared.items(), key=lambda item: (item[1], item[0]))
    if best < SAME_MEASURES:
        return None
    plan = Plan.objects.get(pk=plan_id)
    return PlanMatch(plan, f"{round(best * 100)}% 的措施内容与之相同", best)


def _plan_value(plan: Plan, field: str):
    value = getattr(plan, field)
    if field == "issue_date":
        return value.isoformat() if value else None
    if field == "goals":
        return [line for line in value.split("\n") if line] if value else []
    return value


def keep_known_fields(parsed: dict, plan: Plan) -> list[str]:
    """Fill the fields the upload leaves empty from the plan it revises; returns the fields kept.

    A value only guessed from the file name or the units named is no news either: the plan's stays.
    """
    kept = []
    sources = parsed.setdefault("metadata_sources", {})
    for field in PLAN_FIELDS:
        source = sources.get("years" if field.startswith("year_") else field)
        missing = parsed.get(field) in (None, "", []) or source in GUESSED_SOURCES
        if missing and _plan_value(plan, field) not in (None, "", []):
            parsed[field] = _plan_value(plan, field)
            sources["years" if field.startswith("year_") else field] = KEPT_FROM_PLAN
            kept.append(field)
    return kept


def field_changes(plan: Plan, parsed: dict) -> list[dict]:
    """Every plan field the upload would change: [{"field", "label", "before", "after"}]."""
    changes = []
    for field, label in PLAN_FIELDS.items():
        before, after = _plan_value(plan, field), parsed.get(field)
        if after in (None, "", []) or after == before:
            continue
        if field == "goals":
            before, after = "\n".join(before), "\n".join(after)
        elif field == "level":
            before, after = _level_label(before), _level_label(after)
        changes.append({"field": field, "label": label, "before": before or "", "after": after})
    return changes


def _level_label(value: str) -> str:
    return str(Plan.Level(value).label) if value in Plan.Level.values else value
