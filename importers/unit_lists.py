"""A written list of units split into names: ``市生态环境局、市场监管局``, ``各县、区人民政府（管委会）``.

Used by ``importers.annotations`` for labelled lines and bracketed annotations. Names are
sliced from the text as written; matching runs on the folded text
(``importers.normalise.fold``, same length), cached per paragraph here because the prose
parser matches each paragraph several times (to choose the levels, then to read its units).
"""

from __future__ import annotations

import functools
import re

from .normalise import fold as _fold_uncached
from .unit_names import is_vague_unit, looks_like_unit_strictly

fold = functools.lru_cache(maxsize=4096)(_fold_uncached)

# 各县、区人民政府: a level word alone is not a unit; it joins the next part.
_LEVEL_WORD = re.compile(r"^各?(?:省|市|县|区|乡|镇)$")


def add_unique(target: list[str], names: list[str]) -> None:
    target.extend(name for name in names if name not in target)


_add = add_unique


def split_units(
    text: str, folded: str | None = None, other_names: dict | None = None
) -> tuple[list[str], list[str]]:
    """Unit names of a list, as written, and the vague names in it.

    Splits on 、，；, spaces outside brackets; ``各县、区人民政府`` stays one name (a bare
    level word such as ``各县`` cannot be a unit and joins the next part); ``等``/``等部门``
    tails and a leading ``由`` are dropped.
    """
    folded = fold(text) if folded is None else folded
    parts: list[tuple[int, int]] = []
    depth, start = 0, 0
    for index, char in enumerate(folded):
        if char == "（":
            depth += 1
        elif char == "）":
            depth = max(depth - 1, 0)
        elif depth == 0 and char in "、，；,; \t":
            parts.append((start, index))
            start = index + 1
    parts.append((start, len(folded)))
    names, vague = [], []
    pending = ""
    parts = [piece for begin, end in parts for piece in _split_conjunction(folded, begin, end)]
    for begin, end in parts:
        name = text[begin:end].strip(" 。.：:\t")
        key = folded[begin:end].strip(" 。.：:\t")
        if not name:
            continue
        if pending:
            name, key, pending = pending + "、" + name, pending + "、" + key, ""
        if _LEVEL_WORD.match(key):
            pending = name
            continue
        name, key = _drop_tail(name, key)
        if _RUBY.search(key):  # 各區(qū)政府: pinyin a web page put after a character
            name = key = _RUBY.sub("", name)
        if not name:
            continue
        name, key, also = _other_names(name, key)
        if also and other_names is not None:
            _add(other_names.setdefault(name, []), also)
        if is_vague_unit(key):
            _add(vague, [name])
        elif name not in names:
            names.append(name)
    if pending and pending not in names:
        names.append(pending)
    return names, vague


_RUBY = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")
_CONJUNCTION = re.compile(r"[和及与]")


def _split_conjunction(folded: str, begin: int, end: int) -> list[tuple[int, int]]:
    """``各设区市人民政府和平潭综合实验区管委会`` is two units; ``市发展和改革委`` is one."""
    key = folded[begin:end]
    for match in _CONJUNCTION.finditer(key):
        left, right = key[: match.start()].strip(), key[match.end() :].strip()
        if looks_like_unit_strictly(left) and looks_like_unit_strictly(_TAIL.sub("", right) or right):
            return [(begin, begin + match.start()), *_split_conjunction(folded, begin + match.end(), end)]
    return [(begin, end)]


_PLACE_START = re.compile(r"^(?:区|市|县|省)")


def _other_names(name: str, key: str) -> tuple[str, str, list[str]]:
    """``区城市管理委（区交通委、区水务局）`` → the name and the other names in its trailing bracket.

    Only a bracket listing named offices (区…委, 市…局) is read so; a note (``（含开发区）``),
    a qualifier (``各街道（园区）``, ``各区人民政府（管委会）``) stays part of the name.
    """
    if not key.endswith("）") or "（" not in key:
        return name, key, []
    opening = key.rindex("（")
    inner_key, inner = key[opening + 1 : -1], name[opening + 1 : -1]
    parts = [p for p in re.split(r"[、，]", inner_key) if p]
    if (
        opening == 0
        or not parts
        or not all(_PLACE_START.match(p) and looks_like_unit_strictly(p) for p in parts)
    ):
        return name, key, []
    return (
        name[:opening].strip(),
        key[:opening].strip(),
        [p for p in re.split(r"[、，,]", inner) if p.strip()],
    )


_TAIL = re.compile(r"等(?:各|其他|有关|相关|各相关|各有关)*[^等]{0,10}(?:部门|单位|机构)$|等$")
_LEADING = re.compile(r"^(?:由|请|要求|并由)")


def _drop_tail(name: str, key: str) -> tuple[str, str]:
    lead = _LEADING.match(key)
    if lead:
        name, key = name[lead.end() :], key[lead.end() :]
    tail = _TAIL.search(key) if "等" in key else None
    if tail and tail.start() > 0:
        name, key = name[: tail.start()], key[: tail.start()]
    return name.strip(), key.strip()
