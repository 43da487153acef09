"""Units named in the text of a prose plan: 牵头部门 lines (西城) and running text (朝阳).

* ``split_lead_line``: the units of a Beijing-style ``牵头部门：`` line, where a bracket after
  a unit gives the office's other names (``区城市管理委（区交通委、区水务局）``).
* ``units_named_in``: who a measure's running text says does the work, when the plan
  attaches no units to its items: ``由区交通委牵头``, ``区住房城乡建设委牵头组织``,
  ``区环保局统筹协调``, or units that are only a clause's subject (``朝阳交通支队加大…``),
  which are *proposed* (``inferred``) for the office to confirm.

Moved out of ``prose.py`` (which re-exports both) when the prose parser learnt every
numbering depth and annotation notation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------- lead lines (西城)

# 等各相关行业主管部门, 等部门, 等单位: a generic tail after the last named unit.
GENERIC_TAIL = re.compile(r"等(?:各)?(?:相关|有关)?(?:行业)?(?:主管)?(?:部门|单位)$")
# A bracket after a unit that is a note on it (含…) rather than the office's other names.
NOTE_BRACKET = re.compile(r"^(?:含|包括|不含|除)")
_UNIT_SEPARATORS = "、，,；;"
_OPENING_BRACKETS = "（("
_CLOSING_BRACKETS = "）)"


@dataclass
class LeadUnit:
    """One unit of a lead line: its name and the other names written in brackets after it."""

    name: str
    other_names: list[str] = field(default_factory=list)


def split_lead_line(text: str) -> list[LeadUnit]:
    """Split a 牵头部门 line's units.

    ``区城市管理委（区交通委、区水务局）、区环卫中心`` → 区城市管理委 (also written
    区交通委, 区水务局) and 区环卫中心. Separators inside brackets do not split;
    ``等各相关行业主管部门`` tails are dropped; ``（含…）`` notes stay on their unit.
    """
    units: list[LeadUnit] = []
    name_chars: list[str] = []
    bracket_chars: list[str] = []
    depth = 0
    current: LeadUnit | None = None

    def finish_unit() -> None:
        nonlocal current
        name = GENERIC_TAIL.sub("", "".join(name_chars).strip(" 。.")).strip()
        if current is not None and name:
            current.name = name
            units.append(current)
        name_chars.clear()
        current = None

    for char in text:
        if depth == 0 and char in _UNIT_SEPARATORS:
            finish_unit()
            continue
        if current is None:
            current = LeadUnit(name="")
        if char in _OPENING_BRACKETS:
            depth += 1
            if depth == 1:
                bracket_chars.clear()
                continue
        elif char in _CLOSING_BRACKETS and depth > 0:
            depth -= 1
            if depth == 0:
                inside = "".join(bracket_chars).strip()
                if NOTE_BRACKET.match(inside):
                    name_chars.append(f"（{inside}）")
                else:
                    current.other_names.extend(
                        n for n in re.split(rf"[{_UNIT_SEPARATORS}]", inside) if n.strip()
                    )
                continue
        if depth > 0:
            bracket_chars.append(char)
        else:
            name_chars.append(char)
    finish_unit()
    return [u for u in units if u.name not in ("——", "—", "-", "无")]


# -------------------------------------------------------------- units in running text (朝阳)

# Short names of Beijing's districts, which prefix units such as 朝阳交通支队, 西城工商分局.
_DISTRICT_PREFIXES = "东城|西城|朝阳|海淀|丰台|石景山|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆"
# Characters that end a unit name in running text: function words and list separators.
_NAME_CHAR = r"(?:(?![的和与及或等在对为将把向从由按各])[\u4e00-\u9fff])"
_NAMED_UNIT = (
    rf"(?:区|市|县|省|北京市|{_DISTRICT_PREFIXES}){_NAME_CHAR}{{1,10}}?"
    r"(?:委员会|委|局|厅|办公室|办|支队|大队|分局|中心|公司|集团|部(?!门)|工会|政府|公路段)"
)
_GROUP_UNIT = (
    r"各街乡镇?|各镇街|各街道(?:办事处)?|各乡镇|各地区办事处|各行业主管部门"
    r"|(?:各|区属)?(?:有关|相关)(?:职能|行业)?主管部门|(?:各|区属)(?:有关|相关)(?:职能)?部门"
)
_UNIT = rf"(?:团区委|区妇联|区总工会|{_GROUP_UNIT}|{_NAMED_UNIT})"
_UNIT_LIST = rf"{_UNIT}(?:[、和及]{_UNIT})*"
_GENERIC_COLLECTIVE = r"(?:等(?:部门|单位))?"

UNIT_IN_TEXT = re.compile(_UNIT)
# 由区交通委牵头, 区住房城乡建设委牵头组织, 区环保局统筹协调, 由区环保局、区发展改革委牵头
EXPLICIT_LEAD = re.compile(
    rf"(?:由)?({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:负责|共同)?(?:牵头|统筹协调)"
    rf"|由({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:具体)?负责(?!人)"  # 由区环卫局负责进一步加强…
)
LEAD_VERB = re.compile(r"牵头|统筹协调")
# 会同区环保局、区科委等单位以及各街乡; 区环保局等部门参与
ASSISTING_WITH = re.compile(rf"会同({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:以及({_UNIT_LIST}))?")
ASSISTING_BY = re.compile(rf"({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:参与|配合|协助|协办)")
# A unit list opening a clause and followed by a verb: the unit acts (朝阳交通支队加大…).
SUBJECT_UNITS = re.compile(
    rf"(?:^|(?<=[。；，：]))({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?![的、])(?=[\u4e00-\u9fff])"
)
SENTENCE = re.compile(r"[^。；]+[。；]?")


def units_in(unit_list: str) -> list[str]:
    """The unit names of a matched unit list (区环保局、区发展改革委 → both)."""
    return UNIT_IN_TEXT.findall(unit_list)


def _add_unique(target: list[str], names: list[str]) -> None:
    for name in names:
        if name not in target:
            target.append(name)


@dataclass
class UnitsInText:
    """Who a measure's text says does the work."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    assisting: list[str] = field(default_factory=list)
    inferred: bool = False


