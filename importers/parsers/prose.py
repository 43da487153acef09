"""Read plans written as prose: chapters 一、… holding numbered items （一）….

Two shapes occur in practice, and both are read here:

* ``prose_lead_lines`` (e.g. 西城区三年行动计划, extracted from a PDF): every item ends
  with a ``牵头部门：`` line listing its lead units, and every measure of the item
  gets those units as its lead.
* ``prose_inline_leads`` (e.g. 朝阳区三年行动计划): there is no lead line; the text
  itself names the units (``由区交通委牵头``, ``区环保局统筹协调``,
  ``朝阳交通支队加大…``). Units named with 牵头/统筹协调 are the lead; units that
  are only the subject of a sentence are *proposed* as lead (``units_inferred``)
  for the office to confirm.

A PDF's text comes with a hard line break every ~28 characters; the lines are
first rejoined into paragraphs (``rejoin_wrapped_lines``). The paragraphs of an
item are its measures; the item's heading up to its first 。 is the task title.
Items on the plan's requirements and goals (总体要求, 总体目标, …) go to
``plan.goals``, not to the tasks.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.numerals import parse_chinese_numeral

from ..documents import Document
from ..parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask

# --------------------------------------------------------------------------- numbering

def chinese_number(numeral: str) -> int | None:
    """一 → 1, 十五 → 15, 三十五 → 35; None for what only looks like a numeral (一一)."""
    return parse_chinese_numeral(numeral)


_NUMERAL = "[一二三四五六七八九十]"
CHAPTER_HEADING = re.compile(rf"^({_NUMERAL}{{1,3}})、\s*(\S.*)$")
ITEM_HEADING = re.compile(rf"^[（(]({_NUMERAL}{{1,4}})[）)]\s*(.*)$")
LEAD_LINE = re.compile(r"^(?:牵头(?:部门|单位)|责任(?:部门|单位))\s*[：:]\s*(.*)$")
# The document's own end: the distribution list or the "…日印发" line. What follows
# in PDF extractions is a garbage tail repeating fragments of earlier items.
DOCUMENT_END = re.compile(r"^(?:抄送|抄报|分送)[：:]|日\s*印发\s*$")
PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
# Items about the plan as a whole rather than a piece of work.
GOAL_ITEM_TITLE = re.compile(r"^(?:总体|主要|工作|基本)?(?:要求|目标|原则)|^指导思想")

# ------------------------------------------------------------------ rejoining PDF lines

_SENTENCE_END = "。！？；："
FIRST_LINE_INDENT = 2
# A page's text width, in Chinese characters, for any paper and font size in use.
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 16, 60
# A measure paragraph typically opens with a short title sentence (加快充电基础设施建设。);
# after a full line ending in 。 such an opening means a new paragraph.
TITLE_SENTENCE_START = re.compile(r"^[^，。；：,;]{2,18}。")
# Spaces a PDF extraction puts around digits and Latin letters inside Chinese text
# (到 2020 年, PM2.5 年均浓度): they are not in the original.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…"
SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")


def normalise_spacing(text: str) -> str:
    """Drop the spaces between Chinese and anything else (到 2020 年 → 到2020年)."""
    return SPACE_NEXT_TO_CJK.sub("", text.strip())


def display_width(line: str) -> float:
    """Width in Chinese characters: Latin letters, digits and spaces count half."""
    return sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in line)


def _typical_line_width(widths: list[float]) -> float | None:
    """The width of a full line if the text is hard-wrapped, else None.

    Hard-wrapped text has most of its lines at one width (±1 character); text with
    one paragraph a line has widths all over the place.
    """
    long_enough = [round(w) for w in widths if w >= 10]
    if len(long_enough) < 10:
        return None
    mode, _ = Counter(long_enough).most_common(1)[0]
    near_mode = sum(1 for w in long_enough if abs(w - mode) <= 1)
    if not MIN_WRAP_WIDTH <= mode <= MAX_WRAP_WIDTH or near_mode < 0.4 * len(long_enough):
        return None
    return float(mode)


def rejoin_wrapped_lines(lines: list[str]) -> list[str]:
    """Turn a document's lines into paragraphs, undoing a PDF's hard line breaks.

    Blank lines and page numbers are dropped. If the lines are hard-wrapped, a line
    continues the previous one unless it opens a heading, an item or a lead line,
    or the previous line ended the paragraph: it stopped short of a full line, or
    it ended a sentence and this line opens with a short title sentence.
    """
    stripped = [line.strip() for line in lines]
    stripped = [line for line in stripped if line and not PAGE_NUMBER.match(line)]
    widths = [display_width(line) for line in stripped]
    full_width = _typical_line_width(widths)
    if full_width is None:
        return [normalise_spacing(line) for line in stripped]

    # A paragraph's first line is indented by two characters, so it is full earlier.
    short_of_full = full_width - 1.5
    short_of_full_first_line = short_of_full - FIRST_LINE_INDENT
    paragraphs: list[list[str]] = []
    previous_ended_paragraph = True
    previous_line = ""
    for line, width in zip(stripped, widths):
        starts_paragraph = (
            previous_ended_paragraph
            or ITEM_HEADING.match(line) is not None
            or LEAD_LINE.match(line) is not None
            or (CHAPTER_HEADING.match(line) is not None and width < short_of_full_first_line)
            or (previous_line[-1] in _SENTENCE_END and TITLE_SENTENCE_START.match(line) is not None)
        )
        if starts_paragraph:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
        is_first_line = len(paragraphs[-1]) == 1
        previous_ended_paragraph = width < (short_of_full_first_line if is_first_line else short_of_full)
        previous_line = line
    return [normalise_spacing("".join(parts)) for parts in paragraphs]


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
    rf"(?:区|市|北京市|{_DISTRICT_PREFIXES}){_NAME_CHAR}{{1,10}}?"
    r"(?:委员会|委|局|办公室|办|支队|大队|分局|中心|公司|部(?!门)|工会)"
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
EXPLICIT_LEAD = re.compile(rf"(?:由)?({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:负责|共同)?(?:牵头|统筹协调)")
LEAD_VERB = re.compile(r"牵头|统筹协调")
# 会同区环保局、区科委等单位以及各街乡; 区环保局等部门参与
ASSISTING_WITH = re.compile(rf"会同({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:以及({_UNIT_LIST}))?")
ASSISTING_BY = re.compile(rf"({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?:参与|配合|协助|协办)")
# A unit list opening a clause and followed by a verb: the unit acts (朝阳交通支队加大…).
SUBJECT_UNITS = re.compile(rf"(?:^|(?<=[。；，：]))({_UNIT_LIST}){_GENERIC_COLLECTIVE}(?![的、])(?=[\u4e00-\u9fff])")
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
        _add_unique(found.lead, units_in(match.group(1)))
        explicit_spans.append(match.span())
    # 区住房城乡建设委按照全市统一要求，负责牵头制订…: the sentence's subject leads.
    for sentence in SENTENCE.finditer(text):
        for verb in LEAD_VERB.finditer(sentence.group()):
            position = sentence.start() + verb.start()
            if any(start <= position < end for start, end in explicit_spans):
                continue
            opening = SUBJECT_UNITS.match(text, sentence.start())
            before_verb = text[sentence.start():position]
            if opening and len(UNIT_IN_TEXT.findall(before_verb)) == len(units_in(opening.group(1))):
                _add_unique(found.lead, units_in(opening.group(1)))

    for match in ASSISTING_WITH.finditer(text):
        _add_unique(found.assisting, units_in(match.group(1)) + units_in(match.group(2) or ""))
    for match in ASSISTING_BY.finditer(text):
        _add_unique(found.assisting, units_in(match.group(1)))

    acting: list[str] = []
    for match in SUBJECT_UNITS.finditer(text):
        following = text[match.end():match.end() + 2]
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


# ------------------------------------------------------------------------------ the parser


@dataclass
class _Item:
    number: int
    paragraphs: list[str]
    lead_line: str | None = None
    trailing: list[str] = field(default_factory=list)  # text after the lead line


@dataclass
class _Chapter:
    number: int
    title: str
    items: list[_Item] = field(default_factory=list)


def _paragraphs_of(doc: Document) -> list[str]:
    lines: list[str] = []
    for paragraph in doc.paragraphs:
        lines.extend(paragraph.split("\n"))
    return rejoin_wrapped_lines(lines)


def _read_outline(paragraphs: list[str]) -> tuple[list[_Chapter], list[str]]:
    """Group paragraphs into chapters and items; stop at the document's end."""
    chapters: list[_Chapter] = []
    warnings: list[str] = []
    item: _Item | None = None
    for paragraph in paragraphs:
        if DOCUMENT_END.search(paragraph) and (chapters or item):
            break
        chapter_match = CHAPTER_HEADING.match(paragraph)
        if chapter_match and "。" not in chapter_match.group(2) and chinese_number(chapter_match.group(1)):
            chapters.append(_Chapter(chinese_number(chapter_match.group(1)), chapter_match.group(2).strip()))
            item = None
            continue
        item_match = ITEM_HEADING.match(paragraph)
        if item_match and chinese_number(item_match.group(1)):
            if not chapters:
                chapters.append(_Chapter(1, ""))
                warnings.append("文件在第一个编号条目之前没有“一、”这样的章标题，已将条目归入第1章。")
            item = _Item(chinese_number(item_match.group(1)), [item_match.group(2).strip()])
            chapters[-1].items.append(item)
            continue
        if item is None:
            continue  # preamble or a chapter's introduction
        lead_match = LEAD_LINE.match(paragraph)
        if lead_match:
            if item.lead_line is None:
                item.lead_line = lead_match.group(1)
            else:
                item.lead_line += "、" + lead_match.group(1)
        elif item.lead_line is not None:
            item.trailing.append(paragraph)
        else:
            item.paragraphs.append(paragraph)
    return chapters, warnings


