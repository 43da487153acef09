"""Read plans written as prose: numbered headings of any depth, with units in any notation.

The numbering (第一章, 一、, （一）, 1., （1）, ① …) is read into a tree
(``importers.parsers.outline``). Which level is the task is decided from the document: the
level whose items carry the unit annotations (labelled ``牵头单位：`` lines or bracketed
``（X牵头，Y配合）`` notes, ``importers.annotations``) — the document attaches its units to
its tasks. Without annotations, the second level is the task level (一、 chapters holding
（一） items). The level above the tasks gives the chapters; deeper levels, unnumbered
paragraphs and the text between annotations give the measures. Items and chapters on the
plan as a whole (总体要求, 指导思想, 保障措施 …) that carry no units go to ``plan.goals``.

Shapes reported: ``prose_lead_lines`` (labelled lines, e.g. 西城区三年行动计划),
``prose_annotated`` (bracketed notes, e.g. plans from Guangdong and Zhejiang) and
``prose_inline_leads`` (units only named in the text, e.g. 朝阳区三年行动计划: 由X牵头 is the
lead; a clause's subject is *proposed*, ``units_inferred``).

Every measure says in ``unit_rule`` which rule assigned its units (shown in the preview).
"""

from __future__ import annotations

import re
from collections import Counter

from ..annotations import Units, find_annotations, fold, starts_with_label
from ..documents import Document
from ..parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask
from .inline_units import EXPLICIT_LEAD, split_lead_line, units_named_in  # noqa: F401 - re-exported
from .outline import Node, read_outline, styles_in, unnumbered_outline
from .prose_lines import normalise_spacing, rejoin_wrapped_lines  # noqa: F401 - re-exported
from .prose_units import ItemUnits, Standing, measures_of, units_of_node

# Kept for importers.metadata, which finds the first chapter heading with it.
CHAPTER_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(\S.*)$")
# The document's own end: the distribution list or the "…日印发" line. What follows
# in PDF extractions is a garbage tail repeating fragments of earlier items.
DOCUMENT_END = re.compile(r"^(?:抄送|抄报|分送)[：:]|日\s*印发\s*$")
# Items and chapters about the plan as a whole rather than a piece of work.
GOAL_TITLE = re.compile(
    r"^(?:总体|主要|工作|基本|目标)?(?:要求|目标|原则|思路)|^指导思想|^目标任务$|^(?:适用|实施|规划)范围|^(?:编制|工作)依据"
)
# Chapters (not items: 加强组织领导 is a task in many plans) on how the plan is carried out.
GUARANTEE_TITLE = re.compile(
    r"^(?:保障措施|组织保障|组织领导|组织实施|工作保障|实施保障|保障机制|工作要求|有关要求|其他事项|附则)"
)


def _paragraphs_of(doc: Document) -> list[str]:
    lines: list[str] = []
    for paragraph in doc.paragraphs:
        lines.extend(paragraph.split("\n"))
    paragraphs = rejoin_wrapped_lines(lines)
    for index, paragraph in enumerate(paragraphs):
        if DOCUMENT_END.search(paragraph) and index > 0:
            return paragraphs[:index]
    return paragraphs


def split_title(heading: str) -> tuple[str, str]:
    """（三）大力推进车辆电动化。提高… → ("大力推进车辆电动化", "提高…")."""
    folded = fold(heading)
    for index, char in enumerate(folded):
        if char in "。！？":
            return heading[:index].strip(), heading[index + 1 :].strip()
    return heading.strip(), ""


def _names_units(paragraph: str) -> bool:
    """A paragraph that says who does the work: a label, a bracketed note or 由X牵头 in the text."""
    return (
        starts_with_label(paragraph)
        or bool(find_annotations(paragraph))
        or EXPLICIT_LEAD.search(fold(paragraph)) is not None
    )


