"""Legacy Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice, then read as .docx.

Offices still receive plans as Word 97 .doc files and as WPS .wps files (WPS
writes the same OLE format as Word 97). No well-kept Python library reads those,
so LibreOffice headless converts them: each conversion in a private temporary
directory with its own LibreOffice profile (``-env:UserInstallation``), because
two conversions sharing a profile block each other; with a time limit (a
hostile file cannot hold a worker), and everything deleted afterwards.

A password-protected file is recognised before LibreOffice sees it (the
encryption flag in the Word header, or an encrypted Office 2007 package inside
the OLE container), so the user is told to remove the password rather than that
the file is damaged; an OLE file without a Word stream is refused as damaged
here, because LibreOffice would import its bytes as plain text. RTF and HTML
"Word" files (what web systems export as .doc) go to LibreOffice too. Without
LibreOffice on the server the user gets the same message as before conversion
existed: save the file as .docx.
"""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

from .errors import PlanImportError
from .external_tools import run_tool, setting

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
# Web systems export "Word" files that are HTML or Word 2003 XML under a .doc name; LibreOffice reads both.
MARKUP_STARTS = (b"<html", b"<!doctype html", b"<?xml")
WORD_FIB_MAGIC = 0xA5EC
WORD_FIB_ENCRYPTED = 0x0100  # fEncrypted in the FIB's flags word (offset 0x0A)

CORRUPT_MESSAGE = (
    "无法读取该旧版 Word（.doc/.wps）文件：文件已损坏。请用 Word/WPS 打开确认后另存为 .docx 再上传。"
)
NO_LIBREOFFICE_MESSAGE = "暂不支持旧版 Word（.doc/.wps）格式：请在 Word 或 WPS 中打开，另存为 .docx 后上传。"


def legacy_word_to_docx(data: bytes, extension: str) -> bytes:
    """Convert a .doc/.wps upload to .docx bytes; raise PlanImportError (Chinese) on any failure."""
    kind = _ole_kind(data) if data.startswith(OLE_MAGIC) else _text_kind(data)
    if kind in ("other", "excel"):
        actual = "（实际是 Excel 表格）" if kind == "excel" else ""
        raise PlanImportError(
            f"文件扩展名是 .{extension}，但内容不是 Word/WPS 文档{actual}：请检查后重新上传，或另存为 .docx 后上传。",
            code="wrong_content",
        )
    if kind == "encrypted":
        raise PlanImportError(
            "文件设置了打开密码（已加密），无法读取：请在 Word/WPS 中取消密码，另存为 .docx 后上传。",
            code="encrypted",
        )
    if kind == "damaged":
        raise PlanImportError(CORRUPT_MESSAGE, code="corrupt_file")
    timeout = setting("BLUESKY_OFFICE_CONVERT_TIMEOUT", 60)
    with tempfile.TemporaryDirectory(prefix="bluesky-convert-") as work:
        converted = _convert(data, extension, Path(work), timeout)
    if converted is None:
        raise PlanImportError(CORRUPT_MESSAGE, code="corrupt_file")
    return converted


def _convert(data: bytes, extension: str, work: Path, timeout: float) -> bytes | None:
    source = work / f"upload.{extension}"
    source.write_bytes(data)
    outdir = work / "out"
    command = [
        setting("BLUESKY_SOFFICE", "soffice"),
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        str(source),
    ]
    too_slow = PlanImportError(
        f"旧版 Word 文件转换超过 {timeout:g} 秒仍未完成，文件可能过大或已损坏：请在 Word/WPS 中另存为 .docx 后上传。",
        code="convert_timeout",
    )
    missing = PlanImportError(NO_LIBREOFFICE_MESSAGE, code="legacy_doc")
    run_tool(
        command, timeout=timeout, missing=missing, timed_out=too_slow, cwd=str(work), env={"HOME": str(work)}
    )
    result = outdir / "upload.docx"
    if not result.is_file() or result.stat().st_size == 0:
        return None
    return result.read_bytes()


def _text_kind(data: bytes) -> str:
    """ "rtf" or "markup" (HTML, Word 2003 XML) for the text formats LibreOffice reads as Word, else "other"."""
    if data.startswith(RTF_MAGIC):
        return "rtf"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "markup" if head.startswith(MARKUP_STARTS) else "other"


def _ole_kind(data: bytes) -> str:
    """ "word", "encrypted" (password-protected), "excel" (a workbook under a Word name), else "damaged".

    Checked here because LibreOffice, given an OLE file it cannot read, imports
    its bytes as plain text instead of failing.
    """
    from xlrd.compdoc import CompDoc

    from .legacy_excel import QuietLog

    try:
        container = CompDoc(data, logfile=QuietLog())
        if container.get_named_stream("EncryptedPackage") is not None:
            return "encrypted"  # an encrypted .docx in an OLE container, saved as .doc
        word = container.get_named_stream("WordDocument")
        if word is None and container.get_named_stream("Workbook") is not None:
            return "excel"
    except Exception:  # noqa: BLE001 - xlrd raises many kinds on a damaged container
        return "damaged"
    if not word or len(word) < 12:
        return "damaged"
    magic, flags = struct.unpack_from("<H8xH", word, 0)
    if magic != WORD_FIB_MAGIC:
        return "damaged"
    return "encrypted" if flags & WORD_FIB_ENCRYPTED else "word"