def _title_and_first_text(heading: str) -> tuple[str, str]:
    """（三）大力推进车辆电动化。提高… → ("大力推进车辆电动化", "提高…")."""
    title, period, rest = heading.partition("。")
    if not period:
        return heading.strip(), ""
    return title.strip(), rest.strip()


def _is_goal_item(item: _Item, title: str) -> bool:
    return item.lead_line is None and GOAL_ITEM_TITLE.match(title) is not None


def parse_prose(doc: Document) -> ParsedPlan | None:
    """Parse a prose plan, or return None if it has no 一、/（一） numbered structure."""
    paragraphs = _paragraphs_of(doc)
    chapters, warnings = _read_outline(paragraphs)
    if not any(chapter.items for chapter in chapters):
        return None

    has_lead_lines = any(item.lead_line is not None for chapter in chapters for item in chapter.items)
    plan = ParsedPlan(shape="prose_lead_lines" if has_lead_lines else "prose_inline_leads", warnings=warnings)
    also_written_as: dict[str, list[str]] = {}
    previous_number = 0

    for chapter in chapters:
        parsed_chapter = ParsedChapter(number=chapter.number, title=chapter.title)
        plan.chapters.append(parsed_chapter)
        for item in chapter.items:
            if item.number != previous_number + 1:
                plan.warnings.append(
                    f"条目编号不连续：第{previous_number}条之后是第{item.number}条，请核对是否有遗漏或重复。"
                )
            previous_number = item.number
            title, first_text = _title_and_first_text(item.paragraphs[0])
            texts = ([first_text] if first_text else []) + item.paragraphs[1:]

            if _is_goal_item(item, title):
                plan.goals.extend(texts or [title])
                continue
            if not texts:
                texts = [item.paragraphs[0]]
            task = ParsedTask(number=item.number, title=title)
            parsed_chapter.tasks.append(task)

            if has_lead_lines:
                _add_measures_with_lead_line(task, item, texts, also_written_as, plan)
            else:
                _add_measures_with_inline_leads(task, texts)

    for name, other_names in also_written_as.items():
        plan.warnings.append(
            f"牵头部门“{name}（{'、'.join(other_names)}）”：括号内是同一单位的其他名称，"
            f"已按“{name}”导入。"
        )
    return plan


