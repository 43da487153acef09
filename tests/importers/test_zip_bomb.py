"""Zip bombs whose headers lie: refused by what they really inflate to, quickly and in little memory.

The bomb is built the way an attacker builds one: a real .docx whose
word/document.xml is a deflate stream of 1.5 GB of zeros (1.5 MB on disk)
while the zip's headers declare 4 KB (with the CRC of those 4 KB, so the lie is
consistent). Python's zipfile would inflate up to 1 GiB in one call before
cutting it to the declared size; the reader must stop at the first chunk past it.
"""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from importers.errors import PlanImportError
from importers.readers import read_document

from .test_readers import small_docx

MIB = 1024 * 1024
DECLARED = 4096


def deflate_zeros(total_mib: int) -> bytes:
    """A raw deflate stream of total_mib MiB of zeros, built from one full-flushed 1 MiB piece."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    # After a full flush the stream needs nothing before it: the piece can be repeated as is.
    piece = compressor.compress(b"\0" * MIB) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * total_mib + b"\x03\x00"  # an empty final block ends the stream


def lying_docx(*, real_mib: int, member: str = "word/document.xml") -> bytes:
    """small_docx() with ``member`` replaced by real_mib MiB of zeros that the headers call 4 KB."""
    payload = deflate_zeros(real_mib)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_docx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if item.filename == member:
                # Stored as is (the payload is already deflated); the headers are then rewritten.
                target.writestr(
                    zipfile.ZipInfo(member, item.date_time), payload, compress_type=zipfile.ZIP_STORED
                )
            else:
                target.writestr(item, source.read(item.filename))
    return _declare_deflated(buffer.getvalue(), member, size=DECLARED, crc=zlib.crc32(b"\0" * DECLARED))


def _declare_deflated(data: bytes, member: str, *, size: int, crc: int) -> bytes:
    """Rewrite ``member``'s local and central headers: method deflate, uncompressed size and CRC as given."""
    out = bytearray(data)
    # (signature, offset of the name, of the method, of the CRC, of the uncompressed size)
    for signature, name_at, method_at, crc_at, size_at in (
        (b"PK\x03\x04", 30, 8, 14, 22),
        (b"PK\x01\x02", 46, 10, 16, 24),
    ):
        header = out.index(signature)
        while out[header + name_at : header + name_at + len(member)] != member.encode():
            header = out.index(signature, header + 4)
        struct.pack_into("<H", out, header + method_at, zipfile.ZIP_DEFLATED)
        struct.pack_into("<L", out, header + crc_at, crc)
        struct.pack_into("<L", out, header + size_at, size)
    return bytes(out)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return lying_docx(real_mib=1500)


def test_the_bomb_is_what_the_issue_describes(bomb):
    assert len(bomb) < 2 * MIB  # a 1.5 MB upload …
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("word/document.xml")
        assert info.file_size == DECLARED and info.compress_type == zipfile.ZIP_DEFLATED  # … that says 4 KB
        assert sum(item.file_size for item in archive.infolist()) < MIB  # all members together: under 1 MB
    name_length, extra_length = struct.unpack_from("<HH", bomb, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    real = sum(
        len(inflater.decompress(bomb[offset : offset + 4096]))
        for offset in range(start, start + 40_000, 4096)
    )
    assert real > 30 * MIB  # … and is not: 40 KB of it already inflate to tens of MiB


def test_a_docx_that_lies_about_its_size_is_refused_quickly_in_little_memory(bomb):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(PlanImportError) as caught:
            read_document(bomb, "计划.docx")
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MIB, f"reading the bomb allocated {peak / MIB:.0f} MiB"
    assert caught.value.code == "zip_bomb"
    assert "压缩炸弹" in str(caught.value)
    assert elapsed < 2


@pytest.mark.parametrize("member", ["[Content_Types].xml", "word/styles.xml"])
def test_any_lying_member_is_refused_not_only_the_document(member):
    with pytest.raises(PlanImportError) as caught:
        read_document(lying_docx(real_mib=20, member=member), "plan.docx")
    assert caught.value.code == "zip_bomb"


def test_an_xlsx_that_lies_is_refused_too():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "序号"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    payload = deflate_zeros(20)
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                target.writestr(zipfile.ZipInfo(item.filename), payload, compress_type=zipfile.ZIP_STORED)
            else:
                target.writestr(item, source.read(item.filename))
    bomb = _declare_deflated(rebuilt.getvalue(), "xl/worksheets/sheet1.xml", size=DECLARED, crc=0)
    with pytest.raises(PlanImportError) as caught:
        read_document(bomb, "plan.xlsx")
    assert caught.value.code == "zip_bomb"


def test_an_honest_docx_still_reads():
    assert read_document(small_docx(), "plan.docx").paragraphs == ["北京市某区大气污染防治行动计划"]
