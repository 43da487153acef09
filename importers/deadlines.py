"""When a measure is due: read 完成时限 cells and the dates written in measure texts.

Plans state deadlines loosely: a 完成时限 column (mentougou, beijing-2021) holds
words like 年底前, 6—9月, 长期实施, 供暖季前(11月15日前) or 按时间节点完成; other
plans (fengtai, xicheng, chaoyang) have no such column and put dates in the
text (2019年底前, 自2018年9月起, 到2020年, 2019、2020年底前). This module turns
both into a ``Deadline``: a kind, a due date where there is one, and the dated
milestones found in the text.

Words without a year (年底前, 6月底) mean the plan's year. In a multi-year plan
(2018–2020) that year is a guess unless the measure text names one: we take
the plan's last year, set ``guessed`` and say so in a Chinese note, and
``date_measures`` sums the guesses up in one plan warning for the office to check.

Pure and fast: no database, regexes compiled once.
"""

# Long module: the phrases (regexes), the year guessing and the cascade of readings are one reader of a
# cell, tested as one (tests/importers/test_deadlines.py); splitting them would scatter the rule's order.
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .parsed import Deadline, Milestone, ParsedPlan

# Beijing's heating season starts on 15 November (北京市供热采暖管理办法); plans
# write 采暖季前/供暖季前 for "before the heating is switched on".
HEATING_SEASON_START = (11, 15)
HEATING_SEASON_END = (3, 15)
# 秋冬季攻坚 in the Beijing–Tianjin–Hebei plans runs from October to March.
AUTUMN_WINTER_START = (10, 1)
AUTUMN_WINTER_END = (3, 31)

_YEAR = r"(?:19|20)\d{2}"
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Every date phrase we read, in one alternation so a single left-to-right scan
# finds them all; a longer, more explicit form starts earlier than the bare
# relative form it contains (2019年底前 vs 年底前), so the leftmost match wins.
_DATE_PHRASES = re.compile(
    "|".join(
        [
            # 2019、2020年底前: one milestone per year
            rf"(?P<year_list>{_YEAR}(?:[、,和及与]{_YEAR})+)年(?:底前?|末|前)",
            # 自2018年9月起 / 自2019年起 / 自2019年7月, (start)
            rf"(?:自|从)(?P<from_y>{_YEAR})年(?:(?P<from_m>\d{{1,2}})月(?:(?P<from_d>\d{{1,2}})日)?)?"
            r"(?:起|开始|以来)?",
            # 2019年起 / 2023年11月起 (start)
            rf"(?P<start_y>{_YEAR})年(?:(?P<start_m>\d{{1,2}})月(?:(?P<start_d>\d{{1,2}})日)?)?(?:起|开始)",
            # 2019年3月底前 / 2020年10月1日前 / 到2023年底 / 2018年底前
            rf"(?:(?<![\d年])(?:到|至|截至|截止到?|于))?(?P<due_y>{_YEAR})年"
            r"(?:(?P<due_m>\d{1,2})月(?:(?P<due_d>\d{1,2})日)?)?(?P<due_end>底前|底|末|以前|之前|前)",
            # 2023年6月30日 (a plain full date)
            rf"(?P<full_y>{_YEAR})年(?P<full_m>\d{{1,2}})月(?P<full_d>\d{{1,2}})日",
            # 到2020年 (by the end of that year)
            rf"(?<![\d年])(?:到|至)(?P<by_y>{_YEAR})年",
            # "2016年8月，海口…完成": a month opening a clause is that clause's deadline
            rf"(?<![^。；;,:！!])(?P<clause_ym_y>{_YEAR})年(?P<clause_ym_m>\d{{1,2}})月(?=[,])",
            # "。2019年，…" : a year opening a clause sets that year's target
            rf"(?<![^。；;,:！!])(?P<clause_y>{_YEAR})年(?=[,])",
            # 年底前 / 年末 / 年内, without a year (not 一年内, 每年年底前, 全年)
            r"(?<![\d一二两三四五六七八九十半几多每全去明上下往近历年])(?P<rel_year>年底前?|年末|年内)",
            # 6月底 / 11月15日前 / 7月起, without a year (not the 9月 of 6—9月)
            r"(?<![\d年\-—–~至到、])(?P<rel_m>\d{1,2})月(?:(?P<rel_d>\d{1,2})日)?"
            r"(?P<rel_end>底前|底|末|中旬前|以前|之前|前|起)",
            # 一季度 / 第三季度 (not 每季度)
            r"(?<!每)(?:第)?(?P<quarter>[一二三四1-4])季度(?:末|底)?前?",
            # 上半年 / 下半年
            r"(?<!每)(?P<half>[上下])半年",
        ]
    )
)

