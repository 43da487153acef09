"""Lines of a prose plan rejoined into paragraphs, undoing a PDF's hard line breaks.

A PDF's text comes with a hard line break every ~28 characters (西城区三年行动计划); the
lines are rejoined into paragraphs before the outline is read. Text with one paragraph a
line is left as it is. A line always starts a paragraph when it opens a numbered heading
(any style ``importers.parsers.outline`` knows) or a labelled unit line (``牵头单位：``).
"""

from __future__ import annotations

import re
from collections import Counter

from ..annotations import fold, starts_with_label
from .outline import marker_of

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


PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
# Styles a wrapped line can also begin with by chance (一、 二、 1、 in a list): a heading
# only when the line is short of a full one.
_AMBIGUOUS_STYLES = ("cn", "num")


def _opens_heading(line: str, short: bool) -> bool:
    marker = marker_of(fold(line))
    return marker is not None and (short or marker[0] not in _AMBIGUOUS_STYLES)


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
            or _opens_heading(line, width < short_of_full_first_line)
            or starts_with_label(line)
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
