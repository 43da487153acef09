"""周通报: the weekly notice for the office, a .docx built with python-docx.

For the week Monday ``week_start`` … Sunday: a title and the period, a summary
paragraph with the key figures, overdue measures by unit, units whose latest
monthly report is late or missing (of the units that owe that month's report:
reports/reporting_units.py), the measures completed that week, and the
units that did best and worst (the monthly ranking's score, computed as of
the week's end). Stored as ``WeeklyNotice`` (one per week and jurisdiction; regenerating
replaces the file atomically).

A jurisdiction's notice (``scope``: the jurisdiction an office works for) covers its plans' measures
and its units, and names it in its title and 落款 (丰台区…周通报, 丰台区大气污染综合治理领导小组办公室).
"""

# Long module: the notice's figures and the document that prints them change together (a new
# section is a new figure and its paragraph); split the document out when a second layout appears.
from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bluesky.sheet_text import clean_text
from departments.models import Unit
from reports.atomic_files import save_atomically
from reports.models import MonthlyReport, WeeklyNotice
from reports.reporting_units import reporting_units
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, ProgressUpdate, in_force_q, in_scope_q

from . import gongwen
from .ranking import active_formula, district_name, formula_as_dict, formula_text, unit_scores

BEST_AND_WORST = 3
# What fits the notice on a few pages; the rest is in the system's lists, and the notice says so.
OVERDUE_UNITS_SHOWN = 15
REFERENCES_SHOWN = 8
COMPLETED_SHOWN = 15
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_iso_week(text: str) -> dt.date:
    """ "2026-W10" → that week's Monday; ValueError with a Chinese message otherwise."""
    match = ISO_WEEK.match(text.strip())
    if not match:
        raise ValueError("周次格式应为 YYYY-Www，例如 2026-W10。")
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"{text.strip()} 不是有效的周次。") from None


def previous_week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday() + 7)


