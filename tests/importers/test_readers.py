"""Reading uploads: encodings, text layouts, and every kind of bad file ending in a Chinese PlanImportError."""

import io
import random
import re
import zipfile

import pytest
from docx import Document as WordDocument

from importers import readers
from importers.documents import Table
from importers.errors import PlanImportError
from importers.parsers.table import parse_tables
from importers.readers import read_document, text_to_blocks

from .pdf_builder import text_pdf
from .sample_plans import FENGTAI, plan_summary, sample_bytes

CHINESE = re.compile(r"[\u4e00-\u9fff]")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_error(data: bytes, filename: str) -> PlanImportError:
    with pytest.raises(PlanImportError) as caught:
        read_document(data, filename)
    assert CHINESE.search(str(caught.value)), "the message must be Chinese"
    return caught.value


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def small_docx() -> bytes:
    word = WordDocument()
    word.add_paragraph("北京市某区大气污染防治行动计划")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_encodings_give_the_same_table(encoding):
    text = sample_bytes(FENGTAI).decode("utf-8")
    expected = plan_summary(parse_tables(read_document(sample_bytes(FENGTAI), FENGTAI)))
    encoded = text.encode(encoding)
    assert encoded != text.encode("utf-8")
    assert plan_summary(parse_tables(read_document(encoded, "丰台.TXT"))) == expected


def test_windows_line_endings():
    data = sample_bytes(FENGTAI).replace(b"\n", b"\r\n")
    assert plan_summary(parse_tables(read_document(data, FENGTAI))) == plan_summary(
        parse_tables(read_document(sample_bytes(FENGTAI), FENGTAI))
    )


# --- text layouts -------------------------------------------------------------------------


def test_tab_rows_become_tables_and_other_lines_paragraphs():
    blocks = text_to_blocks("标题\n\n序号\t任务\n1\t甲\n\n六、某章\n 页眉行\n")
    assert blocks == ["标题", "", Table(rows=[["序号", "任务"], ["1", "甲"]]), "", "六、某章", " 页眉行"]


def test_one_cell_per_line_tables():
    text = "[bookmark: _GoBack]附件\n\t序号\n\t措施\n\t牵头\n\n\t1\n\t第一行\n第二行\n\t区环保局\n\n\n结尾\n"
    blocks = text_to_blocks(text)
    assert blocks[0] == "附件"
    table = blocks[1]
    assert table.layout == "cell_lines"
    assert table.rows == [["序号", "措施", "牵头"], ["1", "第一行\n第二行", "区环保局"]]
    assert blocks[2:] == ["结尾"]


def test_a_row_split_by_a_blank_line_is_joined():
    text = "\t序号\n\t措施\n\t时限\n\t牵头\n\n\t1\n\n\t措施甲\n\t年底前\n\t区环保局\n\n\t一、章\n\n\t2\n\t措施乙\n\t年底前\n\t区城管委\n"
    (table,) = text_to_blocks(text)
    assert table.rows == [
        ["序号", "措施", "时限", "牵头"],
        ["1", "措施甲", "年底前", "区环保局"],
        ["一、章"],
        ["2", "措施乙", "年底前", "区城管委"],
    ]


def test_text_pdf_is_read_as_paragraphs():
    document = read_document(
        text_pdf(["一、总体要求", "（三）加强扬尘管控", "牵头部门：区城管委、区环保局"]), "plan.pdf"
    )
    assert document.source_format == "pdf"
    assert document.paragraphs == ["一、总体要求", "（三）加强扬尘管控", "牵头部门：区城管委、区环保局"]


# --- bad input ----------------------------------------------------------------------------


def test_empty_file():
    assert "空" in str(import_error(b"", "plan.docx"))


@pytest.mark.parametrize("filename", ["plan.pages", "plan", "plan.rtf", "plan.zip"])
def test_unknown_extension(filename):
    error = import_error(b"anything", filename)
    assert error.code == "unsupported_format" and ".docx" in str(error)


