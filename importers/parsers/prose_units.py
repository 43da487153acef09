"""A prose task's measures and their units, from whatever notation the plan uses.

``units_of_node`` reads, for every node of the outline, the annotations in its own text
(heading and unnumbered paragraphs): that decides the task level. ``measures_of`` turns a
task node into measures:

* the heading's text after its title sentence, each unnumbered paragraph and each child
  item (with its own sub-items) is a measure; a bracketed annotation inside a paragraph
  closes a measure (``…清单编制工作。〔X牵头，Y参与〕按省的要求…（Z牵头）`` is two);
* a measure's units are its own annotation's; else the task's (a ``牵头单位：`` line, or an
  annotation on the heading); else what the text names (``由X牵头``, proposed subjects);
* a standing clause (``以下各项均需各县区政府落实，不再列出``) adds its units to the
  assisting units of every later measure of the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.numerals import parse_chinese_numeral

from ..annotations import (
    LABEL,
    Units,
    apply_first_is_lead,
    find_annotations,
    fold,
    read_labelled,
    starts_with_label,
)
from ..parsed import ParsedMeasure
from .inline_units import SUBJECT_UNITS, units_named_in
from .outline import Node

# A text left after the last annotation of a paragraph that is shorter than this is the
# end of the sentence the annotation interrupted, not a measure of its own.
SHORT_REST = 8


@dataclass
class Standing:
    """What earlier annotations said for the rest of the plan."""

    units: list[tuple[str, str]] = field(default_factory=list)  # (unit, reason): 以下各项均需X落实
    first_is_lead: bool = False  # 列第一位者为牵头部门，下同


@dataclass
class ItemUnits:
    """What a node's own text says about units."""

    own_named: bool = False
    subtree_named: bool = False
    labelled: bool = False
    bracketed: bool = False


def units_of_node(root: Node) -> dict[int, ItemUnits]:
    found: dict[int, ItemUnits] = {}

    def visit(node: Node) -> bool:
        item = ItemUnits()
        for text in [node.heading, *node.body] if node.style else []:
            if starts_with_label(text) or _inline_label_at(fold(text)) is not None:
                labelled = read_labelled(text)
                item.labelled = item.labelled or bool(labelled and (labelled.named() or labelled.vague))
            elif find_annotations(text):
                item.bracketed = True
        item.own_named = item.labelled or item.bracketed
        children = [visit(child) for child in node.children]
        item.subtree_named = item.own_named or any(children)
        found[id(node)] = item
        return item.subtree_named

    visit(root)
    return found


def _inline_label_at(folded: str) -> int | None:
    """Where a label (牵头单位：) starts inside a paragraph, after a sentence's end."""
    for match in LABEL.finditer(folded):
        start = match.start()
        if start > 0 and folded[start - 1] in "。；！" and (match.group("role") or match.group("deadline")):
            if folded.count("（", 0, start) == folded.count("）", 0, start):  # not inside a bracket
                return start
    return None


def _task_units(node: Node) -> tuple[Units, str, list[str], list[str]]:
    """The task's own units (labelled lines, heading annotation), its title and its measure texts."""
    from .prose import split_title

    title, first = split_title(node.heading)
    task_units = Units()
    annotations = find_annotations(title)
    if annotations:
        for _, _, units in annotations:
            task_units.merge(units)
        title = title[: annotations[0][0]].strip()
    texts = [first] if first else []
    after_label: list[str] = []
    labels: list[str] = []
    for paragraph in node.body:
        if labels and fold(labels[-1]).endswith("："):  # 牵头单位： / 市生态环境局 on the next line
            labels[-1] += paragraph.rstrip("。；; ")
            continue
        if starts_with_label(paragraph):
            labels.append(paragraph.rstrip("。；; "))
            after_label = []
            continue
        (after_label if labels and not node.children else texts).append(paragraph)
    labelled = read_labelled("；".join(labels)) if labels else None
    if labelled is not None:  # one reading of all the item's label lines: 责任部门 beside 牵头部门
        task_units.merge(labelled)
    return task_units, title, texts, after_label


