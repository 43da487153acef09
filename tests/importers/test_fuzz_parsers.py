"""Property: whatever bytes arrive, the importer returns a plan or raises its own error — never anything else.

Random bytes under every accepted extension (and behind an OLE header under the
legacy Office ones), and real sample documents (text, .docx, .xlsx, and the
.doc/.xls LibreOffice makes of them) mutated by deleting, duplicating and
overwriting slices.
"""

import io

import pytest
from docx import Document as WordDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.errors import PlanImportError
from importers.parsed import ParsedPlan
from importers.pipeline import parse_document
from tests.conftest import ROOT, SAMPLE_FILES

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSIONS = ["txt", "docx", "xlsx", "pdf", "doc", "wps", "xls", "et", "csv", ""]
LEGACY_EXTENSIONS = ["doc", "wps", "xls", "et"]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAMPLE_TEXTS = {name: path.read_bytes() for name, path in SAMPLE_FILES.items()}


def _small_docx() -> bytes:
    document = WordDocument()
    document.add_paragraph("丰台区大气污染防治2024年行动计划")
    table = document.add_table(rows=3, cols=5)
    for i, text in enumerate(["序号", "重点任务", "具体措施", "完成时限", "牵头单位"]):
        table.cell(0, i).text = text
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、调整交通结构"
    for i, text in enumerate(
        ["1", "推广新能源车", "新增公交车全部为电动车。", "年底前", "区交通委 区城市管理委"]
    ):
        table.cell(2, i).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SMALL_DOCX = _small_docx()


def _parse_or_own_error(data: bytes, filename: str) -> None:
    try:
        plan = parse_document(data, filename)
    except PlanImportError as exc:
        assert str(exc) and any("\u4e00" <= c <= "\u9fff" for c in str(exc)), "message must be Chinese"
        return
    assert isinstance(plan, ParsedPlan)
    # Either tasks, or a table the office is asked to map (its columns could not be identified).
    assert any(chapter.tasks for chapter in plan.chapters) or (
        plan.needs_column_mapping and plan.unmapped_tables
    )