def choose_levels(root: Node, units: dict[int, ItemUnits]) -> tuple[str, str]:
    """(task style, chapter style or "") for the document's outline."""
    styles = styles_in(root)
    annotated = Counter(node.style for node in root.walk() if node.style and units[id(node)].own_named)
    if annotated:
        task_style = max(styles, key=lambda style: (annotated[style], styles.index(style)))
    else:
        task_style = styles[1] if len(styles) > 1 else styles[0]
    parents = Counter(
        node.parent.style
        for node in root.walk()
        if node.style == task_style and node.parent and node.parent.style
    )
    chapter_style = parents.most_common(1)[0][0] if parents else ""
    return task_style, chapter_style


def parse_prose(doc: Document) -> ParsedPlan | None:
    """Parse a prose plan, or return None if it has no items that could be tasks.

    The numbered outline is read first. A plan with no numbering, or whose numbering gives
    at most one task (a stray ``1.`` in a web page's header, one numbered heading above
    unnumbered items), is also read as unnumbered items; the reading with more tasks whose
    units the document states wins.
    """
    paragraphs = _paragraphs_of(doc)
    plan = _plan_from(read_outline(paragraphs))
    if plan is None or _task_count(plan) <= 1:
        root = unnumbered_outline(paragraphs, _names_units)
        unnumbered = _plan_from(root) if root is not None else None
        if unnumbered is not None and _tasks_with_units(unnumbered) > (
            _tasks_with_units(plan) if plan else 0
        ):
            plan = unnumbered
    return plan


def _task_count(plan: ParsedPlan) -> int:
    return sum(len(chapter.tasks) for chapter in plan.chapters)


def _tasks_with_units(plan: ParsedPlan) -> int:
    """Tasks whose units the document states (not proposed from the text)."""
    return sum(
        any(m.lead and not m.units_inferred for m in task.measures)
        for chapter in plan.chapters
        for task in chapter.tasks
    )


def _plan_from(root: Node) -> ParsedPlan | None:
    if not root.children:
        return None
    units = units_of_node(root)
    task_style, chapter_style = choose_levels(root, units)
    shape = "prose_inline_leads"
    if any(u.labelled for u in units.values()):
        shape = "prose_lead_lines"
    elif any(u.bracketed for u in units.values()):
        shape = "prose_annotated"
    plan = ParsedPlan(shape=shape)
    builder = _Builder(plan, units, task_style, chapter_style, root)
    builder.build()
    for name, other_names in builder.other_names.items():
        plan.warnings.append(
            f"单位“{name}（{'、'.join(other_names)}）”：括号内是同一单位的其他名称，已按“{name}”导入。"
        )
    if not any(chapter.tasks for chapter in plan.chapters):
        return None
    return plan