def measures_of(
    node: Node,
    units: dict[int, ItemUnits],
    standing: Standing,
    *,
    lead_lines: bool,
    other_names: dict[str, list[str]],
    chapter_units: Units | None = None,
) -> tuple[list[ParsedMeasure], list[str]]:
    """The measures of a task node, and plan warnings about it (``other_names`` collects 甲（乙）).

    ``chapter_units``: units the chapter's heading names, for measures that name none of their own.
    """
    from .prose import split_title

    task_units, _, texts, after_label = _task_units(node)
    if not task_units.named() and chapter_units is not None and chapter_units.named():
        task_units = chapter_units
    warnings = []
    if after_label:
        warnings.append(
            f"第{node.number}条“牵头单位/部门”行之后还有{len(after_label)}段文字，未作为措施导入：“{after_label[0][:30]}…”"
        )
    pieces: list[tuple[str, Units | None]] = []
    for text in texts:
        pieces.extend(_pieces(text))
    for child in node.children:
        pieces.extend(_child_pieces(child))
    if not pieces and node.heading:
        pieces = [(node.heading, None)]
    # An annotation right after the title sentence is about that sentence: it is the measure.
    title = split_title(node.heading)[0]
    pieces = [(part, own) for text, own in pieces for part in by_enumeration(text or title)]
    if not lead_lines and not task_units.named():
        pieces = (
            [(part, None) for text, own in pieces for part in (_by_subjects(text) if own is None else [text])]
            if all(own is None for _, own in pieces)
            else pieces
        )
    measures = []
    for text, own in pieces:
        measure = ParsedMeasure(code="", text=text)
        if own is not None:
            standing.first_is_lead = standing.first_is_lead or own.first_is_lead
            if standing.first_is_lead and not own.first_is_lead and own.reason.startswith("括注（只列单位）"):
                apply_first_is_lead(own)
        _assign(measure, own, task_units, lead_lines=lead_lines, number=node.number)
        _apply_standing(measure, standing.units)
        if own is not None and own.standing:
            reason = f"统一要求：以下各项均需{'、'.join(own.standing)}落实"
            standing.units.extend((name, reason) for name in own.standing if name not in dict(standing.units))
        measures.append(measure)
    for item in [task_units, *(own for _, own in pieces if own is not None)]:
        for name, names in item.other_names.items():
            known = other_names.setdefault(name, [])
            known.extend(n for n in names if n not in known)
    return measures, warnings


def _child_pieces(child: Node) -> list[tuple[str, Units | None]]:
    """A child item is one measure: its texts joined, labelled lines read as its units."""
    own = Units()
    parts, labels = [], []
    for text in child.texts():
        (labels if starts_with_label(text) else parts).append(text)
    labelled = read_labelled("；".join(label.rstrip("。；; ") for label in labels)) if labels else None
    if labelled is not None:
        own.merge(labelled)
    joined = "".join(parts)
    pieces = _pieces(joined)
    if len(pieces) > 1:  # several annotated sentences in one item: one measure, all its units
        merged = Units()
        for _, units in pieces:
            if units is not None:
                merged.merge(units)
        text = "".join(piece for piece, _ in pieces)
        pieces = [(text, merged)]
    text, units = pieces[0] if pieces else (joined, None)
    if units is not None:
        own.merge(units)
    return [(text, own if (own.named() or own.vague or own.standing or own.deadline) else None)]


def _pieces(text: str) -> list[tuple[str, Units | None]]:
    """A paragraph cut after each bracketed annotation (and at a labelled tail)."""
    folded = fold(text)
    tail_units = None
    label_at = _inline_label_at(folded)
    if label_at is not None:
        tail_units = read_labelled(text[label_at:])
        text, folded = text[:label_at], folded[:label_at]
    pieces: list[tuple[str, Units | None]] = []
    position = 0
    for start, end, units in find_annotations(text, folded):
        piece = text[position:start].strip(" ，,；;")
        if not piece and pieces and pieces[-1][1] is not None:
            pieces[-1][1].merge(units)
        else:
            pieces.append((piece, units))  # "" when the annotation opens the text: see measures_of
        position = end
    rest = text[position:].strip()
    if pieces and len(rest.strip("。；;，, ")) < SHORT_REST:
        last_text, last_units = pieces[-1]
        pieces[-1] = (last_text + rest, last_units)
    elif rest:
        pieces.append((rest.lstrip("。；;，, "), None))
    if tail_units is not None and pieces:
        last_text, last_units = pieces[-1]
        if last_units is None:
            pieces[-1] = (last_text, tail_units)
        else:
            last_units.merge(tail_units)
    return [(piece, units) for piece, units in pieces if piece or units is not None]


