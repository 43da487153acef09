"""The page and type of a Chinese official document (GB/T 9704-2012 《党政机关公文格式》) in python-docx.

The office hands the weekly notice to its leaders as it comes out of the printer, so the .docx
follows the standard rather than Word's defaults: A4, 版心 156 × 225 mm (top 37, bottom 35,
left 28, right 26 mm), 22 lines of 28 characters, body in 3号 仿宋_GB2312, title in 2号 小标宋体,
first-level headings in 黑体 and second-level in 楷体, page numbers "— 1 —" in 4号 宋体 at the
outside corners (right on odd pages, left on even ones), an optional 红头 and the 落款 with the
date in Chinese numerals. Fonts a reader's machine lacks fall back through the file's font table
(``w:altName``), e.g. 方正小标宋简体 → 华文中宋 → 宋体.

Nothing here knows what a notice says: notices.py writes the words.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT = "宋体"
# Each font with the ones a machine without it should use instead (the file's font table).
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}
SIZE_2 = Pt(22)  # 2号
SIZE_3 = Pt(16)  # 3号
SIZE_4 = Pt(14)  # 4号
SIZE_SMALL_4 = Pt(12)  # 小4号, the tables'
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH = Mm(156)
LINES, CHARACTERS = 22, 28
LINE_PITCH = Pt(225 / 25.4 * 72 / LINES)  # 225 mm / 22 lines ≈ 28.95 pt
# 156 mm / 28 characters = 15.79 pt a character: 3号 (16 pt) condensed by a quarter point, in twentieths.
CONDENSED = -5
RED = RGBColor(0xE6, 0x00, 0x12)
DIGITS = "〇一二三四五六七八九"


def chinese_date(day: dt.date) -> str:
    """成文日期 as the standard writes it: 2026年3月9日 → 二〇二六年三月九日."""

    def number(value: int) -> str:
        tens, ones = divmod(value, 10)
        return ("" if tens < 2 else DIGITS[tens]) + ("十" if tens else "") + (DIGITS[ones] if ones else "")

    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{number(day.month)}月{number(day.day)}日"


def set_fonts(target, name: str) -> None:
    """Every script of a run or style in ``name``: East Asian text and the digits in it alike."""
    fonts = target.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), name)


def _paragraph_style(document, name: str, *, font: str, size, align=None, bold=False, indent=True):
    styles = document.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = None if name == "Normal" else styles["Normal"]
    style.font.size, style.font.bold, style.font.color.rgb = size, bold, RGBColor(0, 0, 0)
    style.font.name = font
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    fmt.first_line_indent = 2 * size if indent else Pt(0)  # 段首空二字
    if size == SIZE_3:
        spacing = style.element.get_or_add_rPr().find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            style.element.get_or_add_rPr().append(spacing)
        spacing.set(qn("w:val"), str(CONDENSED))
    if align is not None:
        fmt.alignment = align
    return style


def _font_table(document) -> None:
    """Declare the standard's fonts with their fallbacks in word/fontTable.xml."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name != TITLE_FONT else "script"}"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def _page(section) -> None:
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance, section.footer_distance = Mm(15), Mm(28)  # 一字线 7 mm under the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid only: a character grid narrower than 3号 makes LibreOffice give each character two
    # cells. The 28 characters come from the body's condensed spacing (``_paragraph_style``).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _page_number(footer, align) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = SIZE_4  # 空一字
    paragraph.add_run("— ")
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, end):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = SIZE_4
        set_fonts(run._r, PAGE_NUMBER_FONT)


def official_document():
    """An empty .docx with the standard's page, grid, styles, fonts and page numbers."""
    document = Document()
    _font_table(document)
    _paragraph_style(document, "Normal", font=BODY_FONT, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(
        document, "公文标题", font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    _paragraph_style(document, "公文一级标题", font=HEADING_FONTS[1], size=SIZE_3)
    _paragraph_style(document, "公文二级标题", font=HEADING_FONTS[2], size=SIZE_3)
    _paragraph_style(document, "公文表格", font=BODY_FONT, size=SIZE_SMALL_4, indent=False)
    cells = document.styles["公文表格"]
    cells.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cells.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    no_snap = OxmlElement("w:snapToGrid")  # a table's small type keeps its own lines, not the page's grid
    no_snap.set(qn("w:val"), "0")
    cells.element.get_or_add_pPr().append(no_snap)
    for level in (1, 2):
        document.styles[f"公文{'一二'[level - 1]}级标题"].paragraph_format.keep_with_next = True
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page(section)
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document


def red_header(document, issuer: str) -> None:
    """版头: the 发文机关标志 in red 小标宋, then the red 分隔线 across the 版心."""
    mark = document.add_paragraph(style="公文标题")
    run = mark.add_run(issuer)
    run.font.color.rgb, run.font.size = RED, Pt(36) if len(issuer) <= 12 else SIZE_2
    rule = document.add_paragraph(style="公文表格")
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "E60012")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    rule._p.get_or_add_pPr().append(border)


def signature(document, issuer: str, day: dt.date) -> None:
    """落款: the issuer over the date in Chinese numerals, right-aligned, 右空四字, never alone on a page."""
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    document.add_paragraph().paragraph_format.keep_with_next = True
    for text in (issuer, chinese_date(day)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = 4 * SIZE_3
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.keep_with_next = text == issuer


ZERO_WIDTH_SPACE = "\u200b"


def text_with_nonbreaking_hyphens(paragraph, text: str) -> None:
    """Write ``text`` into ``paragraph`` so that a code like 12-1 never wraps as "12-" / "1" or "1" / "2-1".

    Every "-" is a non-breaking hyphen, and a list "12-1、13-10" gets a zero-width space after each
    "、" or "；": without that break opportunity LibreOffice breaks a full line between two digits.
    """
    for mark in "、；":
        text = text.replace(mark, mark + ZERO_WIDTH_SPACE)
    for index, piece in enumerate(text.split("-")):
        if index:
            paragraph.add_run()._r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            paragraph.add_run(piece)


def table(document, headers: list[str], rows: list[list], widths_mm: list[float]):
    """A table as wide as the 版心 with fixed column widths, its header repeated, no row cut across pages.

    A cell value that is a ``Reference`` keeps its code on one line (see
    ``text_with_nonbreaking_hyphens``); anything else is written as text.
    """
    widths = [Mm(width * TEXT_WIDTH.mm / sum(widths_mm)) for width in widths_mm]
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(round(TEXT_WIDTH.pt * 20)))
    table_width.set(qn("w:type"), "dxa")
    for old in grid._tbl.tblPr.findall(qn("w:tblW")):
        grid._tbl.tblPr.remove(old)
    grid._tbl.tblPr.append(table_width)
    for column, width in zip(grid.columns, widths):
        column.width = width
    for values in [headers, *rows]:
        row = grid.rows[0] if values is headers else grid.add_row()
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if values is headers:
            properties.append(OxmlElement("w:tblHeader"))
        for cell, value, width in zip(row.cells, values, widths):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["公文表格"]
            if values is headers:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                set_fonts(paragraph.add_run(str(value))._r, HEADING_FONTS[1])
            else:
                text_with_nonbreaking_hyphens(paragraph, str(value))
    return grid