class _Builder:
    """Walks the outline in reading order, making chapters, tasks and measures."""

    def __init__(self, plan: ParsedPlan, units, task_style: str, chapter_style: str, root: Node):
        self.plan, self.units, self.root = plan, units, root
        self.task_style, self.chapter_style = task_style, chapter_style
        self.chapter: ParsedChapter | None = None
        self.other_names: dict[str, list[str]] = {}  # 区城市管理委（区交通委、区水务局）
        self.chapter_units = Units()  # units named on the current chapter's heading
        self.standing = Standing()  # what standing clauses so far said for later items
        self.task_nodes = [n for n in root.walk() if n.style == task_style]
        numbers = [n.number for n in self.task_nodes]
        self.keep_task_numbers = len(set(numbers)) == len(numbers)
        chapter_nodes = [n for n in root.walk() if n.style == chapter_style] if chapter_style else []
        self.keep_chapter_numbers = len({n.number for n in chapter_nodes}) == len(chapter_nodes)
        self.top_chapters = bool(chapter_style) and styles_in(root)[0] == chapter_style

    def build(self) -> None:
        self._visit(self.root, in_goals=False)
        if not self.top_chapters:
            self.plan.chapters = [c for c in self.plan.chapters if c.tasks]
            if not self.keep_chapter_numbers:
                for number, chapter in enumerate(self.plan.chapters, 1):
                    chapter.number = number

    def _is_goal(self, node: Node) -> bool:
        """An item on the plan's requirements and goals, or a guarantee chapter, that names no units."""
        title = fold(split_title(node.heading)[0])
        if self.units[id(node)].subtree_named:
            return False
        return GOAL_TITLE.match(title) is not None or (
            node.style != self.task_style and GUARANTEE_TITLE.match(title) is not None
        )

    def _is_empty(self, node: Node) -> bool:
        """A heading with nothing under it (a chapter title left between two tables)."""
        return (
            not node.body
            and not node.children
            and not split_title(node.heading)[1]
            and (not self.units[id(node)].own_named)
        )

    def _visit(self, node: Node, in_goals: bool) -> None:
        if node.style == self.task_style:
            if self._is_empty(node):
                return
            if in_goals or self._is_goal(node):
                self._add_goal(node)
            else:
                self._add_task(node)
            return
        goal = in_goals or (bool(node.style) and self._is_goal(node))
        if node.style and node.style == self.chapter_style:
            self._start_chapter(node)
        if goal and not in_goals:
            self.plan.goals.extend(t for t in [split_title(node.heading)[1], *node.body] if t)
        for child in node.children:
            self._visit(child, goal)

    def _start_chapter(self, node: Node) -> None:
        title, _ = split_title(node.heading)
        annotations = find_annotations(title)
        self.chapter_units = Units()
        if annotations:  # 一、加快调整能源结构（省发改委总牵头）: for its tasks that name no units
            title = title[: annotations[0][0]]
            for _, _, units in annotations:
                self.chapter_units.merge(units)
            self.chapter_units.reason = f"章标题括注：{self.chapter_units.reason.removeprefix('括注：')}"
        number = node.number if self.keep_chapter_numbers else len(self.plan.chapters) + 1
        self.chapter = ParsedChapter(number=number, title=title.rstrip("。；;，,"))
        self.plan.chapters.append(self.chapter)

    def _add_goal(self, node: Node) -> None:
        title, first = split_title(node.heading)
        texts = [t for t in [first, *node.texts()[1:]] if t]
        self.plan.goals.extend(texts or [title])

    def _add_task(self, node: Node) -> None:
        if self.chapter is None:
            self.chapter = ParsedChapter(number=1, title="")
            self.plan.chapters.append(self.chapter)
            if self.chapter_style:
                self.plan.warnings.append("文件在第一个任务之前没有章标题，已将任务归入第1章。")
        title, _ = split_title(node.heading)
        annotations = find_annotations(title)
        if annotations and annotations[0][0] > 0:  # 1.严格环境准入（市生态环境局牵头）
            title = title[: annotations[0][0]].rstrip()
        number = node.number if self.keep_task_numbers else sum(len(c.tasks) for c in self.plan.chapters) + 1
        previous = self._last_task_number()
        if self.keep_task_numbers and previous is not None and number != previous + 1:
            self.plan.warnings.append(
                f"条目编号不连续：第{previous}条之后是第{number}条，请核对是否有遗漏或重复。"
            )
        task = ParsedTask(number=number, title=title)
        self.chapter.tasks.append(task)
        lead_lines = self.plan.shape == "prose_lead_lines"
        measures, warnings = measures_of(
            node,
            self.units,
            self.standing,
            lead_lines=lead_lines,
            other_names=self.other_names,
            chapter_units=self.chapter_units,
        )
        task.measures.extend(measures)
        self.plan.warnings.extend(warnings)
        if not task.measures:
            task.measures.append(
                ParsedMeasure(code="", text=node.heading, warnings=["条目没有内容，请核对。"])
            )

    def _last_task_number(self) -> int | None:
        for chapter in reversed(self.plan.chapters):
            if chapter.tasks:
                return chapter.tasks[-1].number
        return None
