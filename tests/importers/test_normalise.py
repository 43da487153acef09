"""fold(): one spelling for matching, same length as the text it folds."""

import random

import opencc
import pytest

from importers.normalise import fold

PLAN_FRAGMENT = (
    "（三）强化柴油货车污染治理。市生态环境局牵头，市公安局交管局、市交通委配合，"
    "各区人民政府负责落实。2025年底前完成，淘汰国三及以下排放标准营运柴油货车。"
)


def test_traditional_text_folds_to_its_simplified_original():
    traditional = opencc.OpenCC("s2t").convert(PLAN_FRAGMENT)
    assert traditional != PLAN_FRAGMENT
    assert fold(traditional) == PLAN_FRAGMENT


def test_labels_in_traditional_with_ascii_punctuation_fold_to_the_chinese_forms():
    assert (
        fold("牽頭單位:市生態環境局;配合單位:［市公安局］")
        == "牵头单位：市生态环境局；配合单位：（市公安局）"
    )


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("１２．ＡＢｃ", "12.ABc"),
        ("(一)〔二〕【三】[四]﹙五﹚〖六〗", "（一）（二）（三）（四）（五）（六）"),
        ("X牵头,Y配合", "X牵头，Y配合"),
        ("1,000吨 8:30", "1,000吨 8:30"),
        ("「重點」『任務』", "“重点”‘任务’"),
        ("市\u00a0生态\u3000环境\u2002局", "市 生态 环境 局"),
        ("市生态\u200b环境\ufeff局", "市生态 环境 局"),
        ("⼯作⽅案", "工作方案"),  # Kangxi radicals from PDF text extraction
        ("Ｘ牽頭﹐Ｙ﹑Ｚ配合﹔", "X牵头，Y、Z配合；"),
    ],
)
def test_variant_spellings_fold_to_one_form(written, folded):
    assert fold(written) == folded


def test_simplified_chinese_text_is_left_alone():
    assert fold(PLAN_FRAGMENT) == PLAN_FRAGMENT
    assert fold("显著提高；著力推进") == "显著提高；著力推进"


def test_any_text_keeps_its_length_and_folding_twice_changes_nothing():
    generator = random.Random(10)
    alphabet = [chr(code) for code in range(0x20, 0x3000, 7)] + list(
        "（）：；，、。「」\u200b\u00a0臺灣後於乾"
    )
    alphabet += [chr(code) for code in range(0x4E00, 0xA000, 97)] + [
        chr(code) for code in range(0xF900, 0xFB00, 5)
    ]
    for _ in range(200):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randrange(0, 60)))
        folded = fold(text)
        assert len(folded) == len(text)
        assert fold(folded) == folded


def test_a_match_in_the_folded_text_is_the_same_span_in_the_original():
    original = "二、重點任務\n（一）治理揚塵。【市住建委牽頭，各區政府落實】"
    folded = fold(original)
    start = folded.index("市住建委牵头")
    assert original[start : start + len("市住建委牵头")] == "市住建委牽頭"


def test_the_shipped_character_table_is_what_opencc_says():
    from importers.normalise import TABLE_FILE, opencc_character_table

    shipped = dict(pair for pair in TABLE_FILE.read_text(encoding="utf-8").split())
    assert shipped == opencc_character_table()
