"""Who does a piece of work, in the notations prose plans use to say so.

Plans from different provinces attach units to an item in different ways; all of them
are read here, into one ``Units`` record per annotation:

* labelled lines: ``牵头单位：X；责任单位：Y``, ``配合部门:Z``, several labels on one line,
  ``牵头单位及责任人：市环保局张三`` (the person is kept apart, as 责任人);
* bracketed annotations at the end of an item or sentence, in （）()〔〕【】:
  ``（X牵头，Y、Z配合，各县（市、区）政府落实）``, ``〔X牵头，Y等参与〕``,
  ``（X、Y按职责分工负责）``, ``（X负责）`` or a bare ``（市生态环境局）``;
* standing clauses inside them (``以下各项工作均需各县、区人民政府落实，不再列出``):
  their units go into ``Units.standing``, and the parser adds them to every later item.

Roles (issue 10 §3): 牵头 / 负责 → lead; 主责 / 责任单位 beside a 牵头 → responsible;
配合 / 参与 / 协办 / 落实 → assisting; a plain 责任单位 list with no 牵头 → all lead (joint).
Each record says in ``reason`` (short Chinese, shown in the preview) which rule assigned
the units. Vague names (有关部门, 相关单位 …) are not units: they go to ``vague`` for a
warning.

All matching is done on ``importers.normalise.fold(text)``, which has the same length as
the text, so every name is sliced from the original and kept as written (traditional
characters stay traditional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .unit_lists import add_unique as _add
from .unit_lists import fold, split_units  # noqa: F401 - fold re-exported for the prose parser
from .unit_names import looks_like_unit, looks_like_unit_strictly, split_person

# ----------------------------------------------------------------------------- labels

_ROLE_WORD = r"牵头|责任|主责|配合|协办|参与|实施|协助|主办|承办|(?:指导)?督办|指导|监管"
LABEL = re.compile(
    rf"(?P<role>{_ROLE_WORD})(?:单位|部门|主体|处室)(?:（[^）]{{0,8}}）)?(?P<person>及?责任人)?\s*："
    r"|(?P<deadline>完成时限|完成时间|时间节点|时限要求|完成期限|时间要求|进度要求)\s*："
    r"|(?P<only_person>责任人|责任领导)\s*："
)
LABEL_AT_START = re.compile(rf"^\s*(?:{LABEL.pattern})")

# --------------------------------------------------------------------------- annotations

_LEAD_VERB = re.compile(
    r"(?:共同|分别|具体|总)?(?:牵头(?:负责|督导|组织|落实|实施|推进|抓总)?|统筹(?:协调)?|负责(?!落实))$"
)
# 按职责分工负责: the lead when no one 牵头; beside a 牵头, the units that share the work.
_DUTY_VERB = re.compile(
    r"(?:按|根据)?(?:职责|各自职责)(?:（?分工）?)?(?:负责|落实)$|分工负责$|各负其责$|共同负责$"
)
# 列第一位者为牵头部门: in a bare list the first unit leads, the others share the work.
FIRST_IS_LEAD = re.compile(r"(?:列|排)(?:在)?(?:第一位|首位)(?:者|的)?(?:为|是)?牵头")
_ASSIST_VERB = re.compile(
    r"(?:等)?(?:(?:共同)?(?:配合|参与|协办|协助)(?:落实|实施)?|(?:负责|具体|组织|抓好|督促)?落实|具体实施)$"
)
_RESPONSIBLE_VERB = re.compile(r"(?:主责|主办|承办)$")
_STANDING = re.compile(r"以下.*落实|不再(?:一一)?列出")
_DEADLINE_WORDS = re.compile(
    r"(?:19|20)\d{2}年|\d{1,2}月|年底|年内|长期|持续|常态|每年|每月|季度|采暖季|供暖季|完成$"
)
_NOTE_BRACKET = re.compile(r"^(?:含|包括|不含|除|下同|以下简称|简称|即|如|例如|主要|其中)")
_DOC_NUMBER = re.compile(r"(?:19|20)\d{2}）?\d+号|号）?$|《")
_CLAUSE_SPLIT = "，；。"


@dataclass
class Units:
    """Units named by one annotation (names as written) and why they got their roles."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    assisting: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)  # 责任人
    vague: list[str] = field(default_factory=list)  # 有关部门 …: not units
    standing: list[str] = field(default_factory=list)  # units a standing clause adds to later items
    first_is_lead: bool = False  # the annotation says 列第一位者为牵头部门
    deadline: str = ""
    reason: str = ""
    # 区城市管理委（区交通委、区水务局）: the bracket gives the same office's other names.
    other_names: dict[str, list[str]] = field(default_factory=dict)

    def named(self) -> bool:
        return bool(self.lead or self.responsible or self.assisting)

    def merge(self, other: Units) -> None:
        for role in ("lead", "responsible", "assisting", "persons", "vague", "standing"):
            target = getattr(self, role)
            target.extend(name for name in getattr(other, role) if name not in target)
        self.deadline = self.deadline or other.deadline
        self.first_is_lead = self.first_is_lead or other.first_is_lead
        for name, names in other.other_names.items():
            _add(self.other_names.setdefault(name, []), names)
        self.reason = "；".join(r for r in (self.reason, other.reason) if r)


