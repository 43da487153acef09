"""Read what a plan document says about itself: title, issuer, 发文字号, date, years, goals.

Runs after a parser (table or prose) has read the plan's structure, and only
fills what the parser left empty. Everything is read from the document's header
(the notice, masthead and title lines before the first chapter 一、), with the
plan's years taken from its title (``2018-2020``, ``2023年``, ``三年行动计划``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from .documents import Document, Table
from .parsed import ParsedPlan
from .parsers.prose import CHAPTER_HEADING, normalise_spacing, rejoin_wrapped_lines

HEADER_MAX_LINES = 80
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

# Government-information-portal field lines: [发文字号] 京政办发〔2021〕3号
PORTAL_FIELD = re.compile(r"^\[(发文字号|发布日期|成文日期|发文机构)\]\s*(.*?)\s*$")

PLAN_TITLE_IN_NOTICE = re.compile(r"(?:关于印发|现将)《([^》]{4,80})》")
PLAN_TITLE_LINE = re.compile(
    r"^[^，。：；《》\t]{4,60}?(?:行动计划|实施方案|工作方案|行动方案|工作计划|任务分解)(?:（[^）]{1,12}）)?$"
)
ISSUER_LINE = re.compile(
    r"^(北京市[\u4e00-\u9fff]{0,6}?人民政府(?:办公厅|办公室)?|[\u4e00-\u9fff]{2,20}领导小组(?:办公室)?)(?:文件)?$"
)
ISSUER_BEFORE_NOTICE = re.compile(r"(北京市[\u4e00-\u9fff]{0,6}?人民政府(?:办公厅|办公室)?)关于印发")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8})\s*[〔\[［【]\s*(\d{4})\s*[〕\]］】]\s*(\d{1,4})\s*号")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
ISSUED_ON = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

DISTRICT = re.compile(
    r"(东城|西城|朝阳|海淀|丰台|石景山|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆)区"
)
YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[-—–~～至到]\s*(\d{4})\s*年?")
SINGLE_YEAR = re.compile(r"(\d{4})\s*年")
SPAN_IN_YEARS = re.compile(r"([一二三四五两])年(?:行动|工作|实施)?(?:计划|方案)")
TARGET_YEAR = re.compile(r"到\s*(\d{4})\s*年")
_SPAN_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}

# 一、总体目标 / 一、主要目标 / 一、总体要求和目标 / 一、空气质量目标
GOAL_CHAPTER = re.compile(r"^[一二三四五六七八九十]{1,3}、\s*[^，。\t]{0,10}目标\s*$")


def _clean_line(line: str) -> str:
    return HTML_TAG.sub("", BOOKMARK.sub("", line)).strip()


def _document_lines(doc: Document) -> list[str]:
    """The document as lines; a table row merged across the sheet (a workbook's title row) is one line."""
    lines: list[str] = []
    for block in doc.blocks:
        if not isinstance(block, Table):
            lines.extend(block.split("\n"))
            continue
        for row in block.rows:
            filled = [cell.replace("\n", " ") for cell in row if cell.strip()]
            lines.append(filled[0] if len(set(filled)) == 1 else "\t".join(c.replace("\n", " ") for c in row))
    return lines


def _header_lines(doc: Document) -> list[str]:
    """The document's lines before its first chapter heading (一、…)."""
    header: list[str] = []
    for raw in _document_lines(doc)[:HEADER_MAX_LINES]:
        line = _clean_line(raw)
        if CHAPTER_HEADING.match(line):
            break
        if line:
            header.append(line)
    return header


def _header_source(doc: Document) -> str:
    """Where header lines stand, said the way the office sees the file."""
    return "工作表标题行" if doc.source_format == "xlsx" else "文件首页"


def _title_elsewhere(doc: Document) -> tuple[str, str]:
    """A title the header did not give: a Word heading paragraph, else a worksheet's name."""
    for heading in doc.headings:
        title = _find_title([_clean_line(heading)])
        if title:
            return title, "Word 标题段落"
    for name in doc.sheet_names:
        title = _find_title([normalise_spacing(name)])
        if title:
            return title, "工作表名称"
    return "", ""


def _portal_fields(lines: list[str]) -> dict[str, str]:
    fields = {}
    for line in lines:
        match = PORTAL_FIELD.match(line)
        if match and match.group(2).strip("- "):
            fields[match.group(1)] = match.group(2)
    return fields


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def normalise_doc_number(text: str) -> str:
    """西政发〔2018〕12 号 → 西政发〔2018〕12号 (and [ ] brackets → 〔 〕)."""
    match = DOC_NUMBER.search(text)
    if not match:
        return ""
    prefix, year, number = match.groups()
    return f"{prefix}〔{year}〕{number}号"


def _find_title(header: list[str]) -> str:
    joined = "".join(header)
    match = PLAN_TITLE_IN_NOTICE.search(joined)
    if match:
        return normalise_spacing(match.group(1))
    for line in header:
        if "印发" in line or line.endswith("通知"):
            continue
        if PLAN_TITLE_LINE.match(line):
            return normalise_spacing(line)
    return ""


def _find_issuer(header: list[str], fields: dict[str, str]) -> str:
    if fields.get("发文机构"):
        return fields["发文机构"]
    for line in header:
        match = ISSUER_LINE.match(normalise_spacing(line))
        if match:
            return match.group(1)
    match = ISSUER_BEFORE_NOTICE.search("".join(header))
    return match.group(1) if match else ""


def _find_doc_number(header: list[str], fields: dict[str, str]) -> str:
    if fields.get("发文字号"):
        return normalise_doc_number(fields["发文字号"])
    # The document's own number stands on a line of its own; numbers quoted in the
    # text (（京政发〔2018〕22号）) are other documents.
    for line in header:
        match = DOC_NUMBER.fullmatch(line)
        if match:
            return normalise_doc_number(line)
    return ""


def _find_issue_date(doc: Document, header: list[str], fields: dict[str, str]) -> dt.date | None:
    for name in ("发布日期", "成文日期"):
        match = ISO_DATE.search(fields.get(name, ""))
        if match:
            return _date(*match.groups())
    for line in header:
        match = DATE_LINE.match(line)
        if match:
            return _date(*match.groups())
    match = ISSUED_ON.search(doc.text())
    return _date(*match.groups()) if match else None


def _plan_years(plan: ParsedPlan, doc: Document) -> tuple[int | None, int | None, str]:
    """The plan's first and last year, from its title (and issue date for 三年行动计划), and where from."""
    title = plan.title
    match = YEAR_RANGE.search(title)
    if match:
        return int(match.group(1)), int(match.group(2)), "计划标题"
    span = SPAN_IN_YEARS.search(title)
    if span:
        years = _SPAN_NUMERALS[span.group(1)]
        if plan.issue_date:
            return plan.issue_date.year, plan.issue_date.year + years - 1, "计划标题和印发日期"
        number_year = re.search(r"〔(\d{4})〕", plan.doc_number)
        if number_year:
            start = int(number_year.group(1))
            return start, start + years - 1, "计划标题和发文字号"
        # No date at all (a task breakdown): the plan's stated target year is its end.
        targets = [int(y) for y in TARGET_YEAR.findall(doc.text())]
        if targets:
            end = Counter(targets).most_common(1)[0][0]
            return end - years + 1, end, "计划标题和正文目标年份"
        return None, None, ""
    match = SINGLE_YEAR.search(title)
    if match:
        return int(match.group(1)), int(match.group(1)), "计划标题"
    return None, None, ""


def _rows(doc: Document) -> list[list[str]]:
    """The document as rows of cells: table rows, tab-separated lines, rejoined paragraphs."""
    rows: list[list[str]] = []
    prose_lines: list[str] = []

    def flush_prose() -> None:
        rows.extend([paragraph] for paragraph in rejoin_wrapped_lines(prose_lines))
        prose_lines.clear()

    for block in doc.blocks:
        if isinstance(block, Table):
            flush_prose()
            rows.extend(block.rows)
            continue
        for line in block.split("\n"):
            if "\t" in line:
                flush_prose()
                rows.append(line.split("\t"))
            else:
                prose_lines.append(line)
    flush_prose()
    return rows


def _goal_texts(doc: Document) -> list[str]:
    """The text under a 目标 chapter (一、总体目标 / 一、主要目标), up to the next chapter."""
    goals: list[str] = []
    inside = False
    for row in _rows(doc):
        cells = [_clean_line(cell.replace("\n", "")) for cell in row]
        cells = [cell for cell in cells if cell]
        if not cells:
            continue
        first = cells[0]
        if CHAPTER_HEADING.match(first):
            if inside:
                return goals
            inside = GOAL_CHAPTER.match(first) is not None
            continue
        if not inside:
            continue
        longest = normalise_spacing(max(cells, key=len))
        if "。" in longest or len(longest) >= 20:
            goals.append(longest)
    return goals


def _fill_district_and_level(doc: Document, plan: ParsedPlan, fill, sources: dict[str, str]) -> None:
    """The district from the issuer, the title or a sheet name; the level from the district or 北京市/京."""
    if not plan.district:
        for field, label in (("issuing_body", "发文机关"), ("title", "计划标题")):
            match = DISTRICT.search(getattr(plan, field))
            if match:
                fill("district", match.group(0), label)
                break
        for name in doc.sheet_names:
            match = DISTRICT.search(name)
            if match:
                fill("district", match.group(0), "工作表名称")
    if not plan.level:
        if plan.district:
            fill("level", "district", sources.get("district", "所属区"))
        elif (
            "北京市" in plan.issuing_body
            or plan.title.startswith("北京市")
            or plan.doc_number.startswith("京")
        ):
            fill("level", "municipal", "发文机关" if "北京市" in plan.issuing_body else "计划标题")


def read_metadata(doc: Document, plan: ParsedPlan) -> dict[str, str]:
    """Fill the plan's title, issuer, 发文字号, date, level, district, years and goals.

    Only empty fields are filled: what the parser already set is kept. Returns where each
    field came from (field → a place the office recognises, e.g. "文件首页"), and keeps the
    same dict on ``plan.metadata_sources`` for the pipeline's caller.
    """
    header = _header_lines(doc)
    fields = _portal_fields(header)
    sources: dict[str, str] = dict(getattr(plan, "metadata_sources", {}))
    in_header = _header_source(doc)

    def fill(field: str, value, source: str) -> None:
        if value and not getattr(plan, field):
            setattr(plan, field, value)
            sources[field] = source

    fill("title", _find_title(header), in_header)
    if plan.title and any(_find_title([_clean_line(h)]) == plan.title for h in doc.headings):
        sources["title"] = "Word 标题段落"
    if not plan.title:
        fill("title", *_title_elsewhere(doc))
    fill(
        "issuing_body", _find_issuer(header, fields), "政务公开信息栏" if "发文机构" in fields else in_header
    )
    fill(
        "doc_number",
        _find_doc_number(header, fields),
        "政务公开信息栏" if "发文字号" in fields else in_header,
    )
    if plan.issue_date is None:
        fill("issue_date", _find_issue_date(doc, header, fields), in_header)

    _fill_district_and_level(doc, plan, fill, sources)
    if plan.year_start is None and plan.year_end is None:
        plan.year_start, plan.year_end, source = _plan_years(plan, doc)
        if plan.year_start:
            sources["years"] = source
    if not plan.goals:
        fill("goals", _goal_texts(doc), "正文“目标”一章")
    plan.metadata_sources = sources  # ParsedPlan does not declare it: the parsers own that module
    return sources
