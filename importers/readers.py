"""Turn uploaded bytes (.txt, .docx, .doc, .wps, .xlsx, .xls, .et, .pdf) into a ``Document``.

Everything a user can upload goes through ``read_document``. It checks the bytes
before any library sees them (empty file, the wrong kind of file behind the
extension, encrypted Office files, zip bombs) and turns every failure into a
``PlanImportError`` whose Chinese message says what to do, so callers never see
a python-docx, openpyxl, xlrd, pypdf or zipfile exception.

Legacy Word/WPS files are converted to .docx by LibreOffice
(``office_convert``), legacy Excel/WPS sheets are read by xlrd, and a PDF
without a text layer (a scan) is read by OCR (``ocr``), which marks the
Document so every measure is reviewed.

Text files (and the text of PDFs) are split into paragraphs and tables by
``importers.text_tables.text_to_blocks``: tab-separated rows, one cell per line,
pipe tables. Word's ``[bookmark: _Hlk…]`` markers are removed there and here.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from .documents import Document, Table
from .errors import PlanImportError
from .text_tables import BOOKMARK_RE, text_to_blocks
from .zip_guard import check_inflated_sizes

# Caps on what an Office zip inflates to, checked (zip_guard: on the real bytes,
# not the declared sizes) before python-docx/openpyxl decompress anything: a real
# plan is a few MB at most.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"

FORMAT_NAMES = {
    "docx": "Word（.docx）文档",
    "doc": "Word（.doc）文档",
    "wps": "WPS（.wps）文档",
    "xlsx": "Excel（.xlsx）表格",
    "xls": "Excel（.xls）表格",
    "et": "WPS 表格（.et）",
    "pdf": "PDF 文件",
    "txt": "文本文件",
}
LEGACY_OFFICE = ("doc", "wps", "xls", "et")
RENAMED_LEGACY = {"docx": "doc", "xlsx": "xls"}
# An encrypted .docx/.xlsx is an OLE file holding a stream of this name.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_document(data: bytes, filename: str) -> Document:
    """Read an uploaded plan file; raise PlanImportError (Chinese message) if it cannot be read."""
    extension = check_upload(data, filename)
    try:
        return READERS[extension](data, extension) if extension in LEGACY_OFFICE else READERS[extension](data)
    except PlanImportError:
        raise
    except Exception as err:  # a library choked on a malformed file: the user needs to know, not a trace
        raise PlanImportError(
            f"无法读取该{FORMAT_NAMES[extension]}：文件可能已损坏（{type(err).__name__}）。"
            "请用 Office/WPS 打开确认后重新保存再上传。",
            code="corrupt_file",
        ) from err


def check_upload(data: bytes, filename: str) -> str:
    """The quick checks on an upload's name and first bytes (no parsing): the extension to read it as.

    Raises PlanImportError (Chinese) for an empty file, an unsupported format or content that is not
    what the extension says, so the upload page answers these at once, before a parse job is queued.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data:
        raise PlanImportError("上传的文件是空的（0 字节），请重新选择文件上传。", code="empty_file")
    if extension not in READERS:
        shown = f".{extension}" if extension else "（无扩展名）"
        raise PlanImportError(
            f"不支持 {shown} 格式的文件：请上传 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、"
            "PDF 或文本（.txt）文件。",
            code="unsupported_format",
        )
    if extension in ("docx", "xlsx") and data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE not in data:
        extension = RENAMED_LEGACY[
            extension
        ]  # an old .doc/.xls renamed to the new name: read it as what it is
    _check_content_matches_extension(data, extension)
    return extension


# --- checks on the raw bytes -------------------------------------------------------------