# ---------------------------------------------------------------------- labelled lines


def starts_with_label(text: str) -> bool:
    return LABEL_AT_START.match(fold(text)) is not None


def read_labelled(text: str) -> Units | None:
    """Units of a line of labels (``牵头单位：X；配合单位：Y  完成时限：…``), or None if it has none."""
    folded = fold(text)
    labels = list(LABEL.finditer(folded))
    if not labels:
        return None
    found = Units()
    values: list[tuple[str, re.Match, str, str]] = []
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(folded)
        value, key = text[label.end() : end], folded[label.end() : end]
        values.append((label.group("role") or "", label, value, key))
    has_lead_label = any(role == "牵头" for role, *_ in values)
    for role, label, value, key in values:
        value, key = value.strip(" ；;。，,\t"), key.strip(" ；;。，,\t")
        if label.group("deadline"):
            found.deadline = found.deadline or value
            continue
        if label.group("only_person"):
            _add(found.persons, [p for p in re.split(r"[、，,\s]+", value) if p])
            continue
        if role and _has_verb(key):  # 责任单位：X负责，Y、Z配合
            clause_units = read_annotation(value, key)
            if clause_units is not None:
                found.merge(clause_units)
                continue
        names, vague = split_units(value, key, found.other_names)
        if label.group("person"):
            names = _split_persons(names, found.persons)
        _add(found.vague, vague)
        marked, names = lead_marks(names)
        if marked:  # 责任单位：市发改委（牵头）、市住建局
            has_lead_label = True  # for the reason below: the lead is stated
            _add(found.lead, marked)
            _add(found.assisting if role in ("配合", "协办", "参与", "协助") else found.responsible, names)
            continue
        if role in ("牵头", "主办"):
            _add(found.lead, names)
        elif role in ("责任", "主责", "实施", "承办"):
            _add(found.responsible if has_lead_label else found.lead, names)
        elif (
            role.endswith(("督办", "指导", "监管"))
            and not has_lead_label
            and not found.lead
            and not any(r in ("责任", "主责", "实施", "承办") for r, *_ in values)
        ):
            _add(found.lead, names)
        else:
            _add(found.assisting, names)
    found.reason = _labelled_reason(values, has_lead_label)
    if any(role and _has_verb(key) for role, _, _, key in values):
        found.reason = f"标注行：{_short(text)}"
    return found


_LEAD_MARK = re.compile(r"（牵头(?:单位|部门)?）$|（(?:为)?牵头单位）$")


def lead_marks(names: list[str]) -> tuple[list[str], list[str]]:
    """``市发改委（牵头）、市住建局`` → (["市发改委"], ["市住建局"]); ([], names) without a mark."""
    leads, rest = [], []
    for name in names:
        mark = _LEAD_MARK.search(fold(name))
        if mark:
            leads.append(name[: mark.start()].strip())
        else:
            rest.append(name)
    return (leads, rest) if leads else ([], names)


def _has_verb(key: str) -> bool:
    return any(
        verb.search(clause.strip())
        for b, e in _clauses(key)
        for clause in [key[b:e]]
        for verb in (_LEAD_VERB, _ASSIST_VERB, _DUTY_VERB)
    )


def _split_persons(names: list[str], persons: list[str]) -> list[str]:
    units: list[str] = []
    for name in names:
        unit, person = split_person(name)
        if person:
            _add(persons, [person])
        _add(units, [unit or name])
    return units


def _labelled_reason(values, has_lead_label: bool) -> str:
    labels = "、".join(dict.fromkeys(label.group(0).rstrip("：: ") for _, label, _, _ in values))
    if not has_lead_label and any(role in ("责任", "主责", "实施", "承办") for role, *_ in values):
        return f"“{labels}”行：未写牵头单位，所列单位均作牵头（共同负责）"
    return f"“{labels}”行"


# ---------------------------------------------------------------------- bracketed notes


