"""Checking an evidence file (佐证材料) by what it contains, not by what it is called, and naming it safely.

``check_evidence`` finds the real type from the bytes and refuses what could run
(``tasks.evidence_scan``); ``safe_name`` is the name the file is kept and served under:
the uploader's words, decoded, without control characters or paths, ending in the
checked type's extension, with any program extension inside it neutralised
(``报告.pdf.exe`` holding a PDF is served as ``报告.pdf_exe.pdf``). ``store_evidence``
and ``evidence_response`` keep and serve such a file, whatever record holds it (a
progress update's, a monthly report's).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext

from .evidence_scan import EXECUTABLE_SUFFIXES, office_problem, pdf_problem

ALLOWED = {
    "pdf": "PDF",
    "png": "PNG 图片",
    "jpg": "JPEG 图片",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pptx": "PowerPoint 演示文稿",
}
OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
OFFICE_KINDS = frozenset(OFFICE_FOLDERS.values())
SAME_EXTENSION = {"jpg": {"jpg", "jpeg"}}
MAX_NAME_CHARS = 100
_EXECUTABLE_INSIDE = re.compile(
    r"\.(" + "|".join(sorted(EXECUTABLE_SUFFIXES, key=len, reverse=True)) + r")(?=\.|$)", re.IGNORECASE
)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class EvidenceRejected(ValueError):
    """The file is not an accepted type, is too large or could run; the message is for the user."""


def detect_evidence_type(head: bytes, data: bytes | None = None) -> str | None:
    """The real type of a file from its first bytes (and, for Office files, its zip directory)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for folder, kind in OFFICE_FOLDERS.items():
                if any(n.startswith(folder) for n in names):
                    return kind
    return None


def check_evidence(name: str, data: bytes) -> str:
    """Return the extension to store the file under, or raise EvidenceRejected (in Chinese)."""
    limit = settings.BLUESKY_MAX_UPLOAD_BYTES
    if not data:
        raise EvidenceRejected(gettext("“%(name)s”是空文件。") % {"name": name})
    if len(data) > limit:
        raise EvidenceRejected(
            gettext("“%(name)s”超过 %(megabytes)d MB，请压缩后上传。")
            % {"name": name, "megabytes": limit // (1024 * 1024)}
        )
    kind = detect_evidence_type(data[:16], data)
    if kind is None:
        allowed = "、".join(ALLOWED.values())
        raise EvidenceRejected(
            gettext("“%(name)s”不是可接受的文件类型（仅支持 %(allowed)s），请检查文件内容。")
            % {"name": name, "allowed": allowed}
        )
    problem = pdf_problem(data) if kind == "pdf" else office_problem(data) if kind in OFFICE_KINDS else None
    if problem:
        raise EvidenceRejected(
            gettext(
                "“%(name)s”%(problem)s，出于安全考虑不能作为佐证材料上传；请另存为不含这些内容的文件后再上传。"
            )
            % {"name": name, "problem": problem}
        )
    return kind


def check_all_evidence(files) -> list[tuple]:
    """Each uploaded file (``name``, ``data``) with its checked extension; the first refusal raises."""
    return [(upload, check_evidence(upload.name, upload.data)) for upload in files]


def store_evidence(record, *, name: str, data: bytes, extension: str) -> None:
    """Fill and save an evidence record (a tasks.models.EvidenceFile) with a file checked by check_evidence."""
    record.original_name = safe_name(name, extension)
    record.extension = extension
    record.size = len(data)
    record.sha256 = hashlib.sha256(data).hexdigest()
    record.file.save(f"evidence.{extension}", ContentFile(data), save=False)
    record.save()


def evidence_response(record) -> FileResponse:
    """The stored file of an evidence record as a download under its original name (the caller checked
    the reader may have it)."""
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在。")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_name(record.original_name, record.extension),
        content_type=CONTENT_TYPES.get(record.extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_name(name: str, extension: str) -> str:
    """The name an evidence file is kept and downloaded under (see the module's docstring)."""
    text = unicodedata.normalize("NFC", name or "").replace("\ufffd", "_")
    text = "".join("_" if unicodedata.category(c).startswith("C") or c in '/\\:*?"<>|' else c for c in text)
    stem, dot, suffix = text.rpartition(".")
    if not dot or suffix.lower() not in SAME_EXTENSION.get(extension, {extension}):
        stem = text
    stem = _EXECUTABLE_INSIDE.sub(lambda m: "_" + m.group(1), stem).strip(" ._")[:MAX_NAME_CHARS].strip(" .")
    return f"{stem or gettext('佐证材料')}.{extension}"
