"""The numbered outline of a prose plan: which paragraphs open which level, of any depth.

Chinese official documents number their levels in a fixed order of styles (GB/T 9704 and
common practice): 第一章/第一部分 → 第一节 → 一、 → （一） → 措施一： → 1./1、/1． → （1） → ① → 一是…
(a paragraph opening 一是, 二是 …). A plan uses
some of them, not always starting at the top: a district plan may be 一、 → （一） → 1., a
provincial one 第一章 → 一、 → （一）, a city plan （一） → 1. only. ``read_outline`` builds the
tree of numbered paragraphs in that order, each node holding the unnumbered paragraphs that
follow its heading; which level is the chapter, the task and the measure is decided by the
prose parser from where the unit annotations sit (``importers.parsers.prose``).

Matching runs on folded text (``importers.normalise.fold``: ``(一)`` → ``（一）``, ``１．`` →
``1.``), headings are kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.numerals import parse_chinese_numeral

from ..annotations import fold

_CN = "[一二三四五六七八九十百零〇]"
# (style, pattern): the pattern's group 1 is the number, the match's end is where the heading starts.
MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("part", re.compile(rf"^\s*第({_CN}{{1,3}}|\d{{1,2}})(?:章|部分|篇)[\s、：:.]*")),
    ("section", re.compile(rf"^\s*第({_CN}{{1,3}}|\d{{1,2}})节[\s、：:.]*")),
    ("cn", re.compile(rf"^\s*({_CN}{{1,3}})\s*[、.]\s*")),
    ("cn_paren", re.compile(rf"^\s*（({_CN}{{1,4}})）[\s、.]*")),
    # 措施一：/ 任务二： (福建省责任分工方案)
    ("word", re.compile(rf"^\s*(?:措施|任务|举措)({_CN}{{1,3}}|\d{{1,2}})\s*[：、.]\s*")),
    ("num", re.compile(r"^\s*(\d{1,2})\s*(?:[、]|\.(?!\d)|\s(?=[\u4e00-\u9fff]))\s*")),
    ("num_paren", re.compile(r"^\s*（(\d{1,2})）[\s、.]*")),
    ("circled", re.compile(r"^\s*([①-⑳])\s*")),
    # 一是禁烧。二是控尘。… opening paragraphs
    ("shi", re.compile(rf"^\s*({_CN}{{1,3}})是(?=\S)")),
)
STYLE_RANK = {style: rank for rank, (style, _) in enumerate(MARKERS)}
STYLE_RANK["para"] = len(MARKERS)  # an unnumbered paragraph read as an item (prose.unnumbered_outline)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def marker_of(folded: str) -> tuple[str, int, int] | None:
    """(style, number, heading start) of a numbered paragraph, or None."""
    for style, pattern in MARKERS:
        match = pattern.match(folded)
        if match is None:
            continue
        raw = match.group(1)
        if style == "circled":
            number = CIRCLED.index(raw) + 1
        elif raw.isdigit():
            number = int(raw)
        else:
            number = parse_chinese_numeral(raw)
        if not number or match.end() >= len(folded.rstrip()):
            return None
        return style, number, match.end()
    return None


@dataclass
class Node:
    """A numbered paragraph and what follows it up to the next numbered one of its level or above."""

    style: str
    number: int
    heading: str  # the paragraph without its number, as written
    body: list[str] = field(default_factory=list)  # unnumbered paragraphs after the heading
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def rank(self) -> int:
        return STYLE_RANK.get(self.style, -1)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def texts(self) -> list[str]:
        """Heading, body and every descendant's texts, in reading order."""
        out = [self.heading, *self.body]
        for child in self.children:
            out.extend(child.texts())
        return out


def read_outline(paragraphs: list[str]) -> Node:
    """The tree of numbered paragraphs under a root node (style ""); text before the first is the root's body.

    A numbered paragraph opens a child of the nearest open node of a shallower style. A
    paragraph whose style is the same as an open node's but whose number does not follow
    on (a list ``1.``… quoted inside a measure under another ``1.``) is still read as a
    sibling: numbers restart under every parent.
    """
    root = Node(style="", number=0, heading="")
    stack = [root]
    for paragraph in paragraphs:
        marker = marker_of(fold(paragraph))
        if marker is None:
            stack[-1].body.append(paragraph)
            continue
        style, number, start = marker
        rank = STYLE_RANK[style]
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        node = Node(style=style, number=number, heading=paragraph[start:].strip(), parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    return root


def styles_in(root: Node) -> list[str]:
    """The numbering styles used, shallowest first."""
    seen = {node.style for node in root.walk() if node.style}
    return sorted(seen, key=STYLE_RANK.__getitem__)


# A paragraph opening with a short title sentence (大力推动清洁能源采暖。鼓励…).
TITLE_SENTENCE = re.compile(r"^[^，。；：！？]{2,24}。")
# Lines a web page adds around a repost (时间:2020-05-09, 首页 > 新闻): not prose.
_PROSE = re.compile(r"[。；]")


def _title_start(folded: str) -> int | None:
    """Where a paragraph's title sentence starts: 0, or after 通知指出： in a repost's first paragraph."""
    if TITLE_SENTENCE.match(folded):
        return 0
    colon = folded.find("：", 0, 120)
    if colon > 0 and TITLE_SENTENCE.match(folded[colon + 1 :]):
        return colon + 1
    return None


def unnumbered_outline(paragraphs: list[str], annotated) -> Node | None:
    """Items of a plan with no numbering at all, or None if no paragraph carries units.

    ``annotated(paragraph)`` says whether a paragraph names units (a bracketed note or a
    labelled line). When several paragraphs open with a short title sentence, those open
    the items and the paragraphs between are their continuation; otherwise every paragraph
    ending in units is an item, with the prose paragraphs before it.
    """
    flags = [annotated(p) for p in paragraphs]
    if not any(flags):
        return None
    root = Node(style="", number=0, heading="")
    starts = [_title_start(fold(p)) for p in paragraphs]
    titled = sum(start is not None for start in starts)
    by_titles = titled >= 2 and 3 * titled >= sum(flags)
    pending: list[str] = []
    current: Node | None = None
    for paragraph, has_units, start in zip(paragraphs, flags, starts):
        if by_titles:
            if start is not None:
                if start:
                    root.body.append(paragraph[:start])
                current = Node("para", len(root.children) + 1, paragraph[start:], parent=root)
                root.children.append(current)
            else:
                (current.body if current else root.body).append(paragraph)
            continue
        if not has_units:
            if _PROSE.search(paragraph) and len(paragraph) >= 20:
                pending.append(paragraph)
            continue
        texts = [*pending, paragraph]
        node = Node("para", len(root.children) + 1, texts[0], body=texts[1:], parent=root)
        root.children.append(node)
        pending = []
    return root if root.children else None
