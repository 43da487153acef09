"""月排名: the monthly ranking of units, stored as rows and exported as .xlsx.

Score (weights from the active ``ScoreFormula``, editable in the admin; the
default, used when none is active, is the model's field defaults):

    score = base (60)
          + weight_on_time_reports (20) × on-time report rate
          + weight_done_on_time (20)    × measures-done-on-time rate
          − penalty_per_overdue (2)     × measures overdue at the month's end
          − penalty_per_return (1)      × reports returned this year

- on-time report rate: of the months of the ranked year up to the ranked
  month that the unit owed a report (reports/reporting_units.py: from the
  month its first plan was imported; January … the month for a unit whose
  plan came before the year), the share whose report was first submitted by
  its due date (a missing report counts as late). Returns are counted over
  the same months;
- measures-done-on-time rate: of the unit's measures due by the month's end,
  the share completed by their due date (completion = first progress update
  marked done, else the sign-off; a measure marked done without either
  counts as on time). 1 when nothing was due yet;
- overdue: open measures whose due date is before the month's last day.

Only the units that owe the ranked month's report are ranked: a plan imported
after the month adds no row to it.

Tie-break, in order: higher score, higher on-time report rate, fewer overdue
measures, then the unit's name. The change is last month's rank minus this
month's (positive = moved up; empty when the unit was not ranked last month).

Measure states are the current ones: the ranking is meant to be built right
after the reports fall due, and a rebuilt old month uses today's states.

Over 400 lines: the score and the workbook that shows it change together (a new figure is a new column);
unit_scores and detail_rows are one pass each over the month's rows. The workbook half is the next to split
(into ranking_workbook.py).
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Min
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.atomic_files import save_atomically, write_file_atomically
from reports.models import MonthlyRanking, MonthlyReport, RankingRow, ScoreFormula
from reports.reporting_units import first_owed_months, units_owing_report
from reports.sheet_text import clean_text, keep_as_text
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, ProgressUpdate, finished_q, in_force_q

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
TOP_AND_BOTTOM = 3
MUNICIPAL = "市级"


def district_name(district: str) -> str:
    """A unit's 所属区 as the office's files print it: a municipal unit has none and is 市级."""
    return district or MUNICIPAL


def active_formula() -> ScoreFormula:
    return ScoreFormula.objects.filter(is_active=True).first() or ScoreFormula(name="默认计分规则")


WEIGHTS = [
    "base",
    "weight_on_time_reports",
    "weight_done_on_time",
    "penalty_per_overdue",
    "penalty_per_return",
]


def formula_as_dict(formula: ScoreFormula) -> dict:
    return {"name": formula.name} | {w: str(Decimal(getattr(formula, w)).quantize(CENT)) for w in WEIGHTS}


def formula_text(formula: dict) -> str:
    return (
        f"得分 = {formula['base']} + {formula['weight_on_time_reports']}×月报按时率 + "
        f"{formula['weight_done_on_time']}×按期完成率 − {formula['penalty_per_overdue']}×逾期措施数 − "
        f"{formula['penalty_per_return']}×月报退回次数；同分依次比较月报按时率（高者在前）、逾期措施数（少者在前）、单位名称"
    )


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    district: str  # "" for a municipal unit
    measures: int
    done: int
    on_track: int
    overdue: int
    due_by_end: int
    done_on_time: int
    reports_on_time: int
    returned: int
    on_time_report_rate: Decimal
    done_on_time_rate: Decimal
    score: Decimal

    def sort_key(self):
        return (-self.score, -self.on_time_report_rate, self.overdue, self.unit_name, self.unit_id)


def _completion_dates() -> dict[int, dt.date]:
    """When each finished measure was completed: its first “done” that set the measure, else its sign-off."""
    done_at = dict(
        ProgressUpdate.objects.completions()
        .values("measure_id")
        .annotate(first=Min("created_at"))
        .values_list("measure_id", "first")
    )
    for pk, signed in Measure.objects.filter(signed_off_at__isnull=False).values_list("pk", "signed_off_at"):
        done_at.setdefault(pk, signed)
    return {pk: timezone.localdate(moment) for pk, moment in done_at.items()}


def unit_scores(*, as_of: dt.date, period: dt.date, formula: ScoreFormula) -> list[UnitScore]:
    """The figures and score as of ``as_of`` of every unit owing month ``period``'s report, best first.

    The on-time report rate is over the months of ``period``'s year up to
    ``period`` that the unit owed (``year_to_date`` from its first owed month).
    """
    units = {
        pk: (name, district)
        for pk, name, district in units_owing_report(period).values_list("pk", "name", "district")
    }
    first_owed = first_owed_months(list(units))
    report_periods = year_to_date(period)
    completed = _completion_dates()
    carried: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in (
        Assignment.objects.filter(in_force_q("measure__"), unit_id__in=units)
        .annotate(finished=ExpressionWrapper(finished_q("measure__"), output_field=BooleanField()))
        .values("unit_id", "measure_id", "finished", "measure__due_date")
    ):
        carried[row["unit_id"]][row["measure_id"]] = row
    reports: dict[int, list[dict]] = defaultdict(list)
    for report in MonthlyReport.objects.filter(unit_id__in=units, period__in=report_periods).values(
        "unit_id", "period", "due_date", "first_submitted_at", "return_count"
    ):
        reports[report["unit_id"]].append(report)

    scores = []
    for unit_id, (name, district) in units.items():
        owed = [
            p for p in report_periods if p >= first_owed[unit_id]
        ]  # never empty: the unit owes ``period``
        owed_reports = [r for r in reports[unit_id] if r["period"] >= first_owed[unit_id]]
        done = overdue = due_by_end = done_on_time = 0
        for measure_id, m in carried[unit_id].items():
            is_done = m["finished"]
            completed_on = completed.get(measure_id)
            done_by_then = is_done and (completed_on is None or completed_on <= as_of)
            due = m["measure__due_date"]
            done += done_by_then
            if due is not None and not done_by_then and due < as_of:
                overdue += 1
            if due is not None and due <= as_of:
                due_by_end += 1
                done_on_time += done_by_then and (completed_on is None or completed_on <= due)
        measures = len(carried[unit_id])
        on_time = sum(
            1
            for r in owed_reports
            if r["first_submitted_at"] is not None
            and timezone.localdate(r["first_submitted_at"]) <= r["due_date"]
        )
        returned = sum(r["return_count"] for r in owed_reports)
        report_rate = (Decimal(on_time) / len(owed)).quantize(RATE)
        done_rate = (Decimal(done_on_time) / due_by_end).quantize(RATE) if due_by_end else Decimal(1)
        score = (
            formula.base
            + formula.weight_on_time_reports * report_rate
            + formula.weight_done_on_time * done_rate
            - formula.penalty_per_overdue * overdue
            - formula.penalty_per_return * returned
        )
        scores.append(
            UnitScore(
                unit_id=unit_id,
                unit_name=name,
                district=district,
                measures=measures,
                done=done,
                on_track=measures - done - overdue,
                overdue=overdue,
                due_by_end=due_by_end,
                done_on_time=done_on_time,
                reports_on_time=on_time,
                returned=returned,
                on_time_report_rate=report_rate,
                done_on_time_rate=done_rate,
                score=score.quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    return sorted(scores, key=UnitScore.sort_key)


def month_end(period: dt.date) -> dt.date:
    return period.replace(day=month_calendar.monthrange(period.year, period.month)[1])


def year_to_date(period: dt.date) -> list[dt.date]:
    return [dt.date(period.year, month, 1) for month in range(1, period.month + 1)]


def file_name(period: dt.date) -> str:
    return f"rankings/ranking-{period:%Y-%m}.xlsx"


def build_ranking(*, period: dt.date, out: str | None = None) -> MonthlyRanking:
    """Rank the units for month ``period``, store the rows and the .xlsx (replacing an earlier build)."""
    period = first_of_month(period)
    score_formula = active_formula()
    formula = formula_as_dict(score_formula)
    scores = unit_scores(as_of=month_end(period), period=period, formula=score_formula)
    previous = dict(
        RankingRow.objects.filter(ranking__period=previous_month(period)).values_list("unit_id", "rank")
    )
    rows = [
        RankingRow(
            unit_id=s.unit_id,
            rank=rank,
            score=s.score,
            measures=s.measures,
            done=s.done,
            on_track=s.on_track,
            overdue=s.overdue,
            on_time_report_rate=s.on_time_report_rate,
            returned=s.returned,
            rank_change=(previous[s.unit_id] - rank) if s.unit_id in previous else None,
        )
        for rank, s in enumerate(scores, start=1)
    ]
    units = {s.unit_id: (s.unit_name, s.district) for s in scores}
    data = ranking_workbook(period=period, formula=formula, rows=rows, units=units)
    if out:
        write_file_atomically(Path(out), data)
    # The file first, complete or not at all; then the rows and the file's name in one transaction.
    stored = save_atomically(MonthlyRanking._meta.get_field("file").storage, file_name(period), data)
    with transaction.atomic():
        ranking, _ = MonthlyRanking.objects.select_for_update().get_or_create(period=period)
        ranking.rows.all().delete()
        for row in rows:
            row.ranking = ranking
        RankingRow.objects.bulk_create(rows, batch_size=1000)
        ranking.formula = formula
        ranking.file.name = stored
        ranking.save()
    return ranking


def build_due_ranking(*, today: dt.date, calendar: WorkdayCalendar | None = None) -> MonthlyRanking | None:
    """The scheduled check: build last month's ranking once its reports are past due, and only once."""
    period = previous_month(first_of_month(today))
    if today <= report_due_date(period, calendar):
        return None
    if MonthlyRanking.objects.filter(period=period).exclude(file="").exists():
        return None
    return build_ranking(period=period)