# Deadline-cell words (checked on the normalised cell, in this order).
_ONGOING = re.compile(r"^(?:长期|持续|常态化|长效|经常性|日常)|长期(?:实施|坚持|执行|推进)")
_BY_MILESTONES = re.compile(r"时间节点|按节点|分阶段|分步")
_MONTH_WINDOW = re.compile(r"(?P<a>\d{1,2})月?份?[-—–~至到]+(?P<b>\d{1,2})月")
_RECURRING = re.compile(r"每(?:月|季度?|周|年|半年|旬|日|天)|按(?:月|季度?|周|年)|逐(?:月|年)|定期")
_BEFORE_HEATING = re.compile(r"(?:采暖|供暖|取暖)季?(?:开始)?前")
_HEATING_SEASON = re.compile(r"(?:采暖|供暖|取暖)季")
_AUTUMN_WINTER = re.compile(r"秋冬季")
_PLAIN_YEAR_MONTH = re.compile(rf"^(?P<y>{_YEAR})年(?:(?P<m>\d{{1,2}})月份?)?(?:内|完成)?$")
_PLAIN_MONTH = re.compile(r"^(?P<m>\d{1,2})月份?(?:内|完成)?$")
_PLAIN_YEAR_END = re.compile(r"^(?:本年度?|当年|今年|年度)?(?:年底|年末|年内|年度内|全年|年度)(?:完成)?$")
_NO_DEADLINE = re.compile(r"^[-—–/无、]*$")
_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"</?p>")
_YEAR_SPAN = re.compile(rf"(?P<a>{_YEAR})\s*(?:年)?\s*[-—–~至到]\s*(?P<b>{_YEAR})\s*年")
_ONE_YEAR = re.compile(rf"(?P<y>{_YEAR})\s*年")


def normalise(text: str) -> str:
    """Fold full-width digits/brackets to ASCII and drop whitespace and <p> tags.

    Extracted text breaks phrases anywhere (``长期\\n实施``, ``2019 年 1月起``),
    so dates are read with every space removed.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return _WHITESPACE.sub("", _TAG.sub("", text))


def _chinese_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int | None) -> dt.date | None:
    """The date, the month's end if day is None, or None if the text names no such day."""
    if not 1 <= month <= 12:
        return None
    if day is None:
        return _month_end(year, month)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass
class _Found:
    """A date phrase found in a text; ``year`` is None where the text gave no year."""

    text: str
    kind: str  # "due" or "start"
    year: int | None
    month: int
    day: int | None  # None: the month's last day (for "due") or first (for "start")

    def resolve(self, year: int) -> dt.date | None:
        if self.kind == "start":
            return _safe_date(year, self.month, self.day or 1)
        return _safe_date(year, self.month, self.day)


def _scan(text: str) -> list[_Found]:
    """Every date phrase in an already normalised text, in order."""
    found: list[_Found] = []
    for match in _DATE_PHRASES.finditer(text):
        group = match.group
        words = match.group(0)
        if group("year_list"):
            for year in re.findall(_YEAR, group("year_list")):
                found.append(_Found(words, "due", int(year), 12, None))
        elif group("from_y"):
            found.append(_start(words, group("from_y"), group("from_m"), group("from_d")))
        elif group("start_y"):
            found.append(_start(words, group("start_y"), group("start_m"), group("start_d")))
        elif group("due_y"):
            found.append(_due(words, int(group("due_y")), group("due_m"), group("due_d"), group("due_end")))
        elif group("full_y"):
            year, month, day = int(group("full_y")), int(group("full_m")), int(group("full_d"))
            found.append(_Found(words, "due", year, month, day))
        elif group("by_y"):
            found.append(_Found(words, "due", int(group("by_y")), 12, None))
        elif group("clause_ym_y"):
            found.append(_Found(words, "due", int(group("clause_ym_y")), int(group("clause_ym_m")), None))
        elif group("clause_y"):
            found.append(_Found(words, "due", int(group("clause_y")), 12, None))
        elif group("rel_year"):
            found.append(_Found(words, "due", None, 12, None))
        elif group("rel_m"):
            if group("rel_end") == "起":
                found.append(_start(words, None, group("rel_m"), group("rel_d")))
            else:
                found.append(_due(words, None, group("rel_m"), group("rel_d"), group("rel_end")))
        elif group("quarter"):
            found.append(_Found(words, "due", None, 3 * _CN_QUARTER[group("quarter")], None))
        elif group("half"):
            found.append(_Found(words, "due", None, 6 if group("half") == "上" else 12, None))
    return found


