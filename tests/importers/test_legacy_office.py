"""Legacy Word (.doc), WPS (.wps), Excel (.xls) and WPS sheet (.et) uploads read like their modern versions.

The files are made by LibreOffice from the sample plans (conftest.py): the .docx and
.xlsx built by test_docx_xlsx (merged cells and all) are saved as Word 97 .doc
and Excel 97 .xls, exactly the formats Word/WPS/Excel write. (The .doc goes
through .odt first: LibreOffice's direct .docx → .doc export drops the tables
of python-docx files, which real Word files do not show.) A .wps is such a .doc
under the WPS name, since WPS writes the same OLE format; an .et likewise.
Password-protected files are saved with a real password through LibreOffice's
UNO bridge (lo_encrypt.py).
"""

import os
import tempfile
import threading
from pathlib import Path

import pytest

from importers.errors import PlanImportError
from importers.parsers.table import parse_tables
from importers.readers import read_document

from .sample_plans import FENGTAI, MENTOUGOU, all_tasks, plan_summary
from .test_docx_xlsx import MERGED_COLUMNS, build_docx, build_xlsx, text_document
from .test_readers import CHINESE, import_error

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def made(legacy_office_files) -> dict[str, bytes]:
    return legacy_office_files


# --- Word 97 and WPS --------------------------------------------------------------------


def test_doc_and_wps_parse_like_the_text_dump_even_converted_side_by_side(made):
    """Both conversions run at once: each has its own LibreOffice profile, so neither blocks the other."""
    assert made["doc"].startswith(OLE)
    expected = plan_summary(parse_tables(text_document(MENTOUGOU)))
    documents: dict[str, object] = {}

    def read(name):
        documents[name] = read_document(made["doc"], name)

    threads = [threading.Thread(target=read, args=(name,)) for name in ("门头沟计划.doc", "门头沟计划.wps")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert documents["门头沟计划.doc"].source_format == "doc"
    assert documents["门头沟计划.wps"].source_format == "wps"
    for document in documents.values():
        plan = parse_tables(document)
        assert plan.shape == "table"
        assert plan_summary(plan) == expected


def test_conversion_leaves_nothing_behind(made, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    read_document(made["doc"], "plan.doc")
    assert list(tmp_path.iterdir()) == []
    assert not _processes_mentioning(str(tmp_path))


def test_a_docx_saved_under_the_doc_name_is_read_as_docx():
    data = build_docx(text_document(MENTOUGOU), MERGED_COLUMNS[MENTOUGOU])
    document = read_document(data, "plan.doc")
    assert document.source_format == "doc"
    assert plan_summary(parse_tables(document)) == plan_summary(parse_tables(text_document(MENTOUGOU)))


def test_a_doc_renamed_to_docx_is_read_as_the_doc_it_is(made):
    document = read_document(made["doc"], "plan.docx")
    assert document.source_format == "doc"
    assert plan_summary(parse_tables(document)) == plan_summary(parse_tables(text_document(MENTOUGOU)))


def test_a_web_page_saved_as_doc_is_read_with_its_merged_cells():
    """What web systems export as "Word": HTML under a .doc name (LibreOffice reads it as Word would)."""
    html = """<html><head><meta charset="utf-8"></head><body><p>某区大气污染防治行动计划</p>
    <table border="1"><tr><td>序号</td><td>重点任务</td><td>具体措施</td><td>完成时限</td><td>牵头单位</td></tr>
    <tr><td colspan="5">一、调整交通结构</td></tr>
    <tr><td>1</td><td rowspan="2">推广新能源车</td><td>新增公交车全部为电动车。</td><td>年底前</td><td>区交通委</td></tr>
    <tr><td>2</td><td>淘汰老旧车。</td><td>6月底前</td><td>区环保局</td></tr></table></body></html>"""
    document = read_document(html.encode(), "网页导出.doc")
    assert document.paragraphs == ["某区大气污染防治行动计划"]
    (table,) = document.tables
    assert table.rows[1] == ["一、调整交通结构"] * 5
    assert [row[1] for row in table.rows[2:]] == ["推广新能源车", "推广新能源车"]
    measures = [
        m for chapter in parse_tables(document).chapters for task in chapter.tasks for m in task.measures
    ]
    assert [(m.text, m.lead, m.deadline_text) for m in measures] == [
        ("新增公交车全部为电动车。", ["区交通委"], "年底前"),
        ("淘汰老旧车。", ["区环保局"], "6月底前"),
    ]


def test_without_libreoffice_the_message_is_the_one_from_before(made, settings, tmp_path):
    settings.BLUESKY_SOFFICE = str(tmp_path / "no-such-soffice")
    for name in ("计划.doc", "计划.wps"):
        error = import_error(made["doc"], name)
        assert error.code == "legacy_doc"
        assert (
            str(error) == "暂不支持旧版 Word（.doc/.wps）格式：请在 Word 或 WPS 中打开，另存为 .docx 后上传。"
        )


def test_a_conversion_past_its_time_limit_is_stopped_with_its_processes(
    made, settings, monkeypatch, tmp_path
):
    settings.BLUESKY_OFFICE_CONVERT_TIMEOUT = 0.3
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    error = import_error(made["doc"], "计划.doc")
    assert error.code == "convert_timeout" and "0.3 秒" in str(error)
    assert list(tmp_path.iterdir()) == []
    assert not _processes_mentioning(str(tmp_path))


def test_an_encrypted_doc_asks_for_the_password_to_be_removed(made):
    if "locked.doc" not in made:
        pytest.fail("python3-uno is needed to make an encrypted .doc (apt-get install python3-uno)")
    for name in ("计划.doc", "计划.wps"):
        error = import_error(made["locked.doc"], name)
        assert error.code == "encrypted" and "密码" in str(error)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (OLE + os.urandom(4000), "corrupt_file"),  # OLE header, nothing behind it
        ("一、总体要求\n牵头单位：区环保局".encode(), "wrong_content"),
        (b"%PDF-1.4\n%%EOF", "wrong_content"),
    ],
    ids=["empty", "damaged", "text", "pdf"],
)
def test_bad_doc_files_get_a_chinese_message(data, code):
    for name in ("计划.doc", "计划.wps"):
        assert import_error(data, name).code == code