def _assign(
    measure: ParsedMeasure, own: Units | None, task_units: Units, *, lead_lines: bool, number: int
) -> None:
    stated = own if own is not None and (own.named() or own.vague) else task_units
    if own is not None and own.deadline:
        measure.deadline_text = own.deadline
    elif task_units.deadline:
        measure.deadline_text = task_units.deadline
    if stated.named() or stated.vague:
        measure.lead, measure.responsible = list(stated.lead), list(stated.responsible)
        measure.assisting, measure.persons = list(stated.assisting), list(stated.persons)
        measure.unit_rule = stated.reason
        for name in stated.vague:
            measure.warnings.append(f"“{name}”不是具体单位，请指定负责的单位。")
        if not measure.lead:
            measure.warnings.append("没有写明牵头单位，请人工指定。")
        return
    if lead_lines:
        measure.warnings.append(f"第{number}条没有“牵头部门：”行，请补充牵头单位。")
        return
    _assign_from_text(measure)


def _assign_from_text(measure: ParsedMeasure) -> None:
    units = units_named_in(measure.text)
    measure.lead, measure.responsible, measure.assisting = units.lead, units.responsible, units.assisting
    measure.units_inferred = units.inferred
    if not units.lead:
        measure.warnings.append("措施文字中没有写明牵头单位，请人工指定。")
    elif units.inferred:
        measure.unit_rule = "文中未写“牵头”，按句中的实施单位建议"
        measure.warnings.append(
            f"措施文字未写“牵头”，按句中的实施单位建议牵头单位为“{'、'.join(units.lead)}”，请确认。"
        )
    else:
        measure.unit_rule = "文中写明“由…牵头”"


# 一是…；二是…；三是…: an enumeration inside a paragraph.
_ENUMERATION = re.compile(r"(?:^|(?<=[。；：，]))([一二三四五六七八九十])是")


def by_enumeration(text: str) -> list[str]:
    """``加强扬尘管控。一是…；二是…`` → one measure per 一是/二是, the opening words kept on the first.

    Only a run that starts at 一是 and counts up (二是, 三是 …) is an enumeration.
    """
    folded = fold(text)
    if "是" not in folded:
        return [text]
    starts, expected = [], 1
    for match in _ENUMERATION.finditer(folded):
        if parse_chinese_numeral(match.group(1)) == expected:
            starts.append(match.start())
            expected += 1
    if len(starts) < 2:
        return [text]
    cuts = [0, *starts[1:], len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def _by_subjects(text: str) -> list[str]:
    """区农委牵头…；区市政园林局牵头…: clauses that each open with their own unit are measures."""
    parts, start = [], 0
    folded = fold(text)
    index = folded.find("；")
    while index != -1:
        after = index + 2 if folded.startswith("由", index + 1) else index + 1  # …；由X负责…
        if SUBJECT_UNITS.match(folded, after) and start < index:
            parts.append(text[start : index + 1])
            start = index + 1
        index = folded.find("；", index + 1)
    parts.append(text[start:])
    return [part for part in parts if part.strip()]


def _apply_standing(measure: ParsedMeasure, standing: list[tuple[str, str]]) -> None:
    reasons = []
    for name, reason in standing:
        if name in measure.lead or name in measure.responsible or name in measure.assisting:
            continue
        measure.assisting.append(name)
        if reason not in reasons:
            reasons.append(reason)
    if reasons:
        measure.unit_rule = "；".join([r for r in (measure.unit_rule, *reasons) if r])