def _start(words: str, year: str | None, month: str | None, day: str | None) -> _Found:
    return _Found(
        words, "start", int(year) if year else None, int(month) if month else 1, int(day) if day else None
    )


def _due(words: str, year: int | None, month: str | None, day: str | None, ending: str) -> _Found:
    if month is None:
        return _Found(words, "due", year, 12, None)
    month_number = int(month)
    if day is not None:
        return _Found(words, "due", year, month_number, int(day))
    if ending in ("前", "以前", "之前"):
        # "6月前": before June starts, i.e. by the end of May.
        if month_number == 1 and year is not None:
            return _Found(words, "due", year - 1, 12, None)
        if 2 <= month_number <= 12:
            return _Found(words, "due", year, month_number - 1, None)
    if ending == "中旬前":
        return _Found(words, "due", year, month_number, 10)
    return _Found(words, "due", year, month_number, None)


@dataclass
class _PlanYears:
    """Which year a phrase without a year (年底前) means, for one measure."""

    year_start: int | None
    year_end: int | None
    explicit_years: list[int] = field(default_factory=list)  # years the measure text names

    @property
    def multi_year(self) -> bool:
        return self.year_start is not None and self.year_end is not None and self.year_start != self.year_end

    def year_for(self, phrase: str, guesses: list[tuple[str, int]]) -> tuple[int | None, str]:
        """The year a relative phrase means and a note if that is not certain."""
        plan_year = self.year_end if self.year_end is not None else self.year_start
        if plan_year is None:
            return None, f"计划年份不明，“{phrase}”无法确定日期"
        if not self.multi_year:
            return plan_year, ""
        if self.explicit_years:
            year = max(self.explicit_years)
            return year, f"“{phrase}”未写年份，按措施内容中的{year}年计"
        guesses.append((phrase, plan_year))
        return plan_year, (
            f"“{phrase}”未写年份，本计划为{self.year_start}—{self.year_end}年，按{plan_year}年计，请核对"
        )


def _milestones(
    found: list[_Found], years: _PlanYears, guesses: list[tuple[str, int]], notes: list[str]
) -> list[Milestone]:
    milestones: list[Milestone] = []
    seen: set[tuple[dt.date, str]] = set()
    year_before: int | None = None  # the last year the text named, for "自2019年起7月起"
    for item in found:
        year = item.year
        if year is not None:
            year_before = year
        elif years.multi_year and year_before is not None:
            year = year_before
            note = f"“{item.text}”未写年份，按上文的{year}年计"
            if note not in notes:
                notes.append(note)
        else:
            year, note = years.year_for(item.text, guesses)
            if note and note not in notes:
                notes.append(note)
            if year is None:
                continue
        date = item.resolve(year)
        if date is None or (date, item.kind) in seen:
            continue
        seen.add((date, item.kind))
        milestones.append(Milestone(date=date, text=item.text, kind=item.kind))
    milestones.sort(key=lambda m: m.date)
    return milestones


def _latest(milestones: list[Milestone]) -> dt.date | None:
    """The latest milestone: by then every step, including what starts (自2020年起), is in place."""
    return max((m.date for m in milestones), default=None)


def _plan_end(years: _PlanYears) -> dt.date | None:
    year = years.year_end if years.year_end is not None else years.year_start
    return dt.date(year, 12, 31) if year is not None else None


@dataclass
class _Reading:
    """One 完成时限 cell being read: what is known so far, and the guesses and notes made on the way."""

    raw: str
    cell: str
    years: _PlanYears
    text_milestones: list[Milestone]
    guesses: list[tuple[str, int]]
    notes: list[str]

    def finish(
        self,
        kind: str,
        due: dt.date | None = None,
        *,
        window: tuple[dt.date, dt.date] | None = None,
        extra: list[Milestone] | None = None,
    ) -> Deadline:
        milestones = sorted([*(extra or []), *self.text_milestones], key=lambda m: m.date)
        return Deadline(
            kind=kind,
            raw_text=self.raw,
            due_date=due,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            milestones=milestones,
            guessed=bool(self.guesses),
            note="；".join(self.notes),
        )

    def relative(self, month: int, day: int | None) -> dt.date | None:
        """A month (and day) without a year: in the year the cell or the plan suggests (noted)."""
        year, note = self.years.year_for(self.cell, self.guesses)
        if note and note not in self.notes:
            self.notes.append(note)
        return _safe_date(year, month, day) if year is not None else None


