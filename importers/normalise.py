"""Fold a plan's text into one spelling for matching, keeping every character's position.

Plans arrive in traditional characters (reposts on Hong Kong or Taiwan sites, old
portals), with full-width letters and digits, ASCII or Chinese brackets and colons used
interchangeably, and with the artefacts of text copied out of web pages and PDFs
(non-breaking spaces, zero-width spaces, Kangxi-radical look-alikes such as ``⼯``).
The parsers' patterns are written once, against the folded spelling.

Contract of :func:`fold`:

* ``len(fold(text)) == len(text)``, always: every character is replaced by exactly one
  character, nothing is inserted or removed. So a match's span ``(start, end)`` found in
  the folded text is the span of the same words in the original, and the parser keeps
  the measure text *as written* by slicing the original with it.
* It is idempotent: ``fold(fold(text)) == fold(text)``.
* Compare folded with folded: fold both the document and the name looked up.

What it folds, character by character:

* traditional → simplified, from OpenCC's ``t2s`` conversion taken character by character
  (``t2s_characters.txt`` beside this module, written from the ``opencc`` package by
  ``python -m importers.normalise``; a test checks it still equals OpenCC). Phrase
  conversions are not used, because they may change a text's length; a character whose
  simplified form is more than one character is kept.
* CJK compatibility ideographs and Kangxi / CJK radicals → the unified ideograph (NFKC),
  the typical artefact of text extracted from PDFs;
* full-width ASCII letters, digits and symbols → ASCII (``１２．ＡＢ`` → ``12.AB``);
* brackets of every kind — ``( ) ［ ］ [ ] 〔 〕 【 】 〖 〗 ﹙ ﹚ ﹝ ﹞ ｟ ｠`` — → ``（ ）``;
  colon, semicolon → ``：`` ``；``; comma → ``，`` and enumeration comma variants → ``、``
  (an ASCII ``,`` or ``:`` between two digits stays: ``1,000``, ``8:30``);
* corner quotes ``「」『』`` → ``“”‘’``; Unicode line / paragraph separators → ``\\n``;
* non-breaking, ideographic, thin and other spaces → `` ``; one-character web-copy
  artefacts (zero-width space / joiners, byte-order mark, soft hyphen, word joiner) → `` ``
  too — they cannot be removed without changing the length, and the parsers already
  treat a space inside Chinese text as a wrap artefact.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_OPEN = "(［[〔【〖﹙﹝｟⦅"
_CLOSE = ")］]〕】〗﹚﹞｠⦆"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"

# Chinese punctuation that is its own canonical form: not turned into ASCII by the
# full-width rule.
_KEEP_FULL_WIDTH = "（），：；！？"

_PUNCTUATION = {
    ";": "；",
    "﹔": "；",
    "﹕": "：",
    "︰": "：",
    "﹐": "，",
    "､": "、",
    "﹑": "、",
    "｡": "。",
    "﹒": ".",
    "﹖": "？",
    "﹗": "！",
    "「": "“",
    "」": "”",
    "『": "‘",
    "』": "’",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
}

# ``,`` and ``:`` fold to ``，`` ``：`` except between two digits (1,000; 8:30).
_ASCII_COMMA_COLON = re.compile(r"[,:]")

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_RADICAL_RANGES = ((0x2E80, 0x2FE0),)


TABLE_FILE = Path(__file__).with_name("t2s_characters.txt")


def opencc_character_table() -> dict[str, str]:
    """Character-level OpenCC t2s: every BMP ideograph converted on its own line.

    One ``convert`` call over all of them, separated by newlines so no phrase can match.
    Used to write ``TABLE_FILE`` (``python -m importers.normalise``) and by the test that
    checks the file still equals what OpenCC says; importing ``opencc`` takes ~0.15 s,
    which every upload would otherwise pay.
    """
    import opencc

    characters = [chr(code) for start, stop in _CJK_RANGES for code in range(start, stop)]
    converted = opencc.OpenCC("t2s").convert("\n".join(characters)).split("\n")
    if len(converted) != len(characters):  # pragma: no cover - a library change
        raise RuntimeError("OpenCC changed the number of lines")
    return {
        original: simplified
        for original, simplified in zip(characters, converted)
        if simplified != original and len(simplified) == 1
    }


def _traditional_table() -> dict[int, str]:
    pairs = TABLE_FILE.read_text(encoding="utf-8").split()
    return {ord(pair[0]): pair[1] for pair in pairs if len(pair) == 2}


def write_table_file() -> None:
    table = opencc_character_table()
    lines = [
        " ".join(f"{t}{s}" for t, s in list(table.items())[i : i + 32]) for i in range(0, len(table), 32)
    ]
    TABLE_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _compatibility_table() -> dict[int, str]:
    """Kangxi radicals and compatibility ideographs that NFKC maps to one ideograph."""
    table = {}
    for start, stop in _RADICAL_RANGES + ((0xF900, 0xFB00),):
        for code in range(start, stop):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


def _full_width_table() -> dict[int, str]:
    table = {}
    for code in range(0xFF01, 0xFF5F):
        character = chr(code)
        if character not in _KEEP_FULL_WIDTH:
            table[code] = chr(code - 0xFEE0)
    return table


@functools.cache
def _table() -> dict[int, str]:
    table = _compatibility_table()
    # Simplify after NFKC so a compatibility form of a traditional character ends simplified.
    traditional = _traditional_table()
    table = {code: traditional.get(ord(folded), folded) for code, folded in table.items()}
    table.update(traditional)
    table.update(_full_width_table())
    table.update({ord(c): "（" for c in _OPEN})
    table.update({ord(c): "）" for c in _CLOSE})
    table.update({ord(c): " " for c in _SPACES + _ZERO_WIDTH})
    table.update({ord(c): folded for c, folded in _PUNCTUATION.items()})
    return table


def _fold_comma_colon(match: re.Match) -> str:
    text, at = match.string, match.start()
    if 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit():
        return match.group()
    return "，" if match.group() == "," else "："


def fold(text: str) -> str:
    """Return ``text`` in the one spelling the parsers match against; same length.

    >>> fold("牽頭單位:市生態環境局;配合單位:［市公安局］")
    '牵头单位：市生态环境局；配合单位：（市公安局）'
    """
    folded = text.translate(_table())
    if "," in folded or ":" in folded:
        folded = _ASCII_COMMA_COLON.sub(_fold_comma_colon, folded)
    return folded


if __name__ == "__main__":  # regenerate the table after upgrading opencc
    write_table_file()
