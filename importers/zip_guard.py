"""Zip bombs: check what an Office file really inflates to, never trusting the sizes it declares.

A .docx/.xlsx is a zip. ``readers`` first caps the sizes its directory declares;
but Python's ``zipfile`` inflates a member in one call of up to 1 GiB and only
then cuts the result to the declared size, so a member that declares 1 KB and
inflates to 1.5 GB costs 1.5 GB of memory before anything can refuse it (a
1.5 MB .docx did exactly that). Here every deflated member is inflated in
64 KiB steps, counting the real bytes, and the file is refused the moment a
member grows past the size it declared. Nothing is kept, so memory stays at a
few chunks; once this passes, the declared sizes (already capped) are the real
ones and python-docx/openpyxl can be let loose on the file.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from .errors import PlanImportError

CHUNK = 64 * 1024
LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature … name length, extra length
LOCAL_SIGNATURE = b"PK\x03\x04"


def check_inflated_sizes(data: bytes, members: list[zipfile.ZipInfo], *, format_name: str) -> None:
    """Raise PlanImportError if any member inflates past its declared size (or cannot be located)."""
    view = memoryview(data)
    for member in members:
        if member.compress_type == zipfile.ZIP_STORED:
            continue  # stored bytes are read as they are: never more than the upload itself
        if member.compress_type != zipfile.ZIP_DEFLATED or member.flag_bits & 0x1:
            raise PlanImportError(
                f"{format_name}使用了 Office 不会使用的压缩或加密方式，无法读取：请用 Office/WPS 打开后重新保存再上传。",
                code="corrupt_file",
            )
        if _inflates_past(view, member, limit=member.file_size):
            raise PlanImportError(
                f"{format_name}解压后的实际大小超过了文件内部声明的大小，疑似异常文件（压缩炸弹），已拒绝读取。",
                code="zip_bomb",
            )


def _inflates_past(view: memoryview, member: zipfile.ZipInfo, *, limit: int) -> bool:
    start = member.header_offset
    try:
        signature, *_, name_length, extra_length = LOCAL_HEADER.unpack_from(view, start)
    except struct.error:
        signature = b""
    if signature != LOCAL_SIGNATURE:
        raise PlanImportError(
            "Office 文件已损坏（压缩包内部结构不完整），无法读取：请用 Office/WPS 打开确认后重新保存再上传。",
            code="corrupt_file",
        )
    begin = start + LOCAL_HEADER.size + name_length + extra_length
    compressed = view[begin : begin + member.compress_size]
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for offset in range(0, len(compressed), CHUNK):
            pending = compressed[offset : offset + CHUNK]
            while True:
                output = inflater.decompress(pending, CHUNK)
                produced += len(output)
                if produced > limit:
                    return True
                pending = inflater.unconsumed_tail
                # A full chunk with no input left may mean zlib still holds output: ask again.
                if inflater.eof or not pending and len(output) < CHUNK:
                    break
            if inflater.eof:
                break
    except zlib.error:
        return False  # damaged data: zipfile reports it when the reader gets there
    return False
