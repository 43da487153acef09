"""Split a cell (or a 牵头部门 line) that lists responsible units into unit names, as written.

Plan tables list several units in one cell, separated by spaces, line breaks,
``、`` or ``，``. Word also wraps long names inside narrow cells, and text dumps
turn that wrap into a space or line break in the middle of a name
(``大气污染综合治理 领导小组各成员单位``, ``中关村门头沟园\\n管委会``). This module
undoes that and drops what is not a unit (``——``, tails like ``等部门``), but it
does not canonicalise names: mapping 区环保局 to 区生态环境局 is
``departments.directory``'s job.

Rules, in order:

1. Separators. Line breaks and spaces outside brackets always separate.
   ``、，,；;`` separate only in a cell that does not already use spaces or
   line breaks: beijing-2021 writes ``市科委、中关村管委会`` for one body (two
   names of one office) inside a space-separated list.
2. A bracketed note (``(含北京经济技术开发区管委会)``, ``（区新能源汽车联席会议办公室）``)
   belongs to the name before it, even when a space or line break separates
   them; the separating whitespace is dropped.
3. A wrapped name is rejoined: a fragment that does not end the way unit names
   end (委 局 办 中心 队 乡 镇 街道 单位 …) cannot be a name by itself and joins
   the fragment after it (``空气重污染应急小`` + ``组各成员单位``), unless that
   one begins the way unit names begin (区 市 各 相关 …); a fragment
   that is only a generic organ word (``管委会``, ``办公室``, ``成员单位`` …)
   names no one and joins the fragment before it.
4. ``——``/``—``/``无`` mean no unit; a generic tail (``等部门``, ``等单位``,
   ``等各相关行业主管部门``) is dropped, keeping the name before ``等``.
"""

from __future__ import annotations

import re

OPENING_BRACKETS = "（(【[〔"
CLOSING_BRACKETS = "）)】]〕"
LIST_SEPARATORS = "、，,；;"

NO_UNIT = {"", "—", "——", "–", "-", "--", "———", "无", "/", "／"}

# Last characters of real unit names in the sample plans and in Beijing's
# administration generally (区生态环境局, 各镇街, 区城指中心, 中铁三局四处, 首都精神文明办 …).
UNIT_NAME_ENDINGS = tuple("委局办处心队室部会府乡镇街道区位司院所站组团园厂社署馆台厅科村联校行关业场")

# How names of a new unit begin: a fragment starting like this is never the
# wrapped end of the fragment before it.
UNIT_NAME_STARTS = ("区", "市", "各", "相关", "有关", "首都", "北京", "中国", "国家")

# Words that name a kind of office but no office: on their own they are the
# wrapped end of the name before them.
GENERIC_ORGAN_WORDS = {
    "管委会",
    "管委",
    "管理委员会",
    "委员会",
    "办公室",
    "领导小组",
    "小组",
    "成员单位",
    "各成员单位",
    "指挥部",
}

GENERIC_TAIL_RE = re.compile(r"等(?:各|其他|有关|相关|各相关|各有关)*[^等]{0,10}(?:部门|单位|机构)$|等$")
WHITESPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")


def split_unit_cell(text: str) -> list[str]:
    """Unit names written in ``text``, in order, without duplicates (see the module docstring)."""
    if not text:
        return []
    text = text.replace("\r", "\n").replace("\u3000", " ").replace("\u00a0", " ").strip()
    if text in NO_UNIT:
        return []
    fragments = _split_outside_brackets(text)
    names = _rejoin_fragments(fragments)
    result: list[str] = []
    for name in names:
        name = _drop_generic_tail(name).strip(" 。.;；,，、")
        if name in NO_UNIT or name.startswith("等"):
            continue
        if name not in result:
            result.append(name)
    return result


def _split_outside_brackets(text: str) -> list[str]:
    """Fragments separated by whitespace (and list punctuation if the cell uses no whitespace)."""
    use_punctuation = not _has_whitespace_outside_brackets(text)
    fragments: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in OPENING_BRACKETS:
            depth += 1
        elif char in CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif depth == 0 and (char.isspace() or (use_punctuation and char in LIST_SEPARATORS)):
            if current:
                fragments.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        fragments.append("".join(current))
    return [fragment for fragment in fragments if fragment.strip()]


def _has_whitespace_outside_brackets(text: str) -> bool:
    depth = 0
    seen_text = False
    pending_space = False
    for char in text:
        if char in OPENING_BRACKETS:
            if pending_space:
                pending_space = False  # a space before a note does not separate units
            depth += 1
        elif char in CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif depth == 0 and char.isspace():
            pending_space = seen_text
            continue
        if pending_space:
            return True
        seen_text = True
    return False


def _rejoin_fragments(fragments: list[str]) -> list[str]:
    names: list[str] = []
    for fragment in fragments:
        if names and (
            fragment[0] in OPENING_BRACKETS
            or fragment in GENERIC_ORGAN_WORDS
            or (not _ends_like_unit_name(names[-1]) and not fragment.startswith(UNIT_NAME_STARTS))
        ):
            names[-1] += fragment
        else:
            names.append(fragment)
    return names


def _ends_like_unit_name(name: str) -> bool:
    name = name.rstrip(" 。.;；,，、")
    if name in NO_UNIT:
        return True  # —— stands on its own
    if name and name[-1] in CLOSING_BRACKETS:
        return True  # a name with its note is complete
    if GENERIC_TAIL_RE.search(name):
        return True
    return name.endswith(UNIT_NAME_ENDINGS) or not _is_chinese(name[-1:])