def week_label(week_start: dt.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def week_end(week_start: dt.date) -> dt.date:
    """The Sunday that closes the week starting on Monday ``week_start``."""
    return week_start + dt.timedelta(days=6)


def unit_labels(units: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Each unit's name as the notice prints it: ``units`` maps id → (name, district).

    Every district has its own 区城市管理委, so a name that more than one of
    ``units`` carries gets its district added, as ``Unit.__str__`` writes it
    ("区城市管理委（丰台区）"; a municipal unit is 市级). Names only one unit
    carries stay short. One label per unit for the whole notice.
    """
    carriers = Counter(name for name, _ in units.values())
    return {
        pk: f"{name}（{district_name(district)}）" if carriers[name] > 1 else name
        for pk, (name, district) in units.items()
    }


@dataclass
class NoticeData:
    week_start: dt.date
    week_end: dt.date
    figures: dict
    overdue_by_unit: list[tuple[str, list[str]]]  # unit label, references of its overdue measures
    report_period: dt.date | None
    report_problems: list[tuple[str, str]]  # unit label, 未报送 / 逾期报送（日期）
    completed: list[tuple[str, str, str, dt.date, bool]]  # reference, text, unit labels, date, 逾期完成
    best: list  # (unit label, UnitScore)
    worst: list
    formula: str  # how the scores were computed, as the ranking file says it
    scope_name: str = ""  # the jurisdiction the notice covers; empty: everything


def plan_short_name(doc_number: str, district: str, year_start: int, year_end: int) -> str:
    """A plan as a notice names it in a few characters: its 发文字号, else 丰台区2018—2020年计划."""
    if doc_number:
        return doc_number
    years = f"{year_start}" if year_start == year_end else f"{year_start}—{year_end}"
    return f"{district_name(district)}{years}年计划"


def measure_references(ids) -> dict[int, tuple[str, str]]:
    """Each measure as a reader can find it: (the plan's short name, the measure's code), one query.

    A code like 12-1 repeats in every plan, so a code alone names no measure.
    """
    return {
        pk: (plan_short_name(number, district, start, end), code)
        for pk, code, number, district, start, end in Measure.objects.filter(pk__in=ids).values_list(
            "pk",
            "code",
            "task__chapter__plan__doc_number",
            "task__chapter__plan__district",
            "task__chapter__plan__year_start",
            "task__chapter__plan__year_end",
        )
    }


def references_text(references: list[tuple[str, str]], limit: int | None = None) -> str:
    """Measures grouped by plan: "丰台区2018—2020年计划 1-2、4-1；京政办发〔2021〕3号 7-3", at most ``limit`` codes."""
    shown = sorted(references)[:limit]
    by_plan: dict[str, list[str]] = defaultdict(list)
    for plan, code in shown:
        by_plan[plan].append(code)
    text = "；".join(f"{plan} {'、'.join(codes)}" for plan, codes in by_plan.items())
    return text + (f"等{len(references)}项" if len(references) > len(shown) else "")


def _latest_report_period(week_end: dt.date, calendar: WorkdayCalendar) -> dt.date:
    period = previous_month(first_of_month(week_end))
    return period if report_due_date(period, calendar) <= week_end else previous_month(period)


def _overdue_by_unit_id(
    units: dict, next_day: dt.date, scope=None
) -> tuple[dict[int, tuple[str, str]], dict[int, set[int]]]:
    """The measures overdue at the week's end (id → reference) and each unit's of them (unit id → ids).

    By unit id, never by name: 区城市管理委 of four districts are four rows. A code repeats across
    plans, so a unit's measures are counted by id too. Adds the carrying units to ``units``."""
    overdue = measure_references(Measure.objects.in_force().in_scope(scope).overdue(on=next_day).values("pk"))
    overdue_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, name, district, measure_id in Assignment.objects.filter(measure_id__in=overdue).values_list(
        "unit_id", "unit__name", "unit__district", "measure_id"
    ):
        units.setdefault(unit_id, (name, district))
        overdue_of[unit_id].add(measure_id)
    return overdue, overdue_of


def _completed_ids(start_at: dt.datetime, end_at: dt.datetime, scope=None) -> set[int]:
    """Completed in the week: a progress update that set it done (a 协办单位's own part does not),
    or the office's sign-off."""
    return set(
        ProgressUpdate.objects.completions()
        .filter(in_force_q("measure__"), in_scope_q(scope, "measure__"))
        .filter(created_at__gte=start_at, created_at__lt=end_at)
        .values_list("measure_id", flat=True)
    ) | set(
        Measure.objects.in_force()
        .in_scope(scope)
        .filter(signed_off_at__gte=start_at, signed_off_at__lt=end_at)
        .values_list("pk", flat=True)
    )


def _carriers(units: dict, measure_ids) -> dict[int, set[int]]:
    """measure id → the ids of the units carrying it; adds those units to ``units``."""
    carriers: dict[int, set[int]] = defaultdict(set)
    for measure_id, unit_id, name, district in Assignment.objects.filter(
        measure_id__in=measure_ids
    ).values_list("measure_id", "unit_id", "unit__name", "unit__district"):
        units.setdefault(unit_id, (name, district))
        carriers[measure_id].add(unit_id)
    return carriers


def _completed_rows(done_ids, carriers, labels, start_at, end_at) -> list[tuple[str, str, str, dt.date]]:
    """The week's completed measures as the notice lists them: reference, text, units, the day."""
    done_on = {}
    for measure_id, moment in (
        ProgressUpdate.objects.completions()
        .filter(measure_id__in=done_ids, created_at__gte=start_at, created_at__lt=end_at)
        .values_list("measure_id", "created_at")
    ):
        done_on[measure_id] = min(
            done_on.get(measure_id, timezone.localdate(moment)), timezone.localdate(moment)
        )
    completed = []
    references = measure_references(done_ids)
    late_ids = set(Measure.objects.filter(pk__in=done_ids).finished_late().values_list("pk", flat=True))
    for measure in Measure.objects.filter(pk__in=done_ids).order_by("code", "pk"):
        when = done_on.get(measure.pk) or timezone.localdate(measure.signed_off_at)
        names = "、".join(sorted(labels[unit_id] for unit_id in carriers[measure.pk]))
        completed.append(
            (references_text([references[measure.pk]]), measure.text, names, when, measure.pk in late_ids)
        )
    return completed


def _report_problems(owing, labels, *, period: dt.date, due: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """The owing units whose report for ``period`` was not in by the week's end, or came after ``due``."""
    reports = {r.unit_id: r for r in MonthlyReport.objects.filter(period=period, unit_id__in=owing)}
    problems = []
    for unit_id in sorted(owing, key=lambda pk: (labels[pk], pk)):
        report = reports.get(unit_id)
        first = report.first_submitted_at if report else None
        if first is None or timezone.localdate(first) > end:
            problems.append((labels[unit_id], "未报送"))
        elif timezone.localdate(first) > due:
            problems.append((labels[unit_id], f"逾期报送（{timezone.localdate(first):%m月%d日}）"))
    return problems


def notice_data(*, week_start: dt.date, calendar: WorkdayCalendar | None = None, scope=None) -> NoticeData:
    calendar = calendar or WorkdayCalendar.from_database()
    end = week_end(week_start)
    next_day = end + dt.timedelta(days=1)
    units = {
        pk: (name, district)
        for pk, name, district in reporting_units().in_scope(scope).values_list("pk", "name", "district")
    }
    responsible_units = len(units)  # every unit carrying measures, whichever months it owes reports for
    overdue, overdue_of = _overdue_by_unit_id(units, next_day, scope)
    start_at = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
    end_at = timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
    done_ids = _completed_ids(start_at, end_at, scope)
    carriers = _carriers(units, done_ids)
    labels = unit_labels(units)
    overdue_by_unit = sorted(
        ((labels[unit_id], sorted(overdue[m] for m in measures)) for unit_id, measures in overdue_of.items()),
        key=lambda row: (-len(row[1]), row[0]),
    )
    completed = _completed_rows(done_ids, carriers, labels, start_at, end_at)

    period = _latest_report_period(end, calendar)
    due = report_due_date(period, calendar)
    # Scored and checked: the units owing the month's report (a plan imported since adds none).
    formula = active_formula()
    scores = unit_scores(
        as_of=end, period=period, formula=formula, units=None if scope is None else Unit.objects.within(scope)
    )
    problems = _report_problems([s.unit_id for s in scores], labels, period=period, due=due, end=end)

    ranked = [(labels[s.unit_id], s) for s in scores]
    best = ranked[:BEST_AND_WORST]
    worst = [s for s in ranked[-BEST_AND_WORST:] if s not in best][::-1]

    figures = {
        "week": week_label(week_start),
        "units": responsible_units,
        "open_measures": Measure.objects.in_force().in_scope(scope).open().count(),
        "overdue_measures": len(overdue),
        "units_with_overdue": len(overdue_by_unit),
        "completed_this_week": len(completed),
        "completed_late_this_week": sum(1 for *_, late in completed if late),
        "report_period": f"{period:%Y-%m}",
        "report_due_date": f"{due:%Y-%m-%d}",
        "reports_missing": sum(1 for _, state in problems if state == "未报送"),
        "reports_late": sum(1 for _, state in problems if state != "未报送"),
    }
    return NoticeData(
        week_start,
        end,
        figures,
        overdue_by_unit,
        period,
        problems,
        completed,
        best,
        worst,
        formula_text(formula_as_dict(formula)),
        scope.name if scope is not None else "",
    )


def _score_cells(label: str, score) -> list:
    return [label, f"{score.score}", score.overdue, f"{score.on_time_report_rate:.0%}"]


def _heading(document, text: str, level: int = 1) -> None:
    document.add_paragraph(text, style="公文一级标题" if level == 1 else "公文二级标题")


def _body(document, text: str) -> None:
    for line in clean_text(text).splitlines():
        if line.strip():
            document.add_paragraph(line.strip())


def default_opening(week_start: dt.date) -> str:
    end = week_end(week_start)
    return f"现将{week_start:%Y年%m月%d日}至{end:%m月%d日}各责任单位蓝天保卫战任务落实情况通报如下。"


DEFAULT_CLOSING = "请有逾期措施的单位抓紧推进、及时报送进展；请未按时报送月报的单位于3个工作日内补报。"


def _listed_section(document, heading: str, items: list, *, limit: int, empty: str, table, more: str) -> None:
    """A section listing at most ``limit`` items in a table (``table``: headers, row maker, column widths),
    then how many more there are (``more`` with ``{n}``), or ``empty`` when there is none."""
    _heading(document, heading)
    if not items:
        document.add_paragraph(empty)
        return
    headers, row, widths = table
    shown = items[:limit]
    gongwen.table(document, headers, [row(item) for item in shown], widths)
    if len(items) > len(shown):
        document.add_paragraph(more.format(n=len(items) - len(shown)))


def _reports_section(document, data: NoticeData) -> None:
    _heading(document, f"三、月报报送情况（{data.report_period:%Y年%m月}）")
    if not data.report_problems:
        document.add_paragraph("各单位均已按时报送。")
        return
    missing = [label for label, state in data.report_problems if state == "未报送"]
    late = [
        f"{label}{state.removeprefix('逾期报送')}"
        for label, state in data.report_problems
        if state != "未报送"
    ]
    if missing:
        document.add_paragraph(f"未报送（{len(missing)}个）：{'、'.join(missing)}。")
    if late:
        document.add_paragraph(f"逾期报送（{len(late)}个）：{'、'.join(late)}。")


def _scores_section(document, data: NoticeData) -> None:
    _heading(document, "五、表现较好和较差的单位")
    headers = ["单位", "得分", "逾期措施", "月报按时率"]
    _heading(document, "（一）表现较好", 2)
    gongwen.table(
        document, headers, [_score_cells(label, score) for label, score in data.best], [70, 26, 30, 30]
    )
    _heading(document, "（二）表现较差", 2)
    gongwen.table(
        document, headers, [_score_cells(label, score) for label, score in data.worst], [70, 26, 30, 30]
    )
    document.add_paragraph(f"（得分按月排名计分规则计算，截至{data.week_end:%m月%d日}：{data.formula}。）")


def _overall_text(data: NoticeData) -> str:
    f = data.figures
    late = f.get("completed_late_this_week")
    return (
        f"截至{data.week_end:%m月%d日}，{f['units']}个责任单位共有未完成措施{f['open_measures']}项，"
        f"其中逾期未完成{f['overdue_measures']}项，涉及{f['units_with_overdue']}个单位；"
        f"本周完成措施{f['completed_this_week']}项{f'（其中逾期完成{late}项）' if late else ''}。"
        f"{data.report_period:%Y年%m月}月报（{f['report_due_date']}截止）"
        f"未报送{f['reports_missing']}个单位，逾期报送{f['reports_late']}个单位。"
    )


def _completed_on_text(day: dt.date, *, late: bool) -> str:
    """The 完成日期 cell: the day, marked when the measure was finished after its deadline."""
    return f"{day:%m-%d}" + ("（逾期完成）" if late else "")


def issuer_name(name: str, scope_name: str) -> str:
    """The 发文机关 of a jurisdiction's notice: the configured name, preceded by the jurisdiction's unless it
    already names it (北京市丰台区… stays as it is)."""
    return name if not scope_name or scope_name in name else f"{scope_name}{name}"


def _signature(data: NoticeData) -> str:
    return issuer_name(settings.BLUESKY_NOTICE_SIGNATURE, data.scope_name)


def notice_document(
    data: NoticeData, *, opening: str = "", closing: str = "", issued: dt.date | None = None
) -> bytes:
    """The notice as a GB/T 9704 document (gongwen.py); ``opening`` and ``closing`` are the office's own words."""
    document = gongwen.official_document()
    if settings.BLUESKY_NOTICE_ISSUER:
        gongwen.red_header(document, issuer_name(settings.BLUESKY_NOTICE_ISSUER, data.scope_name))
    document.add_paragraph(
        f"{data.scope_name}蓝天保卫战任务落实情况周通报（{data.week_start.year}年第{data.week_start.isocalendar()[1]}周）",
        style="公文标题",
    )
    period = document.add_paragraph(f"统计周期：{data.week_start:%Y年%m月%d日}—{data.week_end:%Y年%m月%d日}")
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period.paragraph_format.first_line_indent = 0
    _body(document, opening or default_opening(data.week_start))

    _heading(document, "一、总体情况")
    document.add_paragraph(_overall_text(data))
    _listed_section(
        document,
        "二、逾期措施（按单位）",
        data.overdue_by_unit,
        limit=OVERDUE_UNITS_SHOWN,
        empty="本周无逾期措施。",
        table=(
            ["单位", "逾期项数", "逾期措施（计划简称 编号）"],
            lambda unit: [unit[0], len(unit[1]), references_text(unit[1], REFERENCES_SHOWN)],
            [40, 22, 94],
        ),
        more="另有{n}个单位有逾期措施，详见系统“逾期措施”清单。",
    )
    _reports_section(document, data)
    _listed_section(
        document,
        "四、本周完成的措施",
        data.completed,
        limit=COMPLETED_SHOWN,
        empty="本周没有完成的措施。",
        table=(
            ["措施", "具体措施", "责任单位", "完成日期"],
            lambda done: [done[0], _short(done[1]), done[2], _completed_on_text(done[3], late=done[4])],
            [34, 70, 34, 18],
        ),
        more="另有{n}项，详见系统。",
    )
    _scores_section(document, data)

    _body(document, closing or DEFAULT_CLOSING)
    gongwen.signature(document, _signature(data), issued or timezone.localdate())
    document.core_properties.title = f"周通报 {week_label(data.week_start)}"
    document.core_properties.author = "bluesky"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _short(text: str, limit: int = 60) -> str:
    text = clean_text(text)
    return text if len(text) <= limit else text[:limit] + "…"


def file_name(week_start: dt.date, scope=None) -> str:
    return f"notices/notice-{week_label(week_start)}{f'-{scope.code}' if scope else ''}.docx"


def save_notice_texts(*, notice: WeeklyNotice, opening: str, closing: str) -> WeeklyNotice:
    """Store the office's opening and closing words and rebuild the file with them."""
    WeeklyNotice.objects.filter(pk=notice.pk).update(opening=opening.strip(), closing=closing.strip())
    return build_weekly_notice(week_start=notice.week_start, scope=notice.jurisdiction)


def build_weekly_notice(*, week_start: dt.date, scope=None) -> WeeklyNotice:
    """Build (or rebuild) the notice of jurisdiction ``scope`` (None: everything) for the week starting
    ``week_start`` (moved back to its Monday)."""
    week_start -= dt.timedelta(days=week_start.weekday())
    data = notice_data(week_start=week_start, scope=scope)
    texts = (
        WeeklyNotice.objects.filter(week_start=week_start, jurisdiction=scope)
        .values("opening", "closing")
        .first()
        or {}
    )
    stored = save_atomically(
        WeeklyNotice._meta.get_field("file").storage,
        file_name(week_start, scope),
        notice_document(data, **texts),
    )
    with transaction.atomic():
        notice, _ = WeeklyNotice.objects.select_for_update().get_or_create(
            week_start=week_start, jurisdiction=scope, defaults={"file": stored, "figures": data.figures}
        )
        notice.file.name, notice.figures = stored, data.figures
        notice.save()
    return notice
