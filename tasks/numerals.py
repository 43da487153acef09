"""Chinese numerals as plans write them: 一、二、… 三十五."""

_DIGITS = "零一二三四五六七八九"
_VALUES = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 100 → 一百 (plans never go beyond a few hundred)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese_numeral(rest) if rest >= 20 else "一" + chinese_numeral(rest))
    return _DIGITS[n // 100] + "百" + tail


def parse_chinese_numeral(text: str) -> int:
    """一 → 1, 十一 → 11, 三十五 → 35, 一百零二 → 102; ASCII digits pass through. ValueError otherwise."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _VALUES and c not in "十百" for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
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