@st.composite
def mutated(draw, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = min(len(data), start + draw(st.integers(1, 400)))
        action = draw(st.sampled_from(["delete", "duplicate", "overwrite", "truncate"]))
        if action == "delete":
            del data[start:end]
        elif action == "duplicate":
            data[start:start] = data[start:end]
        elif action == "overwrite":
            data[start:end] = draw(st.binary(min_size=end - start, max_size=end - start))
        else:
            del data[start:]
    return bytes(data)


@FUZZ
@given(data=st.binary(max_size=3000), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes_under_any_extension(data, extension):
    _parse_or_own_error(data, f"upload.{extension}" if extension else "upload")


@FUZZ
@given(data=st.binary(max_size=3000), extension=st.sampled_from(LEGACY_EXTENSIONS))
def test_random_bytes_behind_an_ole_header(data, extension):
    _parse_or_own_error(OLE + data, f"upload.{extension}")


@FUZZ
@given(st.data())
def test_mutated_xls_files(legacy_office_files, data):
    _parse_or_own_error(data.draw(mutated(legacy_office_files["xls"])), "plan.xls")


@st.composite
def overwritten(draw, original: bytes) -> bytes:
    """Slices overwritten in place past the OLE header: the container stays readable, its content is damaged."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(512, len(data) - 1))
        end = min(len(data), start + draw(st.integers(1, 400)))
        data[start:end] = draw(st.binary(min_size=end - start, max_size=end - start))
    return bytes(data)


# A damaged .doc that still looks like Word goes through LibreOffice (seconds each): fewer examples.
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_doc_files(legacy_office_files, data):
    _parse_or_own_error(data.draw(mutated(legacy_office_files["doc"])), "plan.doc")
    _parse_or_own_error(data.draw(overwritten(legacy_office_files["doc"])), "plan.wps")


@FUZZ
@given(
    data=st.text(
        alphabet=st.sampled_from(list("一二三、（）：；，。 \t\n牵头单位部门年底前6月区局委123-")),
        max_size=800,
    )
)
def test_random_plan_like_text(data):
    _parse_or_own_error(data.encode("utf-8"), "plan.txt")


@pytest.mark.parametrize("name", sorted(SAMPLE_TEXTS))
@FUZZ
@given(st.data())
def test_mutated_sample_documents(name, data):
    _parse_or_own_error(data.draw(mutated(SAMPLE_TEXTS[name])), f"{name}.txt")


# Pieces of every numbering style and unit notation the prose parser reads (issue 10 §2, §3),
# in simplified and traditional characters, with ASCII and Chinese punctuation.
NOTATION_PIECES = [
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "3．",
    "（1）",
    "(2)",
    "①",
    "一是",
    "二是",
    "措施一：",
    "第一章 ",
    "第二节",
    "牵头单位：",
    "责任单位:",
    "配合单位：",
    "主责单位：",
    "牵头单位及责任人：",
    "完成时限：",
    "指导督办单位:",
    "（",
    "）",
    "(",
    ")",
    "〔",
    "〕",
    "【",
    "】",
    "市生态环境局",
    "各县（市、区）政府",
    "县(市、区)政府",
    "牵头",
    "负责",
    "配合",
    "参与",
    "协办",
    "负责落实",
    "按职责分工负责",
    "以下各项均需",
    "不再列出",
    "列第一位者为牵头部门，下同",
    "有关部门",
    "等",
    "、",
    "，",
    ",",
    "。",
    "；",
    ";",
    "\n",
    "\n\n",
    "大力推进燃煤锅炉整治",
    "2019年底前",
    "牽頭單位：",
    "市生態環境局",
    "張三",
    "通知指出：",
    "各區(qū)政府",
    "和",
    "由市住建局牵头",
]
PROSE_CORPUS = sorted((ROOT / "sample_data" / "corpus").glob("[nst]-*/document.txt"))[:12]


@FUZZ
@given(st.lists(st.sampled_from(NOTATION_PIECES), max_size=150))
def test_random_text_in_every_prose_notation(pieces):
    _parse_or_own_error("".join(pieces).encode("utf-8"), "plan.txt")


@pytest.mark.parametrize("path", PROSE_CORPUS, ids=[p.parent.name for p in PROSE_CORPUS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_corpus_documents(path, data):
    _parse_or_own_error(data.draw(mutated(path.read_bytes())), "plan.txt")


@FUZZ
@given(st.data())
def test_mutated_word_files(data):
    _parse_or_own_error(data.draw(mutated(SMALL_DOCX)), "plan.docx")
    _parse_or_own_error(data.draw(mutated(SMALL_DOCX)), "plan.xlsx")


@FUZZ
@given(
    data=st.text(
        alphabet=st.sampled_from(list("|｜-:\t\n 序号任务措施牵头单位时限1二、年底前区局委，配合")),
        max_size=600,
    )
)
def test_random_pipe_and_tab_tables(data):
    _parse_or_own_error(data.encode("utf-8"), "plan.txt")


@FUZZ
@given(
    mapping=st.dictionaries(
        st.integers(0, 7),
        st.sampled_from(
            ["number", "task", "measure", "lead", "units", "assisting", "deadline", "", "colour"]
        ),
        max_size=6,
    ),
    rows=st.lists(
        st.lists(
            st.sampled_from(
                ["1", "2", "", "一、章", "淘汰燃煤锅炉，完成改造。", "区环保局牵头，区城管委配合", "年底前"]
            ),
            max_size=6,
        ),
        max_size=8,
    ),
)
def test_any_column_mapping_gives_a_plan_or_a_chinese_error(mapping, rows):
    from importers.documents import Document, Table
    from importers.parsers.table import parse_with_mapping

    try:
        plan = parse_with_mapping(Document(blocks=[Table(rows=rows)]), mapping)
    except PlanImportError as exc:
        assert any("\u4e00" <= c <= "\u9fff" for c in str(exc))
        return
    assert any(chapter.tasks for chapter in plan.chapters)


def test_the_small_word_file_itself_parses():
    plan = parse_document(SMALL_DOCX, "plan.docx")
    measure = plan.chapters[0].tasks[0].measures[0]
    assert measure.lead == ["区交通委", "区城市管理委"] and measure.deadline_text == "年底前"


@pytest.mark.parametrize("text", ["一一", "一一、二二", "（一一）\n牵头部门：区局", "十十、标题\n（一）条目"])
def test_repeated_numeral_characters_are_not_headings(text):
    """Found by the fuzzer: 一一 looked like a chapter number and crashed the prose parser."""
    _parse_or_own_error(text.encode("utf-8"), "plan.txt")


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("三十五", 35),
        ("九十九", 99),
        ("一百零二", 102),
        ("12", 12),
        ("一一", None),
        ("十十", None),
        ("二二十", None),
        ("", None),
        ("百", None),
    ],
)
def test_chinese_numerals(numeral, value):
    from tasks.numerals import chinese_numeral, parse_chinese_numeral

    assert parse_chinese_numeral(numeral) == value
    if value is not None and not numeral.isdigit():
        assert chinese_numeral(value) == numeral


@pytest.mark.parametrize(
    "value, numeral",
    [
        (999, "九百九十九"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (1050, "一千零五十"),
        (1100, "一千一百"),
        (1234, "一千二百三十四"),
        (9999, "九千九百九十九"),
        (10000, "10000"),
        (123456, "123456"),
    ],
)
def test_a_chapter_numbered_past_a_thousand_is_still_named(value, numeral):
    """A chapter's number is what was typed (or a test factory's thousandth): its name must not fail."""
    from tasks.numerals import chinese_numeral

    assert chinese_numeral(value) == numeral