def _by_words(r: _Reading) -> Deadline | None:
    """无 / 长期坚持 / 按时间节点: the cell says how the deadline is set rather than when."""
    if _NO_DEADLINE.match(r.cell):
        if r.text_milestones:
            return r.finish("dated", _latest(r.text_milestones))
        if _plan_end(r.years) is None:
            r.notes.append("未写完成时限，计划年份不明，无法确定日期")
        return r.finish("plan_end", _plan_end(r.years))
    if _ONGOING.search(r.cell):
        return r.finish("ongoing")
    if _BY_MILESTONES.search(r.cell):
        if r.text_milestones:
            return r.finish("milestones", _latest(r.text_milestones))
        end = _plan_end(r.years)
        r.notes.append(
            "措施内容中未找到时间节点，按计划期末计" + (f"（{_chinese_date(end)}）" if end else "")
        )
        return r.finish("milestones", end)
    return None


def _by_month_window(r: _Reading) -> Deadline | None:
    """6—9月 (a window of months), or a recurring duty (每月, 每年)."""
    window = _MONTH_WINDOW.search(r.cell)
    if window:
        first, last = int(window.group("a")), int(window.group("b"))
        start, end = r.relative(first, 1), r.relative(last, None)
        if start and end:
            if end < start:  # 11—3月 runs into the next year
                end = _month_end(end.year + 1, last)
            return r.finish("window", end, window=(start, end))
    if _RECURRING.search(r.cell):
        return r.finish("recurring")
    return None


def _by_cell_dates(r: _Reading) -> Deadline | None:
    """Dates written in the cell: one (dated), several (milestones) or only starts (ongoing)."""
    cell_found = _scan(r.cell)
    if not cell_found:
        return None
    cell_milestones = _milestones(cell_found, r.years, r.guesses, r.notes)
    if not cell_milestones:
        return None
    if all(m.kind == "start" for m in cell_milestones):
        return r.finish("ongoing", extra=cell_milestones)
    kind = "milestones" if len({m.date for m in cell_milestones}) > 1 else "dated"
    extra = cell_milestones if kind == "milestones" else []
    return r.finish(kind, _latest(cell_milestones), extra=extra)


def _by_season(r: _Reading) -> Deadline | None:
    """采暖季前, 采暖季, 秋冬季."""
    if _BEFORE_HEATING.search(r.cell):
        return r.finish("dated", r.relative(*HEATING_SEASON_START))
    if _HEATING_SEASON.search(r.cell) or _AUTUMN_WINTER.search(r.cell):
        start_md, end_md = (
            (HEATING_SEASON_START, HEATING_SEASON_END)
            if _HEATING_SEASON.search(r.cell)
            else (AUTUMN_WINTER_START, AUTUMN_WINTER_END)
        )
        start = r.relative(*start_md)
        if start is not None:
            end = dt.date(start.year + 1, *end_md)
            return r.finish("window", end, window=(start, end))
    return None


def _by_plain_date(r: _Reading) -> Deadline | None:
    """A bare 2020年6月, 6月 or 年底."""
    plain = _PLAIN_YEAR_MONTH.match(r.cell)
    if plain:
        year, month = int(plain.group("y")), int(plain.group("m") or 12)
        due = _safe_date(year, month, None)
        if due:
            return r.finish("dated", due)
    plain = _PLAIN_MONTH.match(r.cell)
    if plain:
        due = r.relative(int(plain.group("m")), None)
        if due:
            return r.finish("dated", due)
    if _PLAIN_YEAR_END.match(r.cell):
        return r.finish("dated", r.relative(12, None))
    return None


def _parse(
    deadline_text: str, measure_text: str, year_start: int | None, year_end: int | None
) -> tuple[Deadline, list[tuple[str, int]], bool]:
    """The deadline, the (phrase, year) guesses made, and whether the cell text was not understood.

    The readings are tried in order; the first that understands the cell wins."""
    raw = deadline_text or ""
    text_found = _scan(normalise(measure_text))
    years = _PlanYears(year_start, year_end, [f.year for f in text_found if f.year is not None])
    guesses: list[tuple[str, int]] = []
    notes: list[str] = []
    text_milestones = _milestones(text_found, years, guesses, notes)
    r = _Reading(raw, normalise(raw), years, text_milestones, guesses, notes)
    for reading in (_by_words, _by_month_window, _by_cell_dates, _by_season, _by_plain_date):
        deadline = reading(r)
        if deadline is not None:
            return deadline, guesses, False
    end = _plan_end(years)
    notes.append(
        f"未能识别完成时限“{raw.strip()}”，按计划期末计"
        + (f"（{_chinese_date(end)}）" if end else "")
        + "，请核对"
    )
    return r.finish("plan_end", end), guesses, True


