"""Looking inside an accepted evidence file for what could run: executables, macros, PDF actions.

An Office file (.docx/.xlsx/.pptx) is a zip: its member names alone proved nothing (a
.docx holding an .exe passed). Here every member is opened and read, counting the bytes
really inflated (never the sizes the archive declares), and the file is refused when a
member is named like a program or script, is a VBA macro project, *is* a Windows program
(an ``MZ`` header pointing at a ``PE`` signature), or is an OLE object packaging a program
or script (an ``Ole10Native`` package naming one); nested Office files are opened too.

A PDF is refused when it carries JavaScript or a Launch action, looked for in its objects
and in its compressed object streams (where they hide), with PDF name escapes
(``/J#61vaScript``) undone.

Each check returns a Chinese reason, or None.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from django.utils.translation import gettext

EXECUTABLE_SUFFIXES = frozenset(
    "exe dll bat cmd com js jse vbs vbe ps1 psm1 msi msp scr hta wsf wsh jar lnk pif cpl reg sct "
    "sys drv ocx gadget application appref-ms".split()
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_PACKAGE = "Ole10Native".encode("utf-16-le")
MAX_INFLATED = 200 * 1024 * 1024  # all members together, counted while reading
MAX_DEPTH = 2
_PACKAGED_NAME = re.compile(
    rb"[^\x00-\x1f\\/]{1,200}\.(" + b"|".join(s.encode() for s in sorted(EXECUTABLE_SUFFIXES)) + rb")\x00",
    re.IGNORECASE,
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_PDF_ACTIONS = {b"javascript": "JavaScript 脚本", b"js": "JavaScript 脚本", b"launch": "启动外部程序的动作"}


def suffix_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rpartition(".")[2].lower() if "." in base else ""


def contains_windows_program(data: bytes) -> bool:
    """An ``MZ`` header whose ``e_lfanew`` points at ``PE\\0\\0``: a Windows program, wherever it sits."""
    at = data.find(b"MZ")
    while at != -1:
        if at + 0x40 <= len(data):
            (offset,) = struct.unpack_from("<I", data, at + 0x3C)
            if data[at + offset : at + offset + 4] == b"PE\x00\x00":
                return True
        at = data.find(b"MZ", at + 2)
    return False


class _Budget:
    def __init__(self, limit: int):
        self.left = limit


def _member_problem(name: str, content: bytes, budget: _Budget, depth: int) -> str | None:
    base = name.rsplit("/", 1)[-1]
    if suffix_of(name) in EXECUTABLE_SUFFIXES:
        return gettext("内含程序或脚本文件“%(name)s”") % {"name": base}
    if base.lower().startswith("vbaproject") or base.lower() == "vbadata.xml":
        return gettext("含有宏（VBA 代码）")
    if contains_windows_program(content):
        return gettext("内嵌了 Windows 可执行程序（“%(name)s”）") % {"name": base}
    if content.startswith(OLE_MAGIC) and OLE_PACKAGE in content:
        packaged = _PACKAGED_NAME.search(content)
        if packaged:
            return gettext("内嵌的对象打包了程序或脚本（“%(name)s”）") % {
                "name": packaged.group(0)[:-1].decode("gb18030", errors="replace").rsplit("\\", 1)[-1]
            }
    if content.startswith(b"PK\x03\x04") and depth < MAX_DEPTH:
        return office_problem(content, budget=budget, depth=depth + 1)
    return None


def office_problem(data: bytes, *, budget: _Budget | None = None, depth: int = 0) -> str | None:
    """Why this Office file (a zip) must not be accepted, or None."""
    budget = budget or _Budget(MAX_INFLATED)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as member:
                content = member.read(budget.left + 1)  # inflates only as far as it reads
            budget.left -= len(content)
            if budget.left < 0:
                return gettext("解压后过大，疑似异常文件")
            problem = _member_problem(info.filename, content, budget, depth)
            if problem:
                return problem
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, ValueError):
        return gettext("已损坏或加密，无法检查其内容")
    return None


def _pdf_names(data: bytes) -> set[bytes]:
    names = set()
    for match in _PDF_NAME.finditer(data):
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        names.add(raw.lower())
    return names


def pdf_problem(data: bytes) -> str | None:
    """Why this PDF must not be accepted (JavaScript, a Launch action), or None.

    Names are read from the PDF's own syntax: the file with its streams' contents left
    out (an image's bytes could spell ``/JS`` by chance), and the inflated object streams.
    """
    texts, budget = [_PDF_STREAM.sub(b"stream\nendstream", data)], MAX_INFLATED
    for stream in _PDF_STREAM.finditer(data):
        dictionary = data[max(0, stream.start() - 400) : stream.start()].rsplit(b"obj", 1)[-1]
        if b"/ObjStm" not in dictionary:
            continue
        try:
            inflated = zlib.decompressobj().decompress(stream.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget <= 0:
            return gettext("解压后过大，疑似异常文件")
        texts.append(inflated)
    for text in texts:
        found = _pdf_names(text) & _PDF_ACTIONS.keys()
        if found:
            return gettext("含有%(what)s") % {"what": _PDF_ACTIONS[sorted(found)[0]]}
    return None