# --- The .xlsx ------------------------------------------------------------------------

RANKING_COLUMNS = [  # header, width, number format
    ("名次", 7, "0"),
    ("单位", 30, "@"),
    ("所属区", 10, "@"),
    ("承担措施", 10, "0"),
    ("已完成", 9, "0"),
    ("正常推进", 10, "0"),
    ("逾期", 8, "0"),
    ("月报按时率", 12, "0.0%"),
    ("得分", 10, "0.00"),
    ("名次变化", 10, "+0;-0;0"),
]
DETAIL_COLUMNS = [
    ("单位", 30),
    ("所属区", 10),
    ("措施编号", 10),
    ("具体措施", 60),
    ("角色", 8),
    ("完成时限", 12),
    ("状态", 12),
    ("是否逾期", 10),
    ("最近进展日期", 14),
    ("最近进展", 60),
]
HEADER_ROW = 4
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOP_FILL = PatternFill("solid", fgColor="C6EFCE")
BOTTOM_FILL = PatternFill("solid", fgColor="FFC7CE")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def column_number(columns: list[tuple], header: str) -> int:
    """The 1-based column of ``header`` in RANKING_COLUMNS or DETAIL_COLUMNS."""
    return next(number for number, (name, *_) in enumerate(columns, start=1) if name == header)