def _add_measures_with_lead_line(
    task: ParsedTask,
    item: _Item,
    texts: list[str],
    also_written_as: dict[str, list[str]],
    plan: ParsedPlan,
) -> None:
    lead_units = split_lead_line(item.lead_line or "")
    for unit in lead_units:
        if unit.other_names:
            _add_unique(also_written_as.setdefault(unit.name, []), unit.other_names)
    lead = [unit.name for unit in lead_units]
    measure_warnings: list[str] = []
    if item.lead_line is None:
        measure_warnings.append(f"第{item.number}条没有“牵头部门：”行，请补充牵头单位。")
    elif not lead:
        measure_warnings.append(f"第{item.number}条的“牵头部门：”行没有写单位，请补充牵头单位。")
    if item.trailing:
        plan.warnings.append(
            f"第{item.number}条“牵头部门”行之后还有{len(item.trailing)}段文字，未作为措施导入："
            f"“{item.trailing[0][:30]}…”"
        )
    for text in texts:
        task.measures.append(ParsedMeasure(code="", text=text, lead=list(lead), warnings=list(measure_warnings)))


def _add_measures_with_inline_leads(task: ParsedTask, texts: list[str]) -> None:
    for text in texts:
        units = units_named_in(text)
        measure = ParsedMeasure(
            code="",
            text=text,
            lead=units.lead,
            responsible=units.responsible,
            assisting=units.assisting,
            units_inferred=units.inferred,
        )
        if not units.lead:
            measure.warnings.append("措施文字中没有写明牵头单位，请人工指定。")
        elif units.inferred:
            measure.warnings.append(
                f"措施文字未写“牵头”，按句中的实施单位建议牵头单位为“{'、'.join(units.lead)}”，请确认。"
            )
        task.measures.append(measure)
