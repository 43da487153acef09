"""Uploads whose part headers Django's parser would drop or refuse: repaired before it reads them.

Django decodes each multipart header line as UTF-8 and silently skips a line it cannot
decode, so a file named in GB18030 bytes (an older Chinese client) lost its
Content-Disposition and vanished from ``request.FILES`` while the form reported success.
A part's headers longer than 1 KiB (a 5,000-character file name) made the whole request
a bare English 400.

``HeaderRepairingStream`` sits between the request body and Django's ``MultiPartParser``
and rewrites only the header block of each part: a line that is not UTF-8 is read as
GB18030 (else with replacement characters) and written back as UTF-8; a file name longer
than ``MAX_FILENAME_CHARS`` is shortened, keeping its extension. Bodies pass unchanged, in
a stream (a large upload is never held whole in memory). ``RepairUploadsMiddleware`` puts
it under every page's form (the API takes no files).
"""

from __future__ import annotations

import re

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList

MAX_FILENAME_CHARS = 120
MAX_HEADER_BYTES = 64 * 1024  # beyond this a "header" is left alone for Django to refuse
_FILENAME = re.compile(r'(filename=")([^"]*)(")', re.IGNORECASE)


def _decode_header_line(line: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("utf-8", errors="replace")


def _shorten(name: str) -> str:
    if len(name) <= MAX_FILENAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:MAX_FILENAME_CHARS]
    return stem[: MAX_FILENAME_CHARS - len(suffix) - 1] + "." + suffix


def repair_header_block(block: bytes) -> bytes:
    """A part's header lines, each valid UTF-8, with a file name of a sane length."""
    lines = []
    for raw in block.split(b"\r\n"):
        text = _decode_header_line(raw)
        text = _FILENAME.sub(lambda m: m.group(1) + _shorten(m.group(2)) + m.group(3), text)
        lines.append(text.encode("utf-8"))
    return b"\r\n".join(lines)


class HeaderRepairingStream:
    """A file-like view of a multipart body whose part headers are repaired on the way through."""

    def __init__(self, raw, boundary: bytes):
        self._raw = raw
        self._opening = b"--" + boundary + b"\r\n"
        self._pending = b""  # read from the body, not yet handed on
        self._ready = b""  # handed on at the next read
        self._eof = False

    def _advance(self) -> bool:
        """Move what is settled from ``_pending`` to ``_ready``; False when more of the body is needed."""
        start = self._pending.find(self._opening)
        if start == -1:
            keep = 0 if self._eof else len(self._opening) - 1  # a boundary may be cut across reads
            cut = max(0, len(self._pending) - keep)
            self._ready += self._pending[:cut]
            self._pending = self._pending[cut:]
            return cut > 0
        self._ready += self._pending[:start]
        self._pending = self._pending[start:]
        headers_at = len(self._opening)
        end = self._pending.find(b"\r\n\r\n", headers_at)
        if end == -1 and not self._eof and len(self._pending) < MAX_HEADER_BYTES:
            return start > 0
        if end == -1:  # headers without an end: passed on as they are, for Django to refuse
            self._ready += self._pending[:headers_at]
            self._pending = self._pending[headers_at:]
            return True
        self._ready += self._pending[:headers_at] + repair_header_block(self._pending[headers_at:end])
        self._pending = self._pending[end:]
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._ready) < size:
            if self._pending and self._advance():
                continue
            if self._eof:
                self._ready += self._pending
                self._pending = b""
                break
            chunk = self._raw.read(64 * 1024)
            self._eof = not chunk
            self._pending += chunk
        if size < 0:
            size = len(self._ready)
        out, self._ready = self._ready[:size], self._ready[size:]
        return out


class RepairingMultiPartParser(MultiPartParser):
    """Django's multipart parser reading through ``HeaderRepairingStream``."""

    def __init__(self, META, input_data, upload_handlers, encoding=None):
        super().__init__(META, input_data, upload_handlers, encoding)
        self._input_data = HeaderRepairingStream(self._input_data, self._boundary)


def _parse_file_upload(request):
    def parse_file_upload(META, post_data):
        request.upload_handlers = ImmutableList(
            request.upload_handlers, warning="上传已开始处理，不能再更改。"
        )
        return RepairingMultiPartParser(META, post_data, request.upload_handlers, request.encoding).parse()

    return parse_file_upload


class RepairUploadsMiddleware:
    """Every page's multipart form is parsed through the repairing parser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.parse_file_upload = _parse_file_upload(request)
        return self.get_response(request)