def parse_deadline(
    deadline_text: str, measure_text: str, *, year_start: int | None, year_end: int | None
) -> Deadline:
    """Read a 完成时限 cell (may be "") together with the measure's text.

    Dates in the measure text always become milestones. The kind and due date
    come from the cell when it says something, else from the text's latest
    milestone, else the plan's end (31 December of year_end).
    """
    deadline, _guesses, _unknown = _parse(deadline_text, measure_text, year_start, year_end)
    return deadline


_DOC_NUMBER_YEAR = re.compile(rf"[\[(〔【［](?P<y>{_YEAR})[\])〕】］]")


def _plan_years(plan: ParsedPlan) -> tuple[int | None, int | None, str]:
    """The plan's years and where they came from: "plan", "title", "text", "issued" (发文字号) or ""."""
    if plan.year_start is not None or plan.year_end is not None:
        return plan.year_start, plan.year_end, "plan"
    title = unicodedata.normalize("NFKC", plan.title or "")
    span = _YEAR_SPAN.search(title)
    if span:
        return int(span.group("a")), int(span.group("b")), "title"
    single = _ONE_YEAR.search(title)
    if single:
        return int(single.group("y")), int(single.group("y")), "title"
    years = [
        found.year
        for chapter in plan.chapters
        for task in chapter.tasks
        for measure in task.measures
        for found in _scan(normalise(measure.text))
        if found.year is not None
    ]
    if years:
        return min(years), max(years), "text"
    # A notice with no year in its title or text (关于切实做好秋冬季大气污染防治工作的通知):
    # its 发文字号 (石政办发〔2017〕185号) or date of issue says which year it is about.
    issued = _DOC_NUMBER_YEAR.search(unicodedata.normalize("NFKC", plan.doc_number or ""))
    if issued:
        return int(issued.group("y")), int(issued.group("y")), "issued"
    if plan.issue_date is not None:
        return plan.issue_date.year, plan.issue_date.year, "issued"
    return None, None, ""


def date_measures(plan: ParsedPlan) -> None:
    """Set ``deadline`` on every measure of the plan and add a warning summing up the guesses."""
    year_start, year_end, source = _plan_years(plan)
    if source in ("title", "text", "issued"):
        span = f"{year_start}年" if year_start == year_end else f"{year_start}—{year_end}年"
        where = {"title": "标题", "text": "措施内容", "issued": "发文字号或印发日期"}[source]
        plan.warnings.append(f"计划未写明起止年份，按{where}中的{span}推算完成时限，请核对")
    elif not source:
        plan.warnings.append("计划起止年份不明，“年底前”等未写年份的完成时限无法确定日期，请补充计划年份")

    guessed: Counter[tuple[str, int]] = Counter()
    unknown: list[str] = []
    at_plan_end = 0
    for chapter in plan.chapters:
        for task in chapter.tasks:
            for measure in task.measures:
                deadline, guesses, not_understood = _parse(
                    measure.deadline_text, measure.text, year_start, year_end
                )
                measure.deadline = deadline
                for guess in set(guesses):
                    guessed[guess] += 1
                if not_understood:
                    unknown.append(measure.deadline_text.strip())
                    measure.warnings.append(deadline.note)
                elif deadline.kind == "plan_end":
                    at_plan_end += 1

    for (phrase, year), count in sorted(guessed.items(), key=lambda item: (-item[1], item[0])):
        plan.warnings.append(f"{count} 条措施的“{phrase}”未写年份，按{year}年计，请核对")
    if at_plan_end and year_end is not None:
        plan.warnings.append(
            f"{at_plan_end} 条措施未写完成时限，内容中也没有日期，按计划期末（{year_end}年12月31日）计"
        )
    if unknown:
        shown = "、".join(f"“{text}”" for text in dict.fromkeys(unknown))
        plan.warnings.append(f"{len(unknown)} 条措施的完成时限无法识别（{shown}），按计划期末计，请核对")
