"""How every .xlsx the office downloads is laid out, written once: the ranking's sheets and every dashboard export.

A sheet handed to a leader must say what it is, which filters made it and when, without the
page it came from: a title row, a row per note (统计口径, 筛选条件, 生成时间), then the header,
frozen below it and repeated on every printed page. Columns are as wide as their Chinese text
(a CJK character is two columns wide in Excel's unit), printing is A4 landscape one page wide.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from copy import copy
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bluesky.sheet_text import clean_text, keep_as_text

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDEST = 60  # longer text wraps
DATE_WIDTH, DATETIME_WIDTH = 12, 18


def text_width(value) -> int:
    """Excel column units ``value`` needs: East Asian wide characters count two."""
    if isinstance(value, dt.datetime):
        return DATETIME_WIDTH
    if isinstance(value, dt.date):
        return DATE_WIDTH
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_value(value):
    """A value as a cell holds it: local naive datetimes (Excel has no zones), text cleaned."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    return clean_text(value)


def made_at_note(moment: dt.datetime | None = None) -> str:
    return f"生成时间：{timezone.localtime(moment or timezone.now()):%Y-%m-%d %H:%M}"


def write_table(
    ws,
    *,
    title: str,
    notes: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    number_formats: dict[int, str] | None = None,
) -> int:
    """Write a titled table on ``ws`` with print settings; returns the header's row number.

    ``widths`` (optional, per column) are minimums; each column grows to fit its header and values
    up to ``WIDEST``. ``number_formats`` maps a 1-based column to its format.
    """
    ws["A1"] = clean_text(title)
    ws["A1"].font = Font(size=14, bold=True)
    ws.row_dimensions[1].height = 24
    for offset, note in enumerate(notes, start=2):
        ws.cell(row=offset, column=1, value=clean_text(note)).alignment = Alignment(vertical="top")
    header_row = len(notes) + 2
    fitted = [
        max(text_width(name) + 2, widths[i] if i < len(widths) else 0) for i, name in enumerate(columns)
    ]
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col, value=name)
        cell.font, cell.fill, cell.border = Font(bold=True, color="FFFFFF"), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    formats = number_formats or {}
    styles = _CellStyles()
    last = header_row
    for last, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = keep_as_text(ws.cell(row=last, column=col, value=cell_value(value)))
            number_format = formats.get(col)
            if number_format is None and isinstance(value, dt.datetime):
                number_format = "yyyy-mm-dd hh:mm"
            elif number_format is None and isinstance(value, dt.date):
                number_format = "yyyy-mm-dd"
            width = text_width(value) + 2
            styles.apply(cell, number_format=number_format, wrap=width > WIDEST)
            if col <= len(fitted):
                fitted[col - 1] = max(fitted[col - 1], min(width, WIDEST))
    for col, width in enumerate(fitted, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last_col = get_column_letter(len(columns))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last, header_row + 1)}"
    print_on_a4(ws, header_row=header_row, area=f"A1:{last_col}{last}")
    return header_row


class _CellStyles:
    """A body cell's style (border, number format, wrapping), looked up in the workbook once per kind of cell and
    then copied: openpyxl hashes a style each time one is assigned, which took most of the time of a sheet
    of a hundred thousand rows (the ranking's details at city scale)."""

    def __init__(self):
        self.seen: dict[tuple, Any] = {}

    def apply(self, cell, *, number_format: str | None, wrap: bool) -> None:
        key = (number_format, wrap)
        style = self.seen.get(key)
        if style is not None:
            cell._style = copy(style)
            return
        cell.border = BORDER
        if number_format is not None:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.seen[key] = copy(cell._style)


def print_on_a4(ws, *, header_row: int, area: str) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = area
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()  # minimums: each column grows to fit its Chinese text


def workbook_bytes(sheet: Sheet, *, filters: str = "") -> bytes:
    """The sheet laid out as every office file is (bluesky/sheet_layout.py): title, filters, time, header."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet.title[:31]
    write_table(
        ws,
        title=sheet.title,
        notes=[f"筛选条件：{filters or '无（全部）'}", made_at_note()],
        columns=sheet.columns,
        rows=sheet.rows,
        widths=sheet.widths,
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(sheet: Sheet, *, filename: str, filters: str = "") -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheet, filters=filters), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.xlsx")
    return response


def describe_filters(filterset) -> str:
    """The filters that made a list, as its file states them: "状态：进行中；关键词：扬尘"."""
    if filterset is None or not filterset.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = "、".join(str(v) for v in value)
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            value = {str(key): label for key, label in field.choices}.get(str(value), value)
        parts.append(f"{field.label or name}：{value}")
    return "；".join(parts)