def ranking_values(row: RankingRow, unit_name: str, district: str) -> list:
    """The cells of one ranking row, as written to the sheet (and as the tests read them back).

    The district tells apart the units that share a name (丰台区 and 西城区 each have a 区国资委).
    """
    return [
        row.rank,
        clean_text(unit_name),
        clean_text(district_name(district)),
        row.measures,
        row.done,
        row.on_track,
        row.overdue,
        float(row.on_time_report_rate),
        float(row.score),
        row.rank_change,
    ]


def _ranking_sheet(
    ws, period: dt.date, formula: dict, rows: list[RankingRow], units: dict[int, tuple[str, str]]
) -> None:
    last_col = get_column_letter(len(RANKING_COLUMNS))
    ws.title = "排名"
    ws["A1"] = f"{period:%Y年%m月}各单位蓝天保卫战任务落实情况排名"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A2"] = (
        f"统计期间：{period:%Y年%m月%d日}—{month_end(period):%Y年%m月%d日}；"
        f"月报按时率按 {period.year} 年 1—{period.month} 月中各单位应报送的月份计（计划导入当月起应报送）"
    )
    ws["A3"] = formula_text(formula)
    for row_number in (1, 2, 3):
        ws.merge_cells(f"A{row_number}:{last_col}{row_number}")
        ws[f"A{row_number}"].alignment = Alignment(
            horizontal="center" if row_number == 1 else "left", wrap_text=True
        )
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[3].height = 32
    for col, (header, width, _) in enumerate(RANKING_COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.fill, cell.border = Font(bold=True, color="FFFFFF"), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    count = len(rows)
    for index, row in enumerate(rows):
        r = HEADER_ROW + 1 + index
        fill = (
            TOP_FILL
            if index < TOP_AND_BOTTOM
            else BOTTOM_FILL
            if index >= max(count - TOP_AND_BOTTOM, TOP_AND_BOTTOM)
            else None
        )
        for col, value in enumerate(ranking_values(row, *units[row.unit_id]), start=1):
            cell = keep_as_text(ws.cell(row=r, column=col, value=value))  # a unit's name is never a formula
            cell.number_format = RANKING_COLUMNS[col - 1][2]
            cell.border = BORDER
            if fill is not None:
                cell.fill = fill
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(count, 1)}"
    if count:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各单位得分"
        chart.y_axis.title = "得分"
        chart.legend = None
        score_col, unit_col = column_number(RANKING_COLUMNS, "得分"), column_number(RANKING_COLUMNS, "单位")
        chart.add_data(
            Reference(ws, min_col=score_col, min_row=HEADER_ROW, max_row=HEADER_ROW + count),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(ws, min_col=unit_col, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count)
        )
        chart.height = max(7.5, 0.5 * count)
        chart.width = 18
        ws.add_chart(chart, f"{get_column_letter(len(RANKING_COLUMNS) + 2)}{HEADER_ROW}")