def units_named_in(text: str) -> UnitsInText:
    """Read lead, responsible and assisting units from a measure's running text.

    Units named with 牵头/统筹协调 are the lead. Without those, the units that are
    the subject of a clause become the (inferred) lead; with them, those other
    acting units are the responsible units. Units after 会同 or before 参与/配合
    are assisting.
    """
    found = UnitsInText()
    explicit_spans: list[tuple[int, int]] = []
    for match in EXPLICIT_LEAD.finditer(text):
        _add_unique(found.lead, units_in(match.group(1) or match.group(2)))
        explicit_spans.append(match.span())
    # 区住房城乡建设委按照全市统一要求，负责牵头制订…: the sentence's subject leads.
    for sentence in SENTENCE.finditer(text):
        for verb in LEAD_VERB.finditer(sentence.group()):
            position = sentence.start() + verb.start()
            if any(start <= position < end for start, end in explicit_spans):
                continue
            opening = SUBJECT_UNITS.match(text, sentence.start())
            before_verb = text[sentence.start() : position]
            if opening and len(UNIT_IN_TEXT.findall(before_verb)) == len(units_in(opening.group(1))):
                _add_unique(found.lead, units_in(opening.group(1)))

    for match in ASSISTING_WITH.finditer(text):
        _add_unique(found.assisting, units_in(match.group(1)) + units_in(match.group(2) or ""))
    for match in ASSISTING_BY.finditer(text):
        _add_unique(found.assisting, units_in(match.group(1)))

    acting: list[str] = []
    for match in SUBJECT_UNITS.finditer(text):
        following = text[match.end() : match.end() + 2]
        if following.startswith(("参与", "配合", "协助", "协办")):
            continue
        _add_unique(acting, units_in(match.group(1)))
    acting = [name for name in acting if name not in found.lead and name not in found.assisting]

    if found.lead:
        found.responsible = acting
    else:
        found.lead = acting
        found.inferred = bool(acting)
    found.assisting = [name for name in found.assisting if name not in found.lead]
    return found
