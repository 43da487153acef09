"""Chinese numerals as plans write them: 一、二、… 三十五."""

import re

_DIGITS = "零一二三四五六七八九"
_VALUES = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 100 → 一百, 1010 → 一千零一十; from 10,000 on, Arabic digits (plans never go
    beyond a few hundred, but a chapter's number is whatever was typed, and its name must never fail)."""
    if n < 0:
        raise ValueError(n)
    if n >= 10000:
        return str(n)
    if n >= 1000:
        rest = n % 1000
        if rest == 0:
            return _DIGITS[n // 1000] + "千"
        if rest < 100:  # 一千零五, 一千零一十, 一千零五十
            return (
                _DIGITS[n // 1000]
                + "千零"
                + (chinese_numeral(rest) if rest < 10 or rest >= 20 else "一" + chinese_numeral(rest))
            )
        return _DIGITS[n // 1000] + "千" + chinese_numeral(rest)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = (
        ""
        if rest == 0
        else (
            "零" + _DIGITS[rest]
            if rest < 10
            else chinese_numeral(rest)
            if rest >= 20
            else "一" + chinese_numeral(rest)
        )
    )
    return _DIGITS[n // 100] + "百" + tail


# The numerals plans number chapters and items with: 一 … 九十九, and a few hundred.
_WELL_FORMED = re.compile(
    r"^(?:[一二三四五六七八九]百(?:零[一二三四五六七八九]|[一二三四五六七八九]十[一二三四五六七八九]?)?"
    r"|[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])$"
)


def parse_chinese_numeral(text: str) -> int | None:
    """一 → 1, 十一 → 11, 三十五 → 35, 一百零二 → 102; ASCII digits pass through; None if not a numeral
    (一一, 十十 and the like are not: a parser meeting them is not looking at a heading)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if not _WELL_FORMED.match(text):
        return None
    total, current = 0, 0
    for c in text:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _VALUES[c]
    return total + current