@pytest.mark.parametrize("filename", ["计划.doc", "计划.wps", "计划.xls", "计划.et"])
def test_damaged_legacy_office_file(filename):
    """Real .doc/.xls files are read (test_legacy_office.py); an OLE header with nothing behind it is not."""
    error = import_error(OLE + b"\x00" * 600, filename)
    assert error.code == "corrupt_file" and "损坏" in str(error)
    assert ("另存为 .docx" if filename.endswith((".doc", ".wps")) else "另存为 .xlsx") in str(error)


def test_doc_renamed_to_docx():
    assert "另存为 .docx" in str(import_error(OLE + b"\x00" * 600, "计划.docx"))


def test_encrypted_office_file():
    data = OLE + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    for filename in ("计划.docx", "计划.xlsx"):
        error = import_error(data, filename)
        assert error.code == "encrypted" and "密码" in str(error)


@pytest.mark.parametrize("filename", ["plan.docx", "plan.xlsx"])
def test_text_behind_an_office_extension(filename):
    assert import_error("序号\t重点任务".encode(), filename).code == "wrong_content"


def test_pdf_behind_a_docx_extension():
    error = import_error(text_pdf(["正文"]), "plan.docx")
    assert "PDF" in str(error)


def test_not_a_pdf():
    assert import_error(small_docx(), "plan.pdf").code == "wrong_content"


def test_office_file_behind_a_txt_extension():
    assert import_error(small_docx(), "plan.txt").code == "wrong_content"


def test_excel_workbook_named_docx():
    error = import_error(zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "plan.docx")
    assert "Excel" in str(error)


def test_corrupt_zip():
    assert import_error(b"PK\x03\x04" + b"\x13\x37" * 500, "plan.docx").code == "corrupt_file"


def test_truncated_docx():
    data = small_docx()
    assert import_error(data[: len(data) // 2], "plan.docx").code == "corrupt_file"


def test_docx_with_broken_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small_docx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, b"<w:document><oops" if item.filename == "word/document.xml" else content)
    assert import_error(buffer.getvalue(), "plan.docx").code == "corrupt_file"


def test_zip_bomb_is_refused_before_decompression(monkeypatch):
    assert readers.MAX_UNZIPPED_BYTES == 100 * 1024 * 1024
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    bomb = zip_bytes({"word/document.xml": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 20_000
    error = import_error(bomb, "plan.docx")
    assert error.code == "zip_bomb" and "压缩炸弹" in str(error)


def test_zip_with_too_many_members():
    members = {f"word/media/{n}.xml": b"" for n in range(readers.MAX_ZIP_MEMBERS + 1)}
    members["word/document.xml"] = b"<x/>"
    assert import_error(zip_bytes(members), "plan.docx").code == "zip_bomb"


def test_corrupt_pdf():
    assert import_error(b"%PDF-1.4\n1 0 obj garbage\n%%EOF", "plan.pdf").code == "corrupt_file"


def test_scanned_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    error = import_error(buffer.getvalue(), "扫描件.pdf")
    assert error.code == "scanned_pdf" and "扫描" in str(error) and ".docx" in str(error)


def test_binary_behind_a_txt_extension():
    assert import_error(b"\x00\x01\x02\xff" * 100, "plan.txt").code == "bad_encoding"


@pytest.mark.parametrize("filename", ["plan.docx", "plan.xlsx", "plan.pdf"])
def test_damaged_files_only_ever_raise_plan_import_error(filename):
    if filename.endswith(".pdf"):
        original = text_pdf(["一、总体要求", "牵头部门：区城管委"])
    elif filename.endswith(".docx"):
        original = small_docx()
    else:
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "序号"
        buffer = io.BytesIO()
        workbook.save(buffer)
        original = buffer.getvalue()
    rng = random.Random(20240501)
    for _ in range(40):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 20)):
            position = rng.randrange(8, len(damaged))
            damaged[position] = rng.randrange(256)
        try:
            read_document(bytes(damaged), filename)
        except PlanImportError as error:
            assert CHINESE.search(str(error))