def test_a_truncated_doc_gets_a_chinese_message(made):
    error = import_error(made["doc"][: len(made["doc"]) // 3], "计划.doc")
    assert error.code == "corrupt_file"


def test_an_excel_file_named_doc_says_what_it_is(made):
    error = import_error(made["xls"], "计划.doc")
    assert error.code == "wrong_content" and "Excel" in str(error)


@pytest.mark.django_db
def test_a_bad_doc_writes_nothing(made):
    from importers.models import PlanImport
    from importers.services import preview_upload
    from tasks.models import Plan

    for data in (OLE + b"\x00" * 4000, made["doc"][:5000], made.get("locked.doc", b"")):
        with pytest.raises(PlanImportError) as caught:
            preview_upload(data=data, filename="计划.doc")
        assert CHINESE.search(str(caught.value))
    assert PlanImport.objects.count() == 0 and Plan.objects.count() == 0


# --- Excel 97 and WPS sheets --------------------------------------------------------------


@pytest.mark.parametrize("name", ["丰台.xls", "丰台.et"])
def test_xls_parses_like_the_text_dump(made, name):
    document = read_document(made["xls"], name)
    assert document.source_format == name.rsplit(".", 1)[1]
    plan = parse_tables(document)
    assert plan_summary(plan) == plan_summary(parse_tables(text_document(FENGTAI)))
    assert len(all_tasks(plan)) == 34


def test_xls_reader_fills_merged_ranges_like_the_xlsx_reader(made):
    (table,) = read_document(made["xls"], "plan.xls").tables
    rows_of_task_3 = [row for row in table.rows if row[0] == "3"]
    assert [row[1] for row in rows_of_task_3] == ["3-1", "3-2", "3-3", "3-4"]
    assert {row[2] for row in rows_of_task_3} == {"加大高排放车 严管严查力度"}
    xlsx_table = read_document(
        build_xlsx(text_document(FENGTAI), MERGED_COLUMNS[FENGTAI]), "plan.xlsx"
    ).tables[0]
    assert table.rows == xlsx_table.rows


def test_an_xlsx_saved_under_the_xls_name_is_read_as_xlsx():
    data = build_xlsx(text_document(FENGTAI), MERGED_COLUMNS[FENGTAI])
    assert len(all_tasks(parse_tables(read_document(data, "plan.xls")))) == 34


def test_an_xls_renamed_to_xlsx_is_read_as_the_xls_it_is(made):
    document = read_document(made["xls"], "plan.xlsx")
    assert document.source_format == "xls" and len(all_tasks(parse_tables(document))) == 34


def test_an_encrypted_xls_asks_for_the_password_to_be_removed(made):
    if "locked.xls" not in made:
        pytest.fail("python3-uno is needed to make an encrypted .xls (apt-get install python3-uno)")
    error = import_error(made["locked.xls"], "计划.xls")
    assert error.code == "encrypted" and "密码" in str(error)


@pytest.mark.parametrize(
    "data",
    [OLE + os.urandom(4000), "序号\t重点任务".encode(), b"%PDF-1.4\n%%EOF"],
    ids=["damaged", "text", "pdf"],
)
def test_bad_xls_files_get_a_chinese_message(made, data):
    for name in ("计划.xls", "计划.et"):
        assert import_error(data, name).code == "corrupt_file"
    assert import_error(made["xls"][: len(made["xls"]) // 2], "计划.xls").code == "corrupt_file"


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that mention ``text`` (a leftover soffice would)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


@pytest.mark.django_db
def test_an_office_uploads_a_wps_file_in_the_browser_and_sees_its_preview(made, client, office_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from departments.services import load_unit_directory
    from tasks.models import Plan

    load_unit_directory()
    client.force_login(office_admin)
    upload = SimpleUploadedFile("门头沟计划.wps", made["doc"])
    response = client.post(reverse("importers:upload"), {"file": upload, "district": ""})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert '<strong id="count-tasks">27</strong>' in page
    assert '<strong id="count-measures">68</strong>' in page
    assert not Plan.objects.exists()
