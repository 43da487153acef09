"""Splitting unit cells into names as written."""

import pytest

from importers.unit_names import split_unit_cell


@pytest.mark.parametrize(
    "cell, names",
    [
        ("区城市管理委 区经济信息化委 区商务委", ["区城市管理委", "区经济信息化委", "区商务委"]),
        ("区生态环境局\n各镇街", ["区生态环境局", "各镇街"]),
        ("区环保局、区城管委，区交通委", ["区环保局", "区城管委", "区交通委"]),
        ("区环保局,区城管委;区交通委", ["区环保局", "区城管委", "区交通委"]),
        ("", []),
        ("——", []),
        ("—", []),
        ("   ", []),
    ],
)
def test_separators(cell, names):
    assert split_unit_cell(cell) == names


@pytest.mark.parametrize(
    "cell, names",
    [
        ("大气污染综合治理 领导小组各成员单位", ["大气污染综合治理领导小组各成员单位"]),
        ("空气重污染应急小 组各成员单位", ["空气重污染应急小组各成员单位"]),
        ("大气污染综合治理 领导小组各成员单 位", ["大气污染综合治理领导小组各成员单位"]),
        ("大气污染综合治理 领导小组办公室各 成员单位", ["大气污染综合治理领导小组办公室各成员单位"]),
        ("各镇街\n中关村门头沟园\n管委会", ["各镇街", "中关村门头沟园管委会"]),
        ("区城市管\n理委 区环保局", ["区城市管理委", "区环保局"]),
    ],
)
def test_wrapped_names_are_rejoined(cell, names):
    assert split_unit_cell(cell) == names


def test_a_name_not_ending_like_a_unit_does_not_swallow_the_next_unit():
    assert split_unit_cell("市有关部门 相关区政府") == ["市有关部门", "相关区政府"]


@pytest.mark.parametrize(
    "cell, names",
    [
        ("各区政府 (含北京经济技术开发区管委会)", ["各区政府(含北京经济技术开发区管委会)"]),
        (
            "市生态环境局 各区政府 (含北京经济技术开发区管委会)",
            ["市生态环境局", "各区政府(含北京经济技术开发区管委会)"],
        ),
        ("区科信局\n（区新能源汽车联席会议办公室）", ["区科信局（区新能源汽车联席会议办公室）"]),
        ("区城市管理委（区交通委、区水务局）、区环保局", ["区城市管理委（区交通委、区水务局）", "区环保局"]),
        (
            "市新能源汽车联席会议办公室 (市科委、中关村管委会)",
            ["市新能源汽车联席会议办公室(市科委、中关村管委会)"],
        ),
    ],
)
def test_notes_in_brackets_stay_with_their_unit(cell, names):
    assert split_unit_cell(cell) == names


def test_list_punctuation_inside_a_space_separated_cell_is_part_of_a_name():
    # beijing-2021 writes the two-name office 市科委、中关村管委会 inside a space-separated list
    assert split_unit_cell("市科委、中关村管委会 市生态环境局") == ["市科委、中关村管委会", "市生态环境局"]


@pytest.mark.parametrize(
    "cell, names",
    [
        ("市交通委 市城市管理委 市住房城乡建设委 等部门", ["市交通委", "市城市管理委", "市住房城乡建设委"]),
        ("市住房城乡建设委 等行业主管部门", ["市住房城乡建设委"]),
        ("区环保局等部门", ["区环保局"]),
        ("区城管委、区环保局等单位", ["区城管委", "区环保局"]),
        ("区城市管理委、区环保局等各相关行业主管部门", ["区城市管理委", "区环保局"]),
        ("区环保局 —— 区城管委", ["区环保局", "区城管委"]),
    ],
)
def test_generic_tails_and_dashes_are_dropped(cell, names):
    assert split_unit_cell(cell) == names


def test_full_width_spaces_and_duplicates():
    assert split_unit_cell("区环保局\u3000区城管委 区环保局") == ["区环保局", "区城管委"]


# --- unit names by form (issue 10 §3) -------------------------------------------------------

from importers.unit_names import is_vague_unit, looks_like_unit, looks_like_unit_strictly, split_person  # noqa: E402


@pytest.mark.parametrize(
    "name",
    [
        "市生态环境局",
        "省发展改革委",
        "潮州市人民政府",
        "各县（市、区）政府",
        "经开区管委会",
        "交警三大队",
        "城投集团",
        "东城街道",
        "永定镇",
        "市建管中心",
        "深圳海事局",
        "国网山东省电力公司",
        "建筑工务署",
    ],
)
def test_names_of_units_anywhere_are_recognised_by_their_form(name):
    assert looks_like_unit(name) and looks_like_unit_strictly(name)


@pytest.mark.parametrize(
    "name", ["有关部门", "相关单位", "各有关单位", "各相关部门", "其他有关部门", "有关方面"]
)
def test_vague_words_are_not_units(name):
    assert is_vague_unit(name)
    assert not looks_like_unit(name)


@pytest.mark.parametrize("text", ["PM2.5", "场所", "含开发区", "2018", "清洁能源", "市区", "县区"])
def test_words_that_are_not_unit_names(text):
    assert not looks_like_unit_strictly(text)


@pytest.mark.parametrize(
    "written, unit, person",
    [
        ("市环保局张三", "市环保局", "张三"),
        ("市住建局局长李四", "市住建局", "局长李四"),
        ("市住房和城乡建设局王五", "市住房和城乡建设局", "王五"),
        ("市城乡委", "市城乡委", ""),
        ("区生态环境局", "区生态环境局", ""),
    ],
)
def test_a_person_written_after_a_unit_is_kept_apart(written, unit, person):
    assert split_person(written) == (unit, person)
