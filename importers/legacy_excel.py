"""Legacy Excel (.xls) and WPS spreadsheet (.et) files, read with xlrd.

Task breakdown tables (任务分解表) still travel as Excel 97 .xls files, and WPS
saves its .et sheets in the same BIFF format. xlrd 2.x reads exactly these
(and nothing else), is pure Python and well kept. Each sheet becomes a
``Table`` like an .xlsx sheet: a merged range's value fills every cell it
covers, dates read as 2024年6月30日, whole numbers without ".0".
"""

from __future__ import annotations

from .documents import Document, Table
from .errors import PlanImportError

ENCRYPTED_MESSAGE = "表格设置了打开密码（已加密），无法读取：请在 Excel/WPS 中取消密码后重新保存上传。"


class QuietLog:
    """A logfile for xlrd, which otherwise prints warnings about odd files to stdout."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def read_xls(data: bytes, extension: str) -> Document:
    """Read a BIFF workbook; raise PlanImportError (Chinese) if it is encrypted or not one."""
    import xlrd
    from xlrd.compdoc import CompDocError

    if "EncryptedPackage".encode("utf-16-le") in data:  # an encrypted .xlsx in an OLE container
        raise PlanImportError(ENCRYPTED_MESSAGE, code="encrypted")
    try:
        # formatting_info: without it xlrd does not read the merged ranges.
        workbook = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=QuietLog())
    except (xlrd.XLRDError, CompDocError) as err:
        if "encrypted" in str(err).lower():
            raise PlanImportError(ENCRYPTED_MESSAGE, code="encrypted") from err
        name = "WPS 表格（.et）" if extension == "et" else "Excel（.xls）表格"
        raise PlanImportError(
            f"无法读取该{name}：文件已损坏或不是 Excel 表格。请用 Excel/WPS 打开确认后另存为 .xlsx 再上传。",
            code="corrupt_file",
        ) from err
    blocks: list[str | Table] = []
    for sheet in workbook.sheets():
        grid = [
            [_cell_text(cell, workbook.datemode) for cell in sheet.row(number)]
            for number in range(sheet.nrows)
        ]
        _fill_merged(grid, sheet.merged_cells)
        rows = [row for row in grid if any(row)]
        if rows:
            blocks.append(Table(rows=rows))
    return Document(blocks=blocks, source_format=extension)


def _fill_merged(grid: list[list[str]], merged_ranges) -> None:
    # xlrd gives (first row, end row, first column, end column), ends exclusive.
    for first_row, end_row, first_col, end_col in merged_ranges:
        if first_row >= len(grid) or first_col >= len(grid[first_row]):
            continue
        top_left = grid[first_row][first_col]
        for row in grid[first_row:end_row]:
            for column in range(first_col, min(end_col, len(row))):
                row[column] = top_left


def _cell_text(cell, datemode: int) -> str:
    import xlrd

    from .readers import _excel_text  # one spelling of cell values for .xlsx and .xls

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _excel_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return _excel_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _excel_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return _excel_text(cell.value)