def _check_content_matches_extension(data: bytes, extension: str) -> None:
    head = data[:1024]
    if extension in LEGACY_OFFICE:
        return  # their readers check the content: an OLE file, or a .docx/.xlsx saved under the old name
    if data.startswith(OLE_MAGIC):
        if extension in ("docx", "xlsx") and ENCRYPTED_PACKAGE in data:
            raise PlanImportError(
                "文件设置了打开密码（已加密），无法读取：请在 Office/WPS 中取消密码后重新保存上传。",
                code="encrypted",
            )
        raise PlanImportError(
            "文件实际是旧版 Word（.doc）格式或已加密的 Office 文件：请另存为 .docx（不设密码）后上传。",
            code="legacy_doc",
        )
    expected = FORMAT_NAMES[extension]
    if extension in ("docx", "xlsx") and not data.startswith(ZIP_MAGIC):
        raise PlanImportError(
            f"文件扩展名是 .{extension}，但内容不是{expected}{_describe(head)}：请上传真正的{expected}。",
            code="wrong_content",
        )
    if extension == "pdf" and PDF_MAGIC not in head:
        raise PlanImportError(
            f"文件扩展名是 .pdf，但内容不是 PDF 文件{_describe(head)}：请上传真正的 PDF 文件。",
            code="wrong_content",
        )
    if extension == "txt" and (data.startswith(ZIP_MAGIC) or head.startswith(PDF_MAGIC)):
        raise PlanImportError(
            f"文件扩展名是 .txt，但内容不是文本{_describe(head)}：请按文件的真实格式（.docx/.xlsx/.pdf）上传。",
            code="wrong_content",
        )


def _describe(head: bytes) -> str:
    if head.startswith(PDF_MAGIC):
        return "（实际是 PDF 文件）"
    if head.startswith(ZIP_MAGIC):
        return "（实际是 zip 压缩包或其他 Office 文件）"
    if head.startswith(OLE_MAGIC):
        return "（实际是旧版 Office 文件）"
    return ""


def _open_checked_zip(data: bytes, extension: str) -> zipfile.ZipFile:
    """Open an Office zip after checking its directory against the size caps (zip bombs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise PlanImportError(
            f"{FORMAT_NAMES[extension]}已损坏，无法解压读取：请用 Office/WPS 打开确认后重新保存再上传。",
            code="corrupt_file",
        ) from err
    if len(members) > MAX_ZIP_MEMBERS:
        raise PlanImportError(
            f"文件内部包含 {len(members)} 个部件，超过允许的 {MAX_ZIP_MEMBERS} 个，疑似异常文件，已拒绝读取。",
            code="zip_bomb",
        )
    # zipfile cuts each member at its declared size, so capping the declared sizes
    # caps what python-docx/openpyxl keep …
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES:
        raise PlanImportError(
            f"文件解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB，疑似异常文件（压缩炸弹），已拒绝读取。",
            code="zip_bomb",
        )
    # … but only if the declared sizes are true: inflate each member in chunks to check.
    check_inflated_sizes(data, members, format_name=FORMAT_NAMES[extension])
    names = {member.filename for member in members}
    required = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
    if required not in names:
        other = (
            "Excel 表格"
            if "xl/workbook.xml" in names
            else "Word 文档"
            if "word/document.xml" in names
            else ""
        )
        actual = f"（实际是{other}）" if other else ""
        raise PlanImportError(
            f"文件扩展名是 .{extension}，但内容不是{FORMAT_NAMES[extension]}{actual}：请检查后重新上传。",
            code="wrong_content",
        )
    return archive


# --- text ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, else a guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or "\x00" in str(best):
        raise PlanImportError(
            "无法识别文本文件的编码，或文件不是文本：请另存为 UTF-8 编码的 .txt，或直接上传 Word（.docx）原件。",
            code="bad_encoding",
        )
    return str(best)


def _read_txt(data: bytes) -> Document:
    return Document(blocks=text_to_blocks(decode_text(data)), source_format="txt")


# --- Word --------------------------------------------------------------------------------


def _read_docx(data: bytes) -> Document:
    """Paragraphs and tables in body order; a merged cell's text is repeated in every grid position."""
    _open_checked_zip(data, "docx")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise PlanImportError(
            "Word 文档已损坏或不是有效的 .docx 文件：请用 Word/WPS 打开后另存为 .docx 再上传。",
            code="corrupt_file",
        ) from err
    blocks: list[str | Table] = []
    headings: list[str] = []
    for element in word.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, word)
            blocks.append(BOOKMARK_RE.sub("", paragraph.text).rstrip())
            if blocks[-1].strip() and _is_heading_style(paragraph):
                headings.append(blocks[-1].strip())
        elif element.tag == qn("w:tbl"):
            blocks.append(_docx_table(DocxTable(element, word)))
    return Document(
        blocks=[b for b in blocks if not isinstance(b, str) or b.strip()],
        source_format="docx",
        headings=headings,
    )


