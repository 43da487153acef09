"""周通报 in the form of GB/T 9704-2012: page, type, page numbers, 红头 and 落款, read back from the .docx,
and the demo's notice printed by LibreOffice on a few pages with no measure code broken across lines."""

import datetime as dt
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.models import WeeklyNotice
from reports.outputs.gongwen import chinese_date
from reports.outputs.notices import build_weekly_notice, previous_week_start
from tests.jobs.office_pdf import page_count, pdf_text, to_pdf
from tests.jobs.ranking_data import build_ranking_world
from tests.jobs.test_weekly_notice import WEEK_10

pytestmark = pytest.mark.django_db


def east_asian_font(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_standards_margins_and_grid(db):
    build_ranking_world()
    document = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    # 版心 156 × 225 mm
    assert round((section.page_width - section.left_margin - section.right_margin) / Mm(1)) == 156
    assert round((section.page_height - section.top_margin - section.bottom_margin) / Mm(1)) == 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert int(grid.get(qn("w:linePitch"))) * 22 == pytest.approx(Mm(225).pt * 20, abs=22)  # 22 lines


def test_fonts_and_sizes_by_role(db):
    build_ranking_world()
    document = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    styles = document.styles
    assert (east_asian_font(styles["Normal"]), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert (east_asian_font(styles["公文标题"]), styles["公文标题"].font.size) == ("方正小标宋简体", Pt(22))
    assert (
        east_asian_font(styles["公文一级标题"]) == "黑体"
        and east_asian_font(styles["公文二级标题"]) == "楷体_GB2312"
    )
    assert document.paragraphs[0].style.name == "公文标题"
    headings = [p.text for p in document.paragraphs if p.style.name == "公文一级标题"]
    assert headings[:2] == ["一、总体情况", "二、逾期措施（按单位）"]
    assert all(styles[name].font.color.rgb == (0, 0, 0) for name in ("公文标题", "公文一级标题"))
    # 28 characters a line: 3号 condensed so that 28 fit the 156 mm 版心
    spacing = int(styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert 28 * (16 + spacing / 20) <= Mm(156).pt < 29 * (16 + spacing / 20)
    with zipfile.ZipFile(WeeklyNotice.objects.get().file.path) as docx:
        fonts = docx.read("word/fontTable.xml").decode()
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="华文中宋"', fonts)
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"', fonts)


def test_page_numbers_at_the_outside_corners(db):
    build_ranking_world()
    document = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment.name == side
        assert paragraph.text == "—  —"  # around the field
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
        assert {r.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph._p.iter(qn("w:r"))} == {"宋体"}


def test_signature_with_the_date_in_chinese_numerals_and_optional_red_header(db, settings):
    build_ranking_world()
    plain = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    texts = [p.text for p in plain.paragraphs]
    assert texts[-2:] == [settings.BLUESKY_NOTICE_SIGNATURE, chinese_date(timezone.localdate())]
    assert texts[0].startswith("蓝天保卫战")  # no 红头 unless configured
    settings.BLUESKY_NOTICE_ISSUER = "丰台区大气污染综合治理领导小组办公室"
    red = Document(build_weekly_notice(week_start=WEEK_10).file.path)
    mark = red.paragraphs[0]
    assert mark.text == settings.BLUESKY_NOTICE_ISSUER and mark.runs[0].font.color.rgb == (0xE6, 0, 0x12)
    assert red.paragraphs[1]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None  # the red rule
    assert red.paragraphs[2].text.startswith("蓝天保卫战")


@pytest.mark.parametrize(
    "day, text",
    [
        (dt.date(2026, 3, 9), "二〇二六年三月九日"),
        (dt.date(2026, 11, 30), "二〇二六年十一月三十日"),
        (dt.date(2030, 10, 20), "二〇三〇年十月二十日"),
        (dt.date(2025, 12, 31), "二〇二五年十二月三十一日"),
    ],
)
def test_chinese_date(day, text):
    assert chinese_date(day) == text


def test_the_office_edits_the_opening_and_closing(client, office_admin, viewer):
    build_ranking_world()
    notice = build_weekly_notice(week_start=WEEK_10)
    client.force_login(viewer)
    assert client.post(reverse("outputs:notice", args=[notice.pk]), {"opening": "x"}).status_code == 403
    client.force_login(office_admin)
    page = client.get(reverse("outputs:notice", args=[notice.pk])).content.decode()
    assert "现将2026年03月02日至03月08日" in page  # the default, ready to edit
    answer = client.post(
        reverse("outputs:notice", args=[notice.pk]),
        {"opening": "区大气办对上周工作进行了调度。", "closing": "请各单位于周五前反馈。"},
    )
    assert answer.status_code == 302
    notice = WeeklyNotice.objects.get(pk=notice.pk)
    assert (notice.opening, notice.closing) == ("区大气办对上周工作进行了调度。", "请各单位于周五前反馈。")
    texts = [p.text for p in Document(notice.file.path).paragraphs]
    assert texts[2] == "区大气办对上周工作进行了调度。" and texts[-4] == "请各单位于周五前反馈。"
    rebuilt = Document(build_weekly_notice(week_start=WEEK_10).file.path)  # the weekly job keeps them
    assert "请各单位于周五前反馈。" in [p.text for p in rebuilt.paragraphs]


def test_the_demo_notice_prints_on_at_most_six_pages(db, tmp_path, late_in_the_month):
    call_command("load_demo")
    notice = build_weekly_notice(week_start=previous_week_start(timezone.localdate()))
    assert notice.figures["overdue_measures"] > 0  # the demo has overdue measures to list
    pdf = to_pdf(notice.file.path, tmp_path)
    assert 1 <= page_count(pdf) <= 6
    text = pdf_text(pdf)
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # the page numbers
    # A measure code is never cut at the end of a line: "12-" / "1" or "1" / "2-1".
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if re.search(r"\d-$", line)]
    assert not [line for line in lines if re.search(r"[、；]\d{1,2}$", line)]
