"""Cell text of plan tables: clean, unwrap, compare, read numbers and chapter headings.

Shared by the table reader (``table_reader``) and the mapping side (``table``); nothing here
knows about columns.
"""

from __future__ import annotations

import re

from tasks.numerals import parse_chinese_numeral

from ..normalise import fold

CHAPTER_RE = re.compile(r"^第?([一二三四五六七八九十]{1,3})\s*(?:[、.]|[章部分篇]+)\s*(\S.*)$", re.S)
NUMBER_RE = re.compile(r"^[（(]?\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]?[.、．]?$")
CODE_PREFIX_RE = re.compile(r"^(\d{1,3})\s*[-－—–.．]\s*\d{1,3}$")

BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
PARAGRAPH_BREAK_RE = re.compile(r"</p>\s*<p>|<br\s*/?>", re.I)
TAG_RE = re.compile(r"</?p>", re.I)
CJK = r"\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
SPACE_BETWEEN_CJK_RE = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+(?=[{CJK}])")
WHITESPACE_RUN_RE = re.compile(r"\s+")

SHORT_TEXT = 24


def clean_cell(text: str) -> str:
    """Cell text without <p> tags or bookmarks; lines stripped, empty lines dropped."""
    if not text:
        return ""
    if "<" in text or "[" in text:
        text = BOOKMARK_RE.sub("", text)
        text = TAG_RE.sub("", PARAGRAPH_BREAK_RE.sub("\n", text))
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def unwrap(text: str) -> str:
    """A cell's lines as one line: Word wrapped them, the breaks are not part of the text.

    Lines join without a space except between two Latin letters or digits; spaces
    between two Chinese characters are wrap artefacts too (``加大高排放车 严管严查力度``).
    """
    parts = text.split("\n")
    joined = parts[0]
    for part in parts[1:]:
        if (
            joined
            and part
            and joined[-1].isascii()
            and joined[-1].isalnum()
            and part[0].isascii()
            and part[0].isalnum()
        ):
            joined += " "
        joined += part
    return SPACE_BETWEEN_CJK_RE.sub("", joined).strip()


def comparable(text: str) -> str:
    return WHITESPACE_RUN_RE.sub("", fold(text))


def short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT] + "…"


def chinese_number(text: str) -> int | None:
    """1..99 from 一 … 九十九; None for anything else."""
    return parse_chinese_numeral(text) if text and not text.isdigit() else None


def task_number(text: str) -> int | None:
    folded = fold(text.replace("\n", "")).strip()
    match = NUMBER_RE.match(folded) or CODE_PREFIX_RE.match(folded)
    if match is None:
        return None
    value = match.group(1)
    return int(value) if value.isdigit() else chinese_number(value)


def chapter_heading(text: str) -> tuple[int, str] | None:
    """(number, title) of a chapter row or paragraph (一、… / 第一部分 …), written as it is."""
    text = unwrap(text)
    match = CHAPTER_RE.match(fold(text))
    if match is None or not chinese_number(match.group(1)):
        return None
    return chinese_number(match.group(1)), text[match.start(2) :]
