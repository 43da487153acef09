"""Template lines of at most 160 characters, broken where a line break cannot change the page.

    .venv/bin/python scripts/template_lines.py          # lists long lines that could be broken; exit 1 if any
    .venv/bin/python scripts/template_lines.py --fix    # breaks them (then run djhtml to re-indent)

A long line is broken (1) at white space next to an HTML tag, outside quotes, template tags and
{% blocktranslate %} (a break there would change the translated message; white space between template
variables is left as it is, so the text reads the same in the page's source), (2) between two block-level
tags (``</td><td>``: white space between them is not rendered), and (3) inside a long tag, one attribute
per line. Text glued to inline tags or template tags (``{% endif %}<button>``) is left long: a line
break there is a space on the page. Lines inside <pre>, <textarea>, <script> and <style> are left alone.
``make lint`` runs the check; tests/foundation/test_template_lines.py holds the templates to it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LIMIT = 160
LONG_TAG = 50  # characters; a shorter tag stays on one line
BLOCK = set(
    "div p ul ol li table thead tbody tfoot tr td th section header footer nav main article aside form "
    "fieldset legend h1 h2 h3 h4 h5 h6 dl dt dd option optgroup select details summary figure figcaption "
    "caption colgroup col hr br".split()
)
TEMPLATE_CLOSE = {"{%": "%}", "{{": "}}", "{#": "#}"}
LEFT_ALONE = re.compile(r"<(pre|textarea|script|style)\b")
BLOCKTRANS = re.compile(r"{%-?\s*blocktrans")
END_BLOCKTRANS = re.compile(r"{%-?\s*endblocktrans")


def _starts_tag(line: str, i: int) -> bool:
    return line[i] == "<" and i + 1 < len(line) and (line[i + 1].isalpha() or line[i + 1] in "/!")


def _template_end(line: str, i: int) -> int:
    end = line.find(TEMPLATE_CLOSE[line[i : i + 2]], i + 2)
    return len(line) if end < 0 else end + 2


def _tag_end(line: str, i: int) -> int:
    quote = None
    j = i + 1
    while j < len(line):
        if line[j : j + 2] in ("{%", "{{"):
            j = _template_end(line, j)
            continue
        if quote:
            quote = None if line[j] == quote else quote
        elif line[j] in "\"'":
            quote = line[j]
        elif line[j] == ">":
            return j + 1
        j += 1
    return j


def tokens(line: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of a line: "tag" (HTML), "tpl" (template tag, variable, comment), "ws", "text"."""
    found, i = [], 0
    while i < len(line):
        if line[i : i + 2] in TEMPLATE_CLOSE:
            end, kind = _template_end(line, i), "tpl"
        elif _starts_tag(line, i):
            end, kind = _tag_end(line, i), "tag"
        elif line[i].isspace():
            end, kind = len(line) - len(line[i:].lstrip()), "ws"
        else:
            end, kind = i + 1, "text"
            while end < len(line) and not (
                line[end].isspace() or line[end : end + 2] in TEMPLATE_CLOSE or _starts_tag(line, end)
            ):
                end += 1
        found.append((kind, line[i:end]))
        i = end
    return found


def _tag_name(tag: str) -> str | None:
    match = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    return match.group(1).lower() if match else None


def attributes(tag: str) -> list[str]:
    """A tag split at the white space between its name and attributes (outside quotes and template tags)."""
    parts, current, quote, i = [], "", None, 0
    while i < len(tag):
        if not quote and tag[i : i + 2] in ("{%", "{{"):
            end = _template_end(tag, i)
            current, i = current + tag[i:end], end
            continue
        char = tag[i]
        if quote or not char.isspace():
            if quote and char == quote:
                quote = None
            elif not quote and char in "\"'":
                quote = char
            current += char
        elif current:
            parts.append(current)
            current = ""
        i += 1
    return parts + ([current] if current else [])


def _pieces(toks: list[tuple[str, str]]) -> list[str]:
    """The line cut where a break changes nothing: white space next to a tag, or between block-level tags."""
    pieces, current, in_blocktrans = [], "", False
    for k, (kind, text) in enumerate(toks):
        in_blocktrans = (in_blocktrans or bool(BLOCKTRANS.match(text))) and not END_BLOCKTRANS.match(text)
        before, after = toks[k - 1] if k else None, toks[k + 1] if k + 1 < len(toks) else None
        if in_blocktrans or not current.strip():
            current += text
        elif kind == "ws" and after and "tag" in (before[0], after[0]):
            pieces.append(current)
            current = ""
        elif kind == "tag" and before[0] == "tag" and {_tag_name(before[1]), _tag_name(text)} <= BLOCK:
            pieces.append(current)
            current = text
        else:
            current += text
    return pieces + [current]


def _break_long_tags(piece: str, indent: str) -> str:
    out, in_blocktrans = "", False
    for kind, text in tokens(piece):
        in_blocktrans = (in_blocktrans or bool(BLOCKTRANS.match(text))) and not END_BLOCKTRANS.match(text)
        parts = attributes(text) if kind == "tag" and len(text) > LONG_TAG and not in_blocktrans else []
        out += parts[0] + "".join(f"\n{indent}    {a}" for a in parts[1:]) if len(parts) > 1 else text
    return out


def broken(line: str) -> str:
    """``line`` with breaks where they change nothing (the same line if it is short or left alone)."""
    if len(line) <= LIMIT or LEFT_ALONE.search(line):
        return line
    indent = line[: len(line) - len(line.lstrip())]
    lines = [indent + piece.strip() for piece in _pieces(tokens(line.strip()))]
    return "\n".join(_break_long_tags(piece, indent) if len(piece) > LIMIT else piece for piece in lines)


def template_paths(root: Path) -> list[Path]:
    return sorted((root / "templates").rglob("*.html"))


def breakable_long_lines(root: Path) -> list[str]:
    """``path:line (N characters)`` for every line over the limit that could be broken."""
    found = []
    for path in template_paths(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if broken(line) != line:
                found.append(f"{path.relative_to(root)}:{number} ({len(line)} characters)")
    return found


def fix(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    new = "\n".join(broken(line) for line in text.split("\n"))
    assert re.sub(r"\s+", "", new) == re.sub(r"\s+", "", text), path  # only white space moved
    path.write_text(new, encoding="utf-8")


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    if "--fix" in argv:
        for path in template_paths(root):
            fix(path)
        return 0
    found = breakable_long_lines(root)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
