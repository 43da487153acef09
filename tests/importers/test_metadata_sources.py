"""Metadata from every format, and where each field came from: the preview says so and the office corrects it."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument

from departments.services import load_unit_directory
from importers.documents import Document
from importers.services import import_file, parse_to_json, preview_upload
from tests.conftest import sample_bytes

from .plan_formats import fengtai_bare_xlsx, fengtai_docx
from .sample_plans import FENGTAI
from .test_docx_xlsx import MERGED_COLUMNS, build_xlsx, text_document

pytestmark = pytest.mark.django_db
TITLE = "丰台区打赢蓝天保卫战三年行动计划任务分解"


@pytest.fixture(autouse=True)
def directory():
    load_unit_directory()


def _with_sheet(data: bytes, *, title_row: bool = False, sheet_name: str = "") -> bytes:
    """The bare Fengtai worksheet with a title row merged across the table, and/or a named sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    if title_row:
        tables = [b for b in text_document(FENGTAI).blocks if not isinstance(b, str) or "任务分解" not in b]
        workbook = openpyxl.load_workbook(
            io.BytesIO(build_xlsx(Document(blocks=[TITLE, *tables]), MERGED_COLUMNS[FENGTAI]))
        )
        sheet = workbook.active
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    if sheet_name:
        sheet.title = sheet_name
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbooks_merged_title_row_gives_title_years_and_district():
    parsed = parse_to_json(_with_sheet(fengtai_bare_xlsx(), title_row=True), "ledger.xlsx")
    assert (parsed["title"], parsed["district"], parsed["year_start"], parsed["year_end"]) == (
        TITLE,
        "丰台区",
        2018,
        2020,
    )
    assert parsed["metadata_sources"]["title"] == "工作表标题行"
    assert parsed["metadata_sources"]["district"] == "计划标题"


def test_a_sheet_name_gives_the_title_when_no_row_does():
    parsed = parse_to_json(
        _with_sheet(fengtai_bare_xlsx(), sheet_name="丰台区三年行动计划任务分解"), "ledger.xlsx"
    )
    assert parsed["title"] == "丰台区三年行动计划任务分解"
    assert parsed["metadata_sources"]["title"] == "工作表名称"
    assert parsed["district"] == "丰台区"


def test_a_word_heading_is_named_as_the_titles_source():
    word = WordDocument(io.BytesIO(fengtai_docx()))
    word.paragraphs[0].style = word.styles["Title"]
    buffer = io.BytesIO()
    word.save(buffer)
    parsed = parse_to_json(buffer.getvalue(), "plan.docx")
    assert parsed["title"] == TITLE and parsed["metadata_sources"]["title"] == "Word 标题段落"


def test_the_file_name_and_the_units_named_fill_what_the_sheet_lacks():
    parsed = parse_to_json(fengtai_bare_xlsx(), "2018-2020年任务分解台账.xlsx")
    assert parsed["title"] == "2018-2020年任务分解台账"
    assert (parsed["year_start"], parsed["year_end"]) == (2018, 2020)
    sources = parsed["metadata_sources"]
    assert sources["title"] == sources["years"] == "文件名"
    assert parsed["district"] == "丰台区" and sources["district"] == "文件中的单位名称"


def test_the_preview_shows_the_plan_it_recognised_and_no_change(client, office_admin):
    plan = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan
    preview = preview_upload(data=fengtai_docx(), filename="丰台.docx")
    client.force_login(office_admin)
    page = client.get(reverse("importers:preview", args=[preview.pk])).content.decode()
    assert f"这是已于 {timezone.localtime(plan.created_at):%Y-%m-%d} 导入的《{plan.title}》" in page
    assert 'id="identity-unchanged"' in page and "内容无变化" in page
    assert "读自" in page and "文件首页" in page


def test_the_office_corrects_the_district_and_the_units_are_read_again(client, office_admin):
    preview = preview_upload(data=fengtai_bare_xlsx(), filename="ledger.xlsx")
    assert preview.parsed["district"] == "丰台区"
    client.force_login(office_admin)
    url = reverse("importers:edit_metadata", args=[preview.pk])
    response = client.post(
        url,
        {
            "meta-title": "朝阳区任务分解",
            "meta-district": "朝阳区",
            "meta-year_start": "2018",
            "meta-year_end": "2020",
        },
    )
    assert response.status_code == 302
    preview.refresh_from_db()
    parsed = preview.parsed
    assert (parsed["title"], parsed["district"], parsed["year_start"]) == ("朝阳区任务分解", "朝阳区", 2018)
    assert parsed["metadata_sources"]["title"] == parsed["metadata_sources"]["district"] == "大气办填写"
    # 卢沟桥乡 is a 丰台区 town: in a 朝阳区 plan it is a name the directory does not know.
    assert "卢沟桥乡" in parsed["unit_resolution"]["unknown"]


def test_years_in_the_wrong_order_are_refused_with_a_message(client, office_admin):
    preview = preview_upload(data=fengtai_bare_xlsx(), filename="ledger.xlsx")
    client.force_login(office_admin)
    response = client.post(
        reverse("importers:edit_metadata", args=[preview.pk]),
        {"meta-year_start": "2020", "meta-year_end": "2018"},
        follow=True,
    )
    assert "截止年份不能早于起始年份" in response.content.decode()
    preview.refresh_from_db()
    assert preview.parsed["year_start"] is None


def test_staff_cannot_edit_an_imports_plan_fields(client):
    from tests.factories import make_user

    preview = preview_upload(data=fengtai_bare_xlsx(), filename="ledger.xlsx")
    client.force_login(make_user("staff", "unit_staff"))
    response = client.post(reverse("importers:edit_metadata", args=[preview.pk]), {"meta-title": "别的计划"})
    assert response.status_code == 403
    preview.refresh_from_db()
    assert preview.parsed["title"] != "别的计划"