def _is_heading_style(paragraph) -> bool:
    """Title, Heading 1…9 and WPS's 标题 styles (a missing style reads as body text)."""
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return False
    return name.startswith(("Title", "Heading", "标题"))


def _docx_table(table) -> Table:
    # Merged cells come back as the same <w:tc>: read each once. The dict keeps the
    # elements alive, so lxml hands out the same proxy object for the same cell.
    text_of_cell: dict[object, str] = {}
    rows = []
    for row in table.rows:
        cells = [""] * row.grid_cols_before
        for cell in row.cells:
            key = cell._tc
            if key not in text_of_cell:
                text = "\n".join(p.text for p in cell.paragraphs)
                text_of_cell[key] = BOOKMARK_RE.sub("", text).strip()
            cells.append(text_of_cell[key])
        cells.extend([""] * row.grid_cols_after)
        rows.append(cells)
    return Table(rows=rows)


def _read_legacy_word(data: bytes, extension: str) -> Document:
    """A .doc/.wps: converted to .docx by LibreOffice (or a .docx saved under the old name), read as .docx."""
    from .office_convert import legacy_word_to_docx

    docx_bytes = data if data.startswith(ZIP_MAGIC) else legacy_word_to_docx(data, extension)
    document = _read_docx(docx_bytes)
    document.source_format = extension
    return document


# --- Excel -------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> Document:
    """Each worksheet becomes a Table; a merged range's value is filled into every cell it covers."""
    _open_checked_zip(data, "xlsx")
    import openpyxl

    # Not read_only: merged ranges are only available on normal worksheets.
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    blocks: list[str | Table] = []
    for sheet in workbook.worksheets:
        grid = [[_excel_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top_left = _excel_text(sheet.cell(merged.min_row, merged.min_col).value)
            for row_number in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
                row = grid[row_number - 1]
                for column_number in range(merged.min_col, min(merged.max_col, len(row)) + 1):
                    row[column_number - 1] = top_left
        rows = [row for row in grid if any(row)]
        if rows:
            blocks.append(Table(rows=rows))
    return Document(
        blocks=blocks, source_format="xlsx", sheet_names=[sheet.title for sheet in workbook.worksheets]
    )


def _excel_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xls(data: bytes, extension: str) -> Document:
    """A legacy .xls/.et workbook (``legacy_excel``), or an .xlsx saved under the old name."""
    if data.startswith(ZIP_MAGIC):
        document = _read_xlsx(data)
        document.source_format = extension
        return document
    from .legacy_excel import read_xls

    return read_xls(data, extension)


# --- PDF ---------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> Document:
    """Extract the text of a PDF and read it like a .txt; a scan without a text layer is read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanImportError(
                "PDF 文件设置了打开密码，无法读取：请上传未加密的 PDF 或 Word 原件。", code="encrypted"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as err:
        raise PlanImportError(
            "PDF 文件已损坏，无法读取：请重新导出 PDF，或直接上传 Word（.docx）原件。", code="corrupt_file"
        ) from err
    text = "\n".join(pages)
    scanned = not text.strip()
    if scanned:
        from . import ocr

        text = ocr.read_scanned_pdf(data, page_count=len(pages))
        if not text.strip():
            raise PlanImportError(ocr.NO_OCR_MESSAGE, code="scanned_pdf")
    return Document(blocks=text_to_blocks(text), source_format="pdf", ocr=scanned)


# Each extension's reader (the legacy ones also take the extension: .doc/.wps, .xls/.et).
READERS = {
    "txt": _read_txt,
    "docx": _read_docx,
    "xlsx": _read_xlsx,
    "pdf": _read_pdf,
    "doc": _read_legacy_word,
    "wps": _read_legacy_word,
    "xls": _read_xls,
    "et": _read_xls,
}
