"""周通报: the weekly notice for the office, a .docx built with python-docx.

For the week Monday ``week_start`` … Sunday: a title and the period, a summary
paragraph with the key figures, overdue measures by unit, units whose latest
monthly report is late or missing (of the units that owe that month's report:
reports/reporting_units.py), the measures completed that week, and the
units that did best and worst (the monthly ranking's score, computed as of
the week's end). Stored as ``WeeklyNotice`` (one per week; regenerating
replaces the file atomically).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.atomic_files import save_atomically
from reports.models import MonthlyReport, WeeklyNotice
from reports.reporting_units import reporting_units
from reports.sheet_text import clean_text
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, ProgressUpdate, in_force_q

from .ranking import active_formula, district_name, unit_scores

BEST_AND_WORST = 3
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
    overdue_by_unit: list[tuple[str, list[str]]]  # unit label, codes of its overdue measures
    report_period: dt.date | None
    report_problems: list[tuple[str, str]]  # unit label, 未报送 / 逾期报送（日期）
    completed: list[tuple[str, str, str, dt.date]]  # code, text, unit labels, date
    best: list  # (unit label, UnitScore)
    worst: list


def _latest_report_period(week_end: dt.date, calendar: WorkdayCalendar) -> dt.date:
    period = previous_month(first_of_month(week_end))
    return period if report_due_date(period, calendar) <= week_end else previous_month(period)


def notice_data(*, week_start: dt.date, calendar: WorkdayCalendar | None = None) -> NoticeData:
    calendar = calendar or WorkdayCalendar.from_database()
    end = week_end(week_start)
    next_day = end + dt.timedelta(days=1)
    units = {
        pk: (name, district) for pk, name, district in reporting_units().values_list("pk", "name", "district")
    }
    responsible_units = len(units)  # every unit carrying measures, whichever months it owes reports for

    # By unit id, never by name: 区城市管理委 of four districts are four rows. A code repeats across
    # plans, so a unit's measures are counted by id too.
    overdue = dict(Measure.objects.in_force().overdue(on=next_day).values_list("pk", "code"))
    overdue_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, name, district, measure_id in Assignment.objects.filter(measure_id__in=overdue).values_list(
        "unit_id", "unit__name", "unit__district", "measure_id"
    ):
        units.setdefault(unit_id, (name, district))
        overdue_of[unit_id].add(measure_id)

    # Completed in the week: a progress update that set it done (a 协办单位's own part does not),
    # or the office's sign-off.
    start_at = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
    end_at = timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
    done_ids = set(
        ProgressUpdate.objects.completions()
        .filter(in_force_q("measure__"), created_at__gte=start_at, created_at__lt=end_at)
        .values_list("measure_id", flat=True)
    ) | set(
        Measure.objects.in_force()
        .filter(signed_off_at__gte=start_at, signed_off_at__lt=end_at)
        .values_list("pk", flat=True)
    )
    carriers: dict[int, set[int]] = defaultdict(set)
    for measure_id, unit_id, name, district in Assignment.objects.filter(measure_id__in=done_ids).values_list(
        "measure_id", "unit_id", "unit__name", "unit__district"
    ):
        units.setdefault(unit_id, (name, district))
        carriers[measure_id].add(unit_id)

    labels = unit_labels(units)
    overdue_by_unit = sorted(
        ((labels[unit_id], sorted(overdue[m] for m in measures)) for unit_id, measures in overdue_of.items()),
        key=lambda row: (-len(row[1]), row[0]),
    )
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
    for measure in Measure.objects.filter(pk__in=done_ids).order_by("code", "pk"):
        when = done_on.get(measure.pk) or timezone.localdate(measure.signed_off_at)
        names = "、".join(sorted(labels[unit_id] for unit_id in carriers[measure.pk]))
        completed.append((measure.code, measure.text, names, when))

    period = _latest_report_period(end, calendar)
    due = report_due_date(period, calendar)
    # Scored and checked: the units owing the month's report (a plan imported since adds none).
    scores = unit_scores(as_of=end, period=period, formula=active_formula())
    owing = [s.unit_id for s in scores]
    reports = {r.unit_id: r for r in MonthlyReport.objects.filter(period=period, unit_id__in=owing)}
    problems = []
    for unit_id in sorted(owing, key=lambda pk: (labels[pk], pk)):
        report = reports.get(unit_id)
        first = report.first_submitted_at if report else None
        if first is None or timezone.localdate(first) > end:
            problems.append((labels[unit_id], "未报送"))
        elif timezone.localdate(first) > due:
            problems.append((labels[unit_id], f"逾期报送（{timezone.localdate(first):%m月%d日}）"))

    ranked = [(labels[s.unit_id], s) for s in scores]
    best = ranked[:BEST_AND_WORST]
    worst = [s for s in ranked[-BEST_AND_WORST:] if s not in best][::-1]

    figures = {
        "week": week_label(week_start),
        "units": responsible_units,
        "open_measures": Measure.objects.in_force().open().count(),
        "overdue_measures": len(overdue),
        "units_with_overdue": len(overdue_by_unit),
        "completed_this_week": len(completed),
        "report_period": f"{period:%Y-%m}",
        "report_due_date": f"{due:%Y-%m-%d}",
        "reports_missing": sum(1 for _, state in problems if state == "未报送"),
        "reports_late": sum(1 for _, state in problems if state != "未报送"),
    }
    return NoticeData(week_start, end, figures, overdue_by_unit, period, problems, completed, best, worst)


def _text(value) -> str:
    return clean_text(value)


def _table(document, headers: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = _text(value)


def _score_cells(label: str, score) -> list:
    return [label, f"{score.score}", score.overdue, f"{score.on_time_report_rate:.0%}"]


def notice_document(data: NoticeData) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    f = data.figures
    title = document.add_heading(
        f"蓝天保卫战任务落实情况周通报（{data.week_start.year}年第{data.week_start.isocalendar()[1]}周）", 0
    )
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = document.add_paragraph(f"统计周期：{data.week_start:%Y年%m月%d日}—{data.week_end:%Y年%m月%d日}")
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("一、总体情况", 1)
    document.add_paragraph(
        f"截至{data.week_end:%m月%d日}，{f['units']}个责任单位共有未完成措施{f['open_measures']}项，"
        f"其中逾期未完成{f['overdue_measures']}项，涉及{f['units_with_overdue']}个单位；"
        f"本周完成措施{f['completed_this_week']}项。{data.report_period:%Y年%m月}月报（{f['report_due_date']}截止）"
        f"未报送{f['reports_missing']}个单位，逾期报送{f['reports_late']}个单位。"
    )

    document.add_heading("二、逾期措施（按单位）", 1)
    if data.overdue_by_unit:
        _table(
            document,
            ["单位", "逾期措施数", "措施编号"],
            [[name, len(codes), "、".join(codes)] for name, codes in data.overdue_by_unit],
        )
    else:
        document.add_paragraph("本周无逾期措施。")

    document.add_heading(f"三、月报报送情况（{data.report_period:%Y年%m月}）", 1)
    if data.report_problems:
        _table(document, ["单位", "情况"], [list(p) for p in data.report_problems])
    else:
        document.add_paragraph("各单位均已按时报送。")

    document.add_heading("四、本周完成的措施", 1)
    if data.completed:
        _table(
            document,
            ["措施编号", "具体措施", "责任单位", "完成日期"],
            [[code, text, units, f"{when:%Y-%m-%d}"] for code, text, units, when in data.completed],
        )
    else:
        document.add_paragraph("本周没有完成的措施。")

    document.add_heading("五、表现较好和较差的单位", 1)
    headers = ["单位", "得分", "逾期措施", "月报按时率"]
    document.add_paragraph("表现较好：")
    _table(document, headers, [_score_cells(label, score) for label, score in data.best])
    document.add_paragraph("表现较差：")
    _table(document, headers, [_score_cells(label, score) for label, score in data.worst])
    document.add_paragraph(f"（得分按月排名计分规则计算，截至{data.week_end:%m月%d日}。）")

    document.core_properties.title = f"周通报 {week_label(data.week_start)}"
    document.core_properties.author = "bluesky"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(week_start: dt.date) -> str:
    return f"notices/notice-{week_label(week_start)}.docx"


def build_weekly_notice(*, week_start: dt.date) -> WeeklyNotice:
    """Build (or rebuild) the notice for the week starting ``week_start`` (moved back to its Monday)."""
    week_start -= dt.timedelta(days=week_start.weekday())
    data = notice_data(week_start=week_start)
    stored = save_atomically(
        WeeklyNotice._meta.get_field("file").storage, file_name(week_start), notice_document(data)
    )
    with transaction.atomic():
        notice, _ = WeeklyNotice.objects.select_for_update().get_or_create(
            week_start=week_start, defaults={"file": stored, "figures": data.figures}
        )
        notice.file.name, notice.figures = stored, data.figures
        notice.save()
    return notice
