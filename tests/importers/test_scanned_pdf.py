"""Scanned PDFs are read by OCR, and everything read that way is marked for review.

The scan is made here the way a scanner makes one: a plan's text drawn on a
white A4 page (Pillow, with the CJK font the system has) and saved as a PDF of
images, with no text layer. Tesseract's Simplified Chinese model comes from the
system package (tesseract-ocr-chi-sim); nothing is downloaded.
"""

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw, ImageFont

from importers import ocr
from importers.pipeline import parse_document
from importers.readers import read_document

from .pdf_builder import text_pdf
from .test_legacy_office import _processes_mentioning
from .test_readers import import_error

FONT_FILES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]
A4_AT_150_DPI = (1240, 1754)

PLAN_PAGE = [
    "某区大气污染防治行动计划",
    "一、调整交通结构",
    "（一）推广新能源汽车",
    "新增和更新的公交车全部为电动车。",
    "牵头部门：区交通委、区环保局",
    "（二）加强扬尘管控",
    "建筑工地全部安装视频监控设施。",
    "牵头部门：区住房城乡建设委",
]


def cjk_font(size: int):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    if os.environ.get("CI"):
        pytest.fail("no CJK font in CI (apt-get install fonts-wqy-microhei)")
    pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages are images of the given lines: what a scanner produces."""
    font = cjk_font(34)
    images = []
    for lines in pages:
        image = Image.new("L", A4_AT_150_DPI, 255)
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((120, 150 + number * 64), line, font=font, fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def tools():
    missing = [name for name in ("pdftoppm", "tesseract") if shutil.which(name) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing in CI (apt-get install poppler-utils tesseract-ocr-chi-sim)")
        pytest.skip(f"{missing} not installed (apt-get install poppler-utils tesseract-ocr-chi-sim)")


@pytest.fixture(scope="module")
def scan(tools) -> bytes:
    return scanned_pdf([PLAN_PAGE])


def test_the_scan_has_no_text_layer(scan):
    from pypdf import PdfReader

    assert not "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(scan)).pages).strip()


def test_a_scanned_plan_is_read_by_ocr_and_marked(scan):
    document = read_document(scan, "扫描件.pdf")
    assert document.ocr and document.source_format == "pdf"
    text = document.text()
    assert "推广新能源汽车" in text and "区住房城乡建设委" in text
    assert "区 交" not in text  # Tesseract's spaces between Chinese characters are gone


def test_a_text_pdf_is_not_marked_as_ocr():
    assert not read_document(text_pdf(["一、总体要求"]), "plan.pdf").ocr


def test_every_measure_of_a_scanned_plan_needs_review(scan):
    plan = parse_document(scan, "扫描件.pdf")
    measures = [measure for chapter in plan.chapters for task in chapter.tasks for measure in task.measures]
    assert [measure.lead for measure in measures] == [["区交通委", "区环保局"], ["区住房城乡建设委"]]
    assert all(ocr.MEASURE_WARNING in measure.warnings for measure in measures)
    assert ocr.PLAN_WARNING in plan.warnings


@pytest.mark.django_db
def test_import_plan_gives_the_units_and_saves_every_measure_as_needing_review(scan, tmp_path, capsys):
    from departments.services import load_unit_directory
    from tasks.models import Measure

    load_unit_directory()
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(scan)
    call_command("import_plan", str(path), "--json")
    parsed = json.loads(capsys.readouterr().out)
    measures = [m for chapter in parsed["chapters"] for task in chapter["tasks"] for m in task["measures"]]
    assert [m["units"]["lead"] for m in measures] == [["区交通委", "区环保局"], ["区住房城乡建设委"]]
    assert all(measure["needs_review"] and ocr.MEASURE_WARNING in measure["warnings"] for measure in measures)
    assert ocr.PLAN_WARNING in parsed["warnings"]
    assert Measure.objects.count() == 2 and Measure.objects.filter(needs_review=True).count() == 2


def test_a_blank_scan_says_there_is_no_text(tools):
    blank = io.BytesIO()
    Image.new("L", A4_AT_150_DPI, 255).save(blank, "PDF", resolution=150)
    error = import_error(blank.getvalue(), "扫描件.pdf")
    assert error.code == "scanned_pdf" and ".docx" in str(error)


def test_too_many_pages_are_refused_before_any_ocr(tools, settings, monkeypatch, tmp_path):
    settings.BLUESKY_OCR_MAX_PAGES = 2
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    error = import_error(scanned_pdf([PLAN_PAGE, PLAN_PAGE, PLAN_PAGE]), "扫描件.pdf")
    assert error.code == "ocr_too_many_pages"
    assert "共 3 页" in str(error) and "上限 2 页" in str(error)
    assert list(tmp_path.iterdir()) == []  # refused before anything was rendered


def test_ocr_past_its_time_limit_is_stopped_with_its_processes(scan, settings, monkeypatch, tmp_path):
    settings.BLUESKY_OCR_TIMEOUT = 0.2
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    error = import_error(scan, "扫描件.pdf")
    assert error.code == "ocr_timeout" and "0.2 秒" in str(error)
    assert list(tmp_path.iterdir()) == []
    assert not _processes_mentioning(str(tmp_path))


@pytest.mark.parametrize("setting_name", ["BLUESKY_TESSERACT", "BLUESKY_PDFTOPPM"])
def test_without_the_ocr_programs_the_message_is_the_one_from_before(scan, settings, tmp_path, setting_name):
    setattr(settings, setting_name, str(tmp_path / "not-installed"))
    error = import_error(scan, "扫描件.pdf")
    assert error.code == "scanned_pdf"
    assert (
        str(error)
        == "这是扫描版（图片）PDF，里面没有可读取的文字：请上传 Word（.docx）原件或可复制文字的 PDF。"
    )


@pytest.mark.django_db
def test_a_scan_without_tasks_writes_nothing(tools):
    from importers.errors import PlanImportError
    from importers.models import PlanImport
    from importers.services import preview_upload

    with pytest.raises(PlanImportError):
        preview_upload(data=scanned_pdf([["会议纪要", "今天天气很好。"]]), filename="扫描件.pdf")
    assert PlanImport.objects.count() == 0
