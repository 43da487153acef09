"""月排名 as .xlsx: a sheet per scope ready to print, each with its chart on a sheet of its own, and the details.

The ranking over every unit (no jurisdiction) has a sheet per district label: each district's own units
are ranked on its sheet, the municipal units on 市级. A jurisdiction's ranking has a sheet per board
(ranking_boards.py): a district's units; or a city's districts and, apart, its municipal bureaus. Every sheet is laid out by bluesky/sheet_layout.py (title,
统计口径 and the formula with its bounds, header repeated on every page, A4 landscape one page
wide, print area); its chart is a chartsheet, which prints as one landscape page. 名次 and
名次变化 on a sheet are within its scope; the database keeps the rank among all units.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, PatternFill

from bluesky.sheet_layout import made_at_note, text_width, write_table
from bluesky.sheet_text import clean_text
from reports.models import RankingRow
from reports.workdays import previous_month
from tasks.models import Assignment, Measure, ProgressUpdate, finished_late_q, in_force_q, overdue_q

from .ranking import MUNICIPAL, TOP_AND_BOTTOM, district_name, formula_text, month_end
from .ranking_boards import unranked_note

RANKING_COLUMNS = [  # header, width, number format
    ("名次", 7, "0"),
    ("单位", 30, "@"),
    ("所属区", 10, "@"),
    ("承担措施", 10, "0"),
    ("已完成", 9, "0"),
    ("其中逾期完成", 12, "0"),
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
HEADER_ROW = 4  # title, 统计口径, formula, header
NOTE_LINE_HEIGHT = 16  # points: a line of the notes' 11-point text
# A4 landscape less margins is about 27.7 × 19 cm; the print area covers the chart (default column and row sizes).
CHART_WIDTH_CM, CHART_HEIGHT_CM = 26, 17
CHART_AREA = "A1:P34"
TOP_FILL = PatternFill("solid", fgColor="C6EFCE")
BOTTOM_FILL = PatternFill("solid", fgColor="FFC7CE")


def column_number(columns: list[tuple], header: str) -> int:
    """The 1-based column of ``header`` in RANKING_COLUMNS or DETAIL_COLUMNS."""
    return next(number for number, (name, *_) in enumerate(columns, start=1) if name == header)


@dataclass(frozen=True)
class Sheet:
    """A ranking sheet: its tab, whose ranking it is (the title's subject) and its 统计口径."""

    name: str
    subject: str
    scope_note: str


def sheet_name_of(district: str) -> str:
    """The sheet a unit is ranked on: its district's, or 市级."""
    return district_name(district)


def district_sheet(district: str) -> Sheet:
    """The sheet of a district label (or 市级) in the ranking over every unit."""
    name = sheet_name_of(district)
    note = "市级各单位" if name == MUNICIPAL else f"{name}所属各单位"
    return Sheet(name, f"{name}各单位", f"{note}，按{name}内名次排列")


def board_sheet(scope, board: str, unranked: tuple[str, ...] = ()) -> Sheet:
    """The sheet of a board of jurisdiction ``scope``'s ranking; ``unranked``: the districts left off it."""
    if board == RankingRow.Board.DISTRICTS:
        left_out = f"；{unranked_note(list(unranked))}" if unranked else ""
        return Sheet(
            f"{scope.name}各区",
            f"{scope.name}各区",
            f"各区政府，按本区全部计划的措施和区内各单位的月报计{left_out}",
        )
    if scope.level == scope.Level.PROVINCE or scope.level == scope.Level.CITY:
        return Sheet(f"{scope.name}市级部门", f"{scope.name}市级各部门", f"{scope.name}市级各部门")
    return Sheet(scope.name, f"{scope.name}各单位", f"{scope.name}及所辖街道乡镇各单位")


def ranking_values(row: RankingRow, unit_name: str, district: str, *, rank: int, change: int | None) -> list:
    """The cells of one ranking row, as written to the sheet (and as the tests read them back).

    ``rank`` and ``change`` are within the sheet's scope. The district tells apart the units that
    share a name (丰台区 and 西城区 each have a 区国资委).
    """
    return [
        rank,
        clean_text(unit_name),
        clean_text(district_name(district)),
        row.measures,
        row.done,
        row.finished_late,
        row.on_track,
        row.overdue,
        float(row.on_time_report_rate),
        float(row.score),
        change,
    ]


def previous_scope_ranks(period: dt.date) -> dict[int, int]:
    """Each unit's place within its district's sheet in the month before ``period`` (one query)."""
    places: dict[int, int] = {}
    counters: dict[str, int] = defaultdict(int)
    for unit_id, district in (
        RankingRow.objects.filter(ranking__period=previous_month(period), ranking__jurisdiction=None)
        .order_by("rank")
        .values_list("unit_id", "unit__district")
    ):
        counters[sheet_name_of(district)] += 1
        places[unit_id] = counters[sheet_name_of(district)]
    return places


def _scope_sheet(ws, *, sheet: Sheet, period: dt.date, formula: dict, rows, units, previous) -> None:
    ws.title = sheet.name[:31]
    notes = [
        f"统计期间：{period:%Y年%m月%d日}—{month_end(period):%Y年%m月%d日}；统计口径："
        + sheet.scope_note
        + f"；月报按时率按 {period.year} 年 1—{period.month} 月中各单位应报送的月份计"
        f"（计划导入当月起应报送）；{made_at_note()}",
        formula_text(formula),
    ]
    values = [
        ranking_values(
            row,
            *units[row.unit_id],
            rank=place,
            change=(previous[row.unit_id] - place) if row.unit_id in previous else None,
        )
        for place, row in enumerate(rows, start=1)
    ]
    write_table(
        ws,
        title=f"{period:%Y年%m月}{sheet.subject}蓝天保卫战任务落实情况排名",
        notes=notes,
        columns=[name for name, _, _ in RANKING_COLUMNS],
        rows=values,
        widths=[width for _, width, _ in RANKING_COLUMNS],
        number_formats={col: fmt for col, (_, _, fmt) in enumerate(RANKING_COLUMNS, start=1)},
    )
    line_width = sum(width for _, width, _ in RANKING_COLUMNS)
    for note_row, note in zip((2, 3), notes):
        ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(RANKING_COLUMNS))
        ws.cell(row=note_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        # A merged cell does not grow with its text: as many lines as the note needs (the names of the
        # districts left out can make 统计口径 a third line).
        ws.row_dimensions[note_row].height = max(32, NOTE_LINE_HEIGHT * -(-text_width(note) // line_width))
    count = len(rows)
    for index in range(count):
        bottom = index >= max(count - TOP_AND_BOTTOM, TOP_AND_BOTTOM)
        fill = TOP_FILL if index < TOP_AND_BOTTOM else BOTTOM_FILL if bottom else None
        if fill is not None:
            for col in range(1, len(RANKING_COLUMNS) + 1):
                ws.cell(row=HEADER_ROW + 1 + index, column=col).fill = fill


def _chart_sheet(workbook, ws, *, sheet: Sheet, count: int) -> None:
    """The scope's scores as a bar chart alone on a sheet sized to one A4 landscape page.

    A worksheet, not a chartsheet: LibreOffice prints a chartsheet blank, and openpyxl numbers
    the print titles of the sheets after a chartsheet wrongly.
    """
    chart = BarChart()
    chart.type = "bar"
    chart.title = f"{sheet.subject}得分"
    chart.y_axis.title = "得分"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.x_axis.scaling.orientation = "maxMin"  # first place at the top
    chart.legend = None
    score_col, unit_col = column_number(RANKING_COLUMNS, "得分"), column_number(RANKING_COLUMNS, "单位")
    chart.add_data(
        Reference(ws, min_col=score_col, min_row=HEADER_ROW, max_row=HEADER_ROW + count),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=unit_col, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count))
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart_ws = workbook.create_sheet(f"{sheet.name}得分图"[:31])
    chart_ws.add_chart(chart, "A1")
    chart_ws.page_setup.paperSize = chart_ws.PAPERSIZE_A4
    chart_ws.page_setup.orientation = "landscape"
    chart_ws.page_setup.fitToWidth = chart_ws.page_setup.fitToHeight = 1
    chart_ws.sheet_properties.pageSetUpPr.fitToPage = True
    chart_ws.print_area = CHART_AREA


def _detail_row(a: dict, latest: dict, roles: dict, statuses: dict) -> list:
    """One assignment of a ranked unit as the details sheet prints it."""
    progress_at, note = latest.get(a["measure_id"], (None, ""))
    return [
        clean_text(a["unit__name"]),
        clean_text(district_name(a["unit__district"])),
        a["measure__code"],
        clean_text(a["measure__text"]),
        str(roles.get(a["role"], a["role"])),
        a["measure__due_date"] or clean_text(a["measure__deadline_text"]),
        "已销号"
        if a["measure__signed_off_at"]
        else str(statuses.get(a["measure__status"], a["measure__status"])),
        "逾期完成" if a["late"] else "是" if a["overdue"] else "否",
        timezone.localdate(progress_at) if progress_at else None,
        clean_text(note),
    ]


def detail_rows(*, period: dt.date, unit_order: list[int]) -> list[list]:
    """Every measure of every ranked unit: its state, whether overdue at the month's end and its last progress."""
    as_of = month_end(period)
    position = {unit_id: index for index, unit_id in enumerate(unit_order)}
    assignments = list(
        Assignment.objects.filter(in_force_q("measure__"), unit_id__in=position)
        .annotate(
            overdue=ExpressionWrapper(overdue_q(as_of, "measure__"), output_field=BooleanField()),
            late=ExpressionWrapper(finished_late_q("measure__"), output_field=BooleanField()),
        )
        .values(
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
            "overdue",
            "late",
        )
    )
    latest = ProgressUpdate.objects.filter(
        measure_id__in={a["measure_id"] for a in assignments}
    ).latest_values("measure_id", "created_at", "note")
    roles, statuses = dict(Assignment.Role.choices), dict(Measure.Status.choices)
    # The unit's rank, then code, measure and role.
    assignments.sort(key=lambda a: (position[a["unit_id"]], a["measure__code"], a["measure_id"], a["role"]))
    return [_detail_row(a, latest, roles, statuses) for a in assignments]


def _details_sheet(ws, rows: list[list], period: dt.date) -> None:
    ws.title = "措施明细"
    write_table(
        ws,
        title=f"{period:%Y年%m月}排名各单位承担措施明细",
        notes=[f"统计截至{month_end(period):%Y年%m月%d日}；{made_at_note()}"],
        columns=[name for name, _ in DETAIL_COLUMNS],
        rows=rows,
        widths=[width for _, width in DETAIL_COLUMNS],
    )


def _sheets(
    rows: list[RankingRow], units: dict[int, tuple[str, str]], scope, unranked: tuple[str, ...]
) -> dict[Sheet, list[RankingRow]]:
    """The rows of each sheet, best first: by district label (no jurisdiction; districts, then 市级), or by
    board (a jurisdiction's ranking: its districts first)."""
    by_sheet: dict[Sheet, list[RankingRow]] = defaultdict(list)
    for row in rows:
        if scope is None:
            by_sheet[district_sheet(units[row.unit_id][1])].append(row)
        else:
            by_sheet[board_sheet(scope, row.board, unranked)].append(row)
    if scope is None:
        return dict(sorted(by_sheet.items(), key=lambda item: (item[0].name == MUNICIPAL, item[0].name)))
    return by_sheet


def ranking_workbook(
    *,
    period: dt.date,
    formula: dict,
    rows: list[RankingRow],
    units: dict[int, tuple[str, str]],
    scope=None,
    unranked: list[str] | None = None,
) -> bytes:
    """The .xlsx of a ranking (of jurisdiction ``scope``, None for every unit); ``units`` maps each row's
    unit id to its (name, district); ``rows`` best first; ``unranked``: districts left off its districts
    board, named in that sheet's 统计口径."""
    # Over every unit a sheet's places are counted within it; a jurisdiction's rows carry their board's.
    previous = (
        previous_scope_ranks(period)
        if scope is None
        else {row.unit_id: row.rank + row.rank_change for row in rows if row.rank_change is not None}
    )
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, sheet_rows in _sheets(rows, units, scope, tuple(unranked or ())).items():
        ws = workbook.create_sheet()
        _scope_sheet(
            ws, sheet=sheet, period=period, formula=formula, rows=sheet_rows, units=units, previous=previous
        )
        _chart_sheet(workbook, ws, sheet=sheet, count=len(sheet_rows))
    _details_sheet(
        workbook.create_sheet(), detail_rows(period=period, unit_order=[r.unit_id for r in rows]), period
    )
    workbook.properties.title = f"{period:%Y年%m月}排名"
    workbook.properties.creator = "bluesky"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