def bracket_spans(folded: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost （…） group, end after the closing bracket.

    A group still open at the end of the text (a repost cut off inside its last
    annotation) ends there: its end is ``len(folded) + 1``, as if closed after the text.
    """
    if "（" not in folded:
        return []
    spans, depth, start = [], 0, 0
    for index, char in enumerate(folded):
        if char == "（":
            if depth == 0:
                start = index
            depth += 1
        elif char == "）" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    if depth and len(folded) - start > 4:
        spans.append((start, len(folded) + 1))
    return spans


def find_annotations(text: str, folded: str | None = None) -> list[tuple[int, int, Units]]:
    """The unit annotations in brackets in ``text``: (start, end, units) in reading order."""
    folded = fold(text) if folded is None else folded
    found = []
    for start, end in bracket_spans(folded):
        units = read_annotation(
            text[start + 1 : end - 1], folded[start + 1 : end - 1], _at_sentence_end(folded, start, end)
        )
        if units is not None:
            found.append((start, min(end, len(text)), units))
    return found


def _at_sentence_end(folded: str, start: int, end: int) -> bool:
    before = folded[:start].rstrip()
    after = folded[end:].lstrip()
    return not before or before[-1] in "。；！" or not after or after[0] in "。；！"


def read_annotation(inner: str, folded: str | None = None, at_sentence_end: bool = True) -> Units | None:
    """Units of a bracket's contents, or None if it is not a unit annotation (a note, a number …)."""
    folded = fold(inner) if folded is None else folded
    stripped = folded.strip()
    if not stripped or _NOTE_BRACKET.match(stripped) or _DOC_NUMBER.search(stripped):
        return None
    if LABEL.search(folded):
        return read_labelled(inner)
    found = Units()
    verbless: list[tuple[str, str]] = []
    beside_lead = "牵头" in folded
    listed: list[tuple[str, str]] = []  # verbless clauses waiting for the verb of the next one
    for begin, end in _clauses(folded):
        clause, key = inner[begin:end].strip(), folded[begin:end].strip()
        if not key:
            continue
        if listed:  # 各区政府、新区管委会，市生态环境局、交通运输局负责: one list written with ，
            joined = (
                "、".join(c for c, _ in listed) + "、" + clause,
                "、".join(k for _, k in listed) + "、" + key,
            )
            if _read_clause(*joined, found, [], beside_lead) and not _is_verbless(key):
                listed = []
                continue
            verbless.extend(listed)
            listed = []
        before = len(verbless)
        if not _read_clause(clause, key, found, verbless, beside_lead):
            return None
        if len(verbless) > before:
            listed.append(verbless.pop())
    verbless.extend(listed)
    if verbless:
        if found.named() or found.standing:
            for clause, key in verbless:  # a list beside verbs: more of the same (e.g. 、 written as ，)
                names, vague = split_units(clause, key)
                _add(found.lead if not found.lead else found.assisting, names)
                _add(found.vague, vague)
        elif at_sentence_end:
            names: list[str] = []
            for clause, key in verbless:
                more, vague = split_units(clause, key)
                _add(names, more)
                _add(found.vague, vague)
            if not names or not all(
                looks_like_unit_strictly(_LEAD_MARK.sub("", fold(name))) for name in names
            ):
                return None
            marked, names = lead_marks(names)
            found.lead, found.responsible = (marked, names) if marked else (names, [])
            found.reason = f"括注（只列单位）：{_short(inner)}"
            if found.first_is_lead:
                apply_first_is_lead(found)
            return found
        else:
            return None
    if not (found.named() or found.standing or found.vague):
        return None
    found.reason = found.reason or f"括注：{_short(inner)}"
    return found


def apply_first_is_lead(units: Units) -> None:
    """列第一位者为牵头部门: the first unit of a bare list leads, the others are responsible."""
    if len(units.lead) > 1:
        units.responsible = units.lead[1:] + [n for n in units.responsible if n not in units.lead]
        units.lead = units.lead[:1]
        units.reason += "（列第一位者为牵头）"


def _clauses(folded: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for index, char in enumerate(folded):
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _CLAUSE_SPLIT:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(folded)))
    return spans


def _read_clause(clause: str, key: str, found: Units, verbless: list, beside_lead: bool = False) -> bool:
    """Add one clause's units to ``found``; False if the clause is not about units at all."""
    if FIRST_IS_LEAD.search(key):
        found.first_is_lead = True
        return True
    if key in ("下同", "以下同", "同上", "后同"):
        return True
    if _STANDING.search(key):
        names, _ = split_units(*_standing_units(clause, key))
        _add(found.standing, [n for n in names if looks_like_unit(fold(n))])
        return True
    duty_role = "responsible" if beside_lead else "lead"
    verbs = (
        (_ASSIST_VERB, "assisting"),
        (_DUTY_VERB, duty_role),
        (_LEAD_VERB, "lead"),
        (_RESPONSIBLE_VERB, "responsible"),
    )
    for verb, role in verbs:
        match = verb.search(key)
        if match is None:
            continue
        names, vague = split_units(clause[: match.start()], key[: match.start()])
        if not names and not vague:
            return role == "lead" and match.start() == 0  # a bare 负责 / 牵头 after a list clause
        if not all(looks_like_unit(fold(n)) for n in names):
            return False
        _add(getattr(found, role), names)
        _add(found.vague, vague)
        return True
    if _DEADLINE_WORDS.search(key):
        found.deadline = found.deadline or clause
        return True
    verbless.append((clause, key))
    return True


def _is_verbless(key: str) -> bool:
    return not any(verb.search(key) for verb in (_ASSIST_VERB, _DUTY_VERB, _LEAD_VERB, _RESPONSIBLE_VERB))


def _standing_units(clause: str, key: str) -> tuple[str, str]:
    """The unit list of a standing clause: 以下各项工作均需[各县、区人民政府]落实，不再列出."""
    key_core = re.sub(r"^.*?(?:均需|均由|需|由)", "", key)
    offset = len(key) - len(key_core)
    match = re.search(r"(?:负责|具体|组织)?落实|负责|实施", key_core)
    end = offset + (match.start() if match else len(key_core))
    return clause[offset:end], key[offset:end]


def _short(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