def detail_rows(*, period: dt.date, unit_order: list[int]) -> list[list]:
    """Every measure of every ranked unit: its state, whether overdue and its last progress."""
    as_of = month_end(period)
    position = {unit_id: index for index, unit_id in enumerate(unit_order)}
    assignments = list(
        Assignment.objects.filter(in_force_q("measure__"), unit_id__in=position)
        .annotate(finished=ExpressionWrapper(finished_q("measure__"), output_field=BooleanField()))
        .values_list(
            "unit_id",
            "unit__name",
            "unit__district",
            "role",
            "measure_id",
            "measure__code",
            "measure__text",
            "measure__due_date",
            "measure__deadline_text",
            "measure__status",
            "measure__signed_off_at",
            "finished",
        )
    )
    latest: dict[int, tuple] = {}
    for measure_id, created_at, note in (
        ProgressUpdate.objects.filter(measure_id__in={a[4] for a in assignments})
        .order_by("measure_id", "-created_at", "-id")
        .values_list("measure_id", "created_at", "note")
    ):
        latest.setdefault(measure_id, (timezone.localdate(created_at), note))
    roles = dict(Assignment.Role.choices)
    statuses = dict(Measure.Status.choices)
    rows = []
    assignments.sort(key=lambda a: (position[a[0]], a[5], a[4], a[3]))  # unit's rank, code, measure, role
    for (
        unit_id,
        unit_name,
        district,
        role,
        measure_id,
        code,
        text,
        due,
        deadline_text,
        status,
        signed,
        finished,
    ) in assignments:
        is_open = not finished
        progress_on, note = latest.get(measure_id, (None, ""))
        rows.append(
            [
                clean_text(unit_name),
                clean_text(district_name(district)),
                code,
                clean_text(text),
                str(roles.get(role, role)),
                due or clean_text(deadline_text),
                "已销号" if signed else str(statuses.get(status, status)),
                "是" if is_open and due is not None and due < as_of else "否",
                progress_on,
                clean_text(note),
            ]
        )
    return rows


def _details_sheet(ws, rows: list[list]) -> None:
    ws.title = "措施明细"
    for col, (header, width) in enumerate(DETAIL_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    for values in rows:
        ws.append(values)
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            keep_as_text(cell)  # notes are typed by staff: never a formula
    for header in ("完成时限", "最近进展日期"):
        col = column_number(DETAIL_COLUMNS, header)
        for cells in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            for cell in cells:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(DETAIL_COLUMNS))}{max(len(rows), 1) + 1}"


def ranking_workbook(
    *, period: dt.date, formula: dict, rows: list[RankingRow], units: dict[int, tuple[str, str]]
) -> bytes:
    """The .xlsx of a ranking; ``units`` maps each row's unit id to its (name, district)."""
    workbook = Workbook()
    _ranking_sheet(workbook.active, period, formula, rows, units)
    _details_sheet(workbook.create_sheet(), detail_rows(period=period, unit_order=[r.unit_id for r in rows]))
    workbook.properties.title = f"{period:%Y年%m月}排名"
    workbook.properties.creator = "bluesky"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ranking_table(ranking: MonthlyRanking):
    """The rows of a stored ranking for the page, with their units: one query."""
    return ranking.rows.select_related("unit").order_by("rank")
