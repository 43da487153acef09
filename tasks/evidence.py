"""Checking an evidence file (佐证材料) by what it contains, not by what it is called."""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404

ALLOWED = {"pdf": "PDF", "png": "PNG 图片", "jpg": "JPEG 图片", "docx": "Word 文档", "xlsx": "Excel 表格"}


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class EvidenceRejected(ValueError):
    """The file is not an accepted type or is too large; the message is for the user."""


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
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check_evidence(name: str, data: bytes) -> str:
    """Return the extension to store the file under, or raise EvidenceRejected (in Chinese)."""
    limit = settings.BLUESKY_MAX_UPLOAD_BYTES
    if not data:
        raise EvidenceRejected(f"“{name}”是空文件。")
    if len(data) > limit:
        raise EvidenceRejected(f"“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后上传。")
    kind = detect_evidence_type(data[:16], data)
    if kind is None:
        allowed = "、".join(ALLOWED.values())
        raise EvidenceRejected(f"“{name}”不是可接受的文件类型（仅支持 {allowed}），请检查文件内容。")
    return kind


def check_all_evidence(files) -> list[tuple]:
    """Each uploaded file (``name``, ``data``) with its checked extension; the first refusal raises."""
    return [(upload, check_evidence(upload.name, upload.data)) for upload in files]


def store_evidence(record, *, name: str, data: bytes, extension: str) -> None:
    """Fill and save an evidence record (a tasks.models.EvidenceFile) with a file checked by check_evidence."""
    record.original_name = name[:255]
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
        filename=record.original_name,
        content_type=CONTENT_TYPES.get(record.extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
