"""Scanned PDFs (pages that are pictures, no text layer): read by OCR, and flagged for review.

Many plans reach an office as a scan of the stamped paper copy. Their pages are
rendered to images by poppler's ``pdftoppm`` and read by Tesseract with its
Simplified Chinese model (Debian ``tesseract-ocr-chi-sim``: installed with the
system, never downloaded at run time). OCR makes mistakes (a 局 read as 届, a
missed line), so the ``Document`` is marked ``ocr=True`` and
``flag_for_review`` marks every measure of the parsed plan as needing review.

A scan cannot hold a worker forever: at most ``BLUESKY_OCR_MAX_PAGES`` pages,
all of them within ``BLUESKY_OCR_TIMEOUT`` seconds, each refused with a clear
message. Pages are rendered to a fixed size (long side ``RENDER_PIXELS``)
whatever size the PDF claims, so memory does not depend on the file either.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from .errors import PlanImportError
from .external_tools import run_tool, setting

RENDER_PIXELS = 2400  # long side of a rendered page: about 200 dpi on A4, enough for 小四 text
NO_OCR_MESSAGE = "这是扫描版（图片）PDF，里面没有可读取的文字：请上传 Word（.docx）原件或可复制文字的 PDF。"
MEASURE_WARNING = "本条文字由扫描件识别（OCR）得到，可能有错字或漏字，请对照原件核对。"
PLAN_WARNING = "该文件是扫描版 PDF，文字由 OCR 识别得到，可能有错字或漏字：所有措施已标记为待核对，请对照原件逐条检查单位和时限。"

# Tesseract separates Chinese characters by spaces; between two CJK characters
# (or CJK punctuation, or the brackets and colons it reads as ASCII) a space is never meant.
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef():]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})")


def read_scanned_pdf(data: bytes, *, page_count: int) -> str:
    """The text of a scanned PDF's pages, by OCR; raise PlanImportError if it cannot be had in time."""
    max_pages = setting("BLUESKY_OCR_MAX_PAGES", 30)
    timeout = setting("BLUESKY_OCR_TIMEOUT", 300)
    if page_count > max_pages:
        raise PlanImportError(
            f"这是扫描版（图片）PDF，共 {page_count} 页，超过文字识别的上限 {max_pages} 页："
            "请上传 Word（.docx）原件或可复制文字的 PDF，或只上传含重点任务的页。",
            code="ocr_too_many_pages",
        )
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="bluesky-ocr-") as work:
        images = _render_pages(data, Path(work), deadline, max_pages=max_pages)
        pages = [_recognise(image, deadline) for image in images]
    return "\n".join(pages)


def flag_for_review(plan) -> None:
    """Mark every measure of a plan read by OCR as needing review, with the reason."""
    plan.warnings.append(PLAN_WARNING)
    for chapter in plan.chapters:
        for task in chapter.tasks:
            for measure in task.measures:
                measure.warnings.append(MEASURE_WARNING)


def _render_pages(data: bytes, work: Path, deadline: float, *, max_pages: int) -> list[Path]:
    source = work / "scan.pdf"
    source.write_bytes(data)
    command = [
        setting("BLUESKY_PDFTOPPM", "pdftoppm"),
        "-gray",
        "-png",
        "-scale-to",
        str(RENDER_PIXELS),
        "-l",
        str(max_pages),
        str(source),
        str(work / "page"),
    ]
    _run(command, deadline)
    # pdftoppm pads page numbers to the same width (page-01 … page-12): name order is page order.
    return sorted(work.glob("page*.png"))


def _recognise(image: Path, deadline: float) -> str:
    command = [
        setting("BLUESKY_TESSERACT", "tesseract"),
        str(image),
        "stdout",
        "-l",
        "chi_sim",
        "-c",
        "preserve_interword_spaces=1",
    ]
    result = _run(command, deadline)
    text = result.stdout.decode("utf-8", "replace").replace("\f", "")
    lines = (_SPACE_BETWEEN_CJK.sub("", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _run(command: list[str], deadline: float):
    timeout = setting("BLUESKY_OCR_TIMEOUT", 300)
    too_slow = PlanImportError(
        f"扫描版 PDF 的文字识别超过 {timeout:g} 秒仍未完成：请上传 Word（.docx）原件或可复制文字的 PDF，"
        "或只上传含重点任务的页。",
        code="ocr_timeout",
    )
    missing = PlanImportError(NO_OCR_MESSAGE, code="scanned_pdf")
    # One thread: the server runs several workers; Tesseract's own threads only fight them.
    return run_tool(
        command,
        timeout=deadline - time.monotonic(),
        missing=missing,
        timed_out=too_slow,
        env={"OMP_THREAD_LIMIT": "1"},
    )
