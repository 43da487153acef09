"""Checking an evidence file (佐证材料) by what it contains, not by what it is called."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings

ALLOWED = {"pdf": "PDF", "png": "PNG 图片", "jpg": "JPEG 图片", "docx": "Word 文档", "xlsx": "Excel 表格"}


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