def _is_chinese(char: str) -> bool:
    return bool(char) and "\u4e00" <= char <= "\u9fff"


def _drop_generic_tail(name: str) -> str:
    match = GENERIC_TAIL_RE.search(name)
    if match is None:
        return name
    return name[: match.start()]


# --- recognising unit names by their form ------------------------------------------------

# How the names of government bodies, their branches and enterprises end, anywhere in China
# (市生态环境局, 省发展改革委, 县人民政府, 经开区管委会, 交警支队, 城投集团, 东城街道, 某某镇 …).
UNIT_FORM_ENDINGS = (
    "局",
    "委",
    "办",
    "厅",
    "中心",
    "政府",
    "管委会",
    "委员会",
    "办公室",
    "支队",
    "大队",
    "中队",
    "公司",
    "集团",
    "街道",
    "办事处",
    "乡",
    "镇",
    "分局",
    "处",
    "站",
    "所",
    "院",
    "部",
    "署",
    "会",
    "团",
    "联",
    "社",
    "行",
    "园区",
    "园",
    "开发区",
    "新区",
    "指挥部",
    "领导小组",
    "小组",
    "成员单位",
    "部门",
    "单位",
    "机关",
    "校",
    "馆",
    "台",
    "科",
    "室",
    "队",
    "区",
    "县",
    "市",
    "旗",
    "盟",
    "州",
    "场",
    "厂",
    "司",
    "总队",
    "企业",
)
_BRACKET_NOTES = re.compile(r"[（(][^（()）]*[)）]")
# 有关部门, 相关单位, 各有关单位, 其他相关部门 …: words for "whoever is concerned", not units.
VAGUE_UNIT_RE = re.compile(
    r"^(?:各|其他|其它|全市|全区|全县|市|区|县)?(?:有关|相关)(?:的)?(?:职能|行业)?(?:主管)?(?:部门|单位|机构|方面)(?:和单位|及单位)?$"
    r"|^(?:各|有关|相关)?(?:责任|成员)?(?:部门|单位)$"
)
_PERSON_TITLES = (
    "副局长",
    "局长",
    "副主任",
    "主任",
    "副书记",
    "书记",
    "副区长",
    "区长",
    "副市长",
    "市长",
    "副县长",
    "县长",
    "副处长",
    "处长",
    "科长",
    "所长",
    "队长",
    "总经理",
    "经理",
    "负责人",
    "同志",
)
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def looks_like_unit(name: str) -> bool:
    """Whether ``name`` (folded: see importers.normalise) has the form of a unit name.

    The directory knows the units of the office's own city; a plan from anywhere else still
    names its units in the same forms, so a name is taken as a unit when it ends like one
    (…局, …委, …政府, …管委会, …支队, …公司, …街道, …镇 …), notes in brackets aside.
    """
    core = _BRACKET_NOTES.sub("", name).strip()
    while core and core[-1] in "）)":
        core = core[:-1]
    if not 2 <= len(core) <= 40 or is_vague_unit(core):
        return False
    return core.endswith(UNIT_FORM_ENDINGS)


# Endings that only unit names have: enough to take a bare bracketed list as units.
STRONG_UNIT_ENDINGS = (
    "局",
    "委",
    "厅",
    "政府",
    "办",
    "办公室",
    "中心",
    "管委会",
    "委员会",
    "支队",
    "大队",
    "公司",
    "集团",
    "街道",
    "办事处",
    "指挥部",
    "领导小组",
    "成员单位",
    "总队",
    "分局",
    "镇",
    "署",
)
_PLACE_PREFIX = re.compile(r"^(?:各|省|市|区|县|[\u4e00-\u9fff]{1,4}(?:省|市|区|县|州|旗))")


def looks_like_unit_strictly(name: str) -> bool:
    """A unit name by form even without a verb beside it: a strong ending, or a place prefix and a unit ending."""
    core = _BRACKET_NOTES.sub("", name).strip()
    if not looks_like_unit(name):
        return False
    if core.endswith(STRONG_UNIT_ENDINGS):
        return True
    prefix = _PLACE_PREFIX.match(core)  # 市公路段, 区环卫所: a place, then the unit's own name
    return prefix is not None and prefix.end() + 2 <= len(core)  # not 市区, 县区


def is_vague_unit(name: str) -> bool:
    """有关部门, 相关单位, 各有关单位 …: a word for whoever is concerned, to be named by the office."""
    return VAGUE_UNIT_RE.match(_BRACKET_NOTES.sub("", name).strip()) is not None


def split_person(written: str) -> tuple[str, str]:
    """``市环保局张三`` → (``市环保局``, ``张三``); ``市环保局局长张三`` → (``市环保局``, ``局长张三``).

    Used for ``牵头单位及责任人`` lines: the person after a unit name is its 责任人, not part
    of the unit's name. A name with nothing after its unit ending gives (name, "").
    """
    text = written.strip()
    for cut in range(2, len(text) - 1):
        unit, rest = text[:cut], text[cut:]
        if not unit.endswith(UNIT_FORM_ENDINGS[:18]):
            continue
        person = rest.strip(" （()）:：")
        bare = person
        for title in _PERSON_TITLES:
            if bare.startswith(title):
                bare = bare[len(title) :]
                break
        if (
            _PERSON_NAME.match(bare)
            and not bare.startswith(UNIT_FORM_ENDINGS)
            and not bare.endswith(UNIT_FORM_ENDINGS[:18])
        ):
            return unit, person
    return text, ""
