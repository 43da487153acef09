"""The unit directory: names as written in plans resolve to canonical units."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from departments.directory import (
    AliasRecord,
    GroupRecord,
    UnitDirectory,
    UnitKey,
    UnitRecord,
    clean_unit_name,
)
from importers.unit_names import split_unit_cell

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "plans"
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return UnitDirectory.from_yaml()


# -- aliases ------------------------------------------------------------------


@pytest.mark.parametrize("written", ["区城市管理委", "区城管委", "城市管理委", "区城市管委"])
@pytest.mark.parametrize("district", ["丰台区", "门头沟区"])
def test_ways_of_writing_the_city_management_commission(directory, written, district):
    resolved = directory.resolve(written, district=district)
    assert resolved.known
    assert resolved.canonical == ("区城市管理委",)
    assert resolved.units == (UnitKey("区城市管理委", district),)
    assert resolved.kind == "district_bureau"


def test_wanping_area_is_written_two_ways(directory):
    assert directory.resolve("宛平地区", district="丰台区").canonical == ("宛平城地区",)
    assert directory.resolve("宛平城地区", district="丰台区").kind == "street_town"


def test_full_width_brackets_and_spaces_are_normalised(directory):
    resolved = directory.resolve("各区政府 （含北京经济技术开发区管委会）")
    assert resolved.known and resolved.note == "含北京经济技术开发区管委会"
    assert directory.resolve("大气污染综合治理 领导小组各成员单位", district="丰台区").known


def test_beijing_prefix_is_stripped_for_municipal_departments(directory):
    assert directory.resolve("北京市生态环境局").canonical == ("市生态环境局",)
    assert directory.resolve("北京市交通委员会").canonical == ("市交通委",)
    # …but not where 北京 is part of the name
    assert directory.resolve("北京经济技术开发区管委会").canonical == ("北京经济技术开发区管委会",)


def test_district_prefixed_names_resolve_within_the_district(directory):
    assert directory.resolve("丰台运管处", district="丰台区").canonical == ("区运管处",)
    assert directory.resolve("朝阳交通支队", district="朝阳区").canonical == ("区交通支队",)
    assert directory.resolve("西城公安分局", district="西城区").canonical == ("区公安分局",)
    assert directory.resolve("丰台园管委", district="丰台区").canonical == ("中关村丰台园管委会",)


def test_a_district_government_named_in_a_municipal_plan(directory):
    resolved = directory.resolve("房山区政府")
    assert resolved.known and resolved.units == (UnitKey("房山区政府", "房山区"),)
    assert resolved.kind == "district_government"


def test_district_level_names_belong_to_the_given_district(directory):
    fengtai = directory.resolve("区生态环境局", district="丰台区")
    mentougou = directory.resolve("区生态环境局", district="门头沟区")
    assert fengtai.canonical == mentougou.canonical == ("区生态环境局",)
    assert fengtai.units != mentougou.units
    assert directory.resolve("区交通委", district="朝阳区").district == "朝阳区"
    assert directory.resolve("区政府", district="门头沟区").canonical == ("门头沟区政府",)


def test_a_plans_own_district_wins_over_a_municipal_name(directory):
    assert directory.resolve("市场监管局", district="门头沟区").units == (
        UnitKey("区市场监管局", "门头沟区"),
    )


# -- renames ------------------------------------------------------------------


def test_environment_bureau_was_renamed_in_2019(directory):
    resolved = directory.resolve("区环保局", district="丰台区", on_date=dt.date(2018, 10, 1))
    assert resolved.canonical == ("区生态环境局",)
    assert resolved.renamed_from == "区环保局"
    assert resolved.renamed_on == dt.date(2019, 2, 1)
    assert not resolved.outdated  # the 2018 plan used the name of its time
    later = directory.resolve("区环保局", district="朝阳区", on_date=dt.date(2021, 3, 1))
    assert later.canonical == ("区生态环境局",) and later.outdated


def test_renames_match_without_a_date(directory):
    assert directory.resolve("区规土分局", district="丰台区").canonical == ("区规划自然资源分局",)
    assert directory.resolve("区规划国土分局", district="丰台区").renamed_from == "区规划国土分局"
    assert directory.resolve("市环保局").canonical == ("市生态环境局",)
    assert directory.resolve("西城工商分局", district="西城区").canonical == ("区市场监管局",)


def test_a_current_name_has_no_rename(directory):
    resolved = directory.resolve("区生态环境局", district="丰台区")
    assert resolved.renamed_from == "" and resolved.renamed_on is None


# -- groups ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "district", "count", "some_members"),
    [
        ("各街乡镇", "丰台区", 21, {"右安门街道", "宛平城地区", "卢沟桥乡", "王佐镇"}),
        ("各镇街", "门头沟区", 13, {"大峪街道", "潭柘寺镇", "清水镇"}),
        ("各街道办事处", "西城区", 15, {"西长安街街道", "广安门外街道"}),
        ("各街乡", "朝阳区", 43, {"建外街道", "首都机场街道", "南磨房地区", "王四营地区"}),
        ("各乡镇", "门头沟区", 13, {"王平镇"}),
    ],
)
def test_street_groups_expand_to_the_districts_streets_and_towns(
    directory, written, district, count, some_members
):
    resolved = directory.resolve(written, district=district)
    assert resolved.known and resolved.is_group and resolved.kind == "group"
    assert len(resolved.canonical) == count
    assert some_members <= set(resolved.canonical)
    assert all(unit.district == district for unit in resolved.units)


def test_all_district_governments(directory):
    resolved = directory.resolve("各区政府")
    assert resolved.is_group and len(resolved.canonical) == 16
    assert {"丰台区政府", "延庆区政府"} <= set(resolved.canonical)
    assert directory.resolve("相关区政府").canonical == resolved.canonical


def test_a_group_including_the_development_zone_carries_it(directory):
    resolved = directory.resolve("各区政府 (含北京经济技术开发区管委会)")
    assert len(resolved.canonical) == 17
    assert resolved.canonical[-1] == "北京经济技术开发区管委会"
    assert resolved.note == "含北京经济技术开发区管委会"


def test_member_groups_without_known_members_stay_one_name(directory):
    resolved = directory.resolve("空气重污染应急小组各成员单位", district="丰台区")
    assert resolved.known and resolved.is_group
    assert resolved.canonical == ("区空气重污染应急指挥部成员单位",)


def test_a_street_group_in_a_municipal_plan_has_no_members(directory):
    resolved = directory.resolve("各街乡镇")
    assert resolved.known and resolved.is_group and resolved.canonical == ("各街乡镇",)


# -- notes, tails and unknown names ---------------------------------------------


def test_concurrent_names_in_brackets_are_kept_as_the_note(directory):
    resolved = directory.resolve("区城市管理委（区交通委、区水务局）", district="西城区")
    assert resolved.canonical == ("区城市管理委",)
    assert resolved.note == "区交通委、区水务局"
    joint_office = directory.resolve("市新能源汽车联席会议办公室 (市科委、中关村管委会)")
    assert joint_office.canonical == ("市新能源汽车联席会议办公室",)
    assert joint_office.note == "市科委、中关村管委会"


def test_generic_tails_are_dropped(directory):
    assert directory.resolve("市住房城乡建设委 等行业主管部门").canonical == ("市住房城乡建设委",)


def test_an_unknown_name_is_flagged_and_kept_cleaned(directory):
    resolved = directory.resolve(" 区火星 探测局 ", district="丰台区")
    assert not resolved.known
    assert resolved.canonical == ("区火星探测局",)
    assert resolved.kind == ""


def test_clean_unit_name():
    assert clean_unit_name("<p>区科信局\n（区新能源汽车联席会议办公室）</p>") == (
        "区科信局",
        "区新能源汽车联席会议办公室",
    )
    assert clean_unit_name("——") == ("", "")


# -- building from records --------------------------------------------------------


def test_from_records_builds_the_same_directory(directory):
    rebuilt = UnitDirectory.from_records(*directory.records())
    for written, district in [("区环保局", "丰台区"), ("各镇街", "门头沟区"), ("北京市生态环境局", "")]:
        assert rebuilt.resolve(written, district=district) == directory.resolve(written, district=district)


def test_from_records_with_plain_rows():
    directory = UnitDirectory.from_records(
        units=[
            UnitRecord("区生态环境局", "district_bureau", "丰台区"),
            UnitRecord("花乡", "street_town", "丰台区"),
        ],
        aliases=[
            AliasRecord("区环保局", "区生态环境局", "丰台区", former=True, renamed_on=dt.date(2019, 2, 1))
        ],
        groups=[GroupRecord("各街乡镇", "丰台区", members=(UnitKey("花乡", "丰台区"),))],
    )
    assert directory.resolve("区环保局", district="丰台区").canonical == ("区生态环境局",)
    assert directory.resolve("各街乡镇", district="丰台区").canonical == ("花乡",)


def test_from_records_rejects_a_name_meaning_two_units():
    with pytest.raises(ValueError):
        UnitDirectory.from_records(
            units=[
                UnitRecord("区城管委", "district_bureau", "丰台区"),
                UnitRecord("区城市管理委", "district_bureau", "丰台区"),
            ],
            aliases=[AliasRecord("区城管委", "区城市管理委", "丰台区")],
        )


def test_from_records_rejects_an_alias_of_nothing():
    with pytest.raises(ValueError):
        UnitDirectory.from_records(units=[], aliases=[AliasRecord("区城管委", "区城市管理委", "丰台区")])


def test_lenient_records_skip_what_is_wrong_and_say_so():
    directory = UnitDirectory.from_records(
        units=[
            UnitRecord("区城市管理委", "district_bureau", "丰台区"),
            UnitRecord("区城管委", "district_bureau", "丰台区"),
        ],
        aliases=[
            AliasRecord("区城管委", "区城市管理委", "丰台区"),
            AliasRecord("区环保局", "区生态环境局", "丰台区"),
        ],
        strict=False,
    )
    assert len(directory.problems) == 2
    assert directory.resolve("区城市管理委", district="丰台区").known
    assert not directory.resolve("区环保局", district="丰台区").known


def test_bundled_file_kinds_and_districts(directory):
    units, _aliases, groups = directory.records()
    assert {unit.kind for unit in units} <= {
        "municipal_department",
        "district_government",
        "district_bureau",
        "street_town",
        "enterprise",
        "other",
    }
    governments = [unit for unit in units if unit.kind == "district_government" and unit.district]
    assert len(governments) == 16
    for district, streets in [("丰台区", 21), ("门头沟区", 13), ("西城区", 15), ("朝阳区", 43)]:
        assert len(directory.district_units(district, "street_town")) == streets
    assert all(group.name for group in groups)


# -- every unit the sample tables name is known ---------------------------------


def _tab_rows(name: str):
    for line in (SAMPLE_DIR / name).read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 5 and cells[0] != "序号":
            yield cells


def _mentougou_unit_cells():
    text = BOOKMARK.sub("", (SAMPLE_DIR / "mentougou-2023-action-plan-draft.txt").read_text(encoding="utf-8"))
    for block in re.split(r"\n *\n", text):
        cells: list[str] = []
        for line in block.split("\n"):
            if line.startswith("\t"):
                cells.append(line[1:])
            elif cells:
                cells[-1] += "\n" + line
        if len(cells) in (5, 6) and cells[-2] != "牵头单位":
            yield from cells[-2:]
        elif len(cells) == 2:  # the row split after its 完成时限
            yield from cells


def _names(cells) -> set[str]:
    return {name for cell in cells for name in split_unit_cell(cell)}


SAMPLE_UNIT_NAMES = {
    "丰台区": lambda: _names(
        cell for row in _tab_rows("fengtai-2018-2020-task-breakdown.txt") for cell in row[4:6]
    ),
    "": lambda: _names(cell for row in _tab_rows("beijing-2021-action-plan.txt") for cell in row[4:7]),
    "门头沟区": lambda: _names(_mentougou_unit_cells()),
}


@pytest.mark.parametrize("district", list(SAMPLE_UNIT_NAMES))
def test_every_unit_in_the_sample_tables_is_known(directory, district):
    names = SAMPLE_UNIT_NAMES[district]()
    assert len(names) > 30
    unknown = sorted(name for name in names if not directory.resolve(name, district=district).known)
    assert unknown == []


def test_sample_names_that_need_the_directory(directory):
    # a few names only an alias, a rename or a wrapped-cell fix makes known
    assert directory.resolve("区科信局（区新能源汽车联席会议办公室）", district="门头沟区").canonical == (
        "区科信局",
    )
    assert directory.resolve("中关村门头沟区管委会", district="门头沟区").canonical == (
        "中关村门头沟园管委会",
    )
    assert directory.resolve("区精神文明办", district="门头沟区").canonical == ("区文明办",)
    assert directory.resolve("区食药监管局", district="丰台区").canonical == ("区市场监管局",)
    assert directory.resolve("区住房城市建设委", district="西城区").canonical == ("区住房城乡建设委",)
    assert directory.resolve("规划国土委西城分局", district="西城区").canonical == ("区规划自然资源分局",)
    assert directory.resolve("区城管执法监察局", district="西城区").canonical == ("区城管执法局",)
    assert directory.resolve("区属相关部门", district="西城区").is_group


@pytest.mark.django_db
def test_from_database_reads_active_units_aliases_and_members():
    from departments.models import Unit, UnitAlias

    bureau = Unit.objects.create(name="区生态环境局", kind="district_bureau", district="丰台区")
    town = Unit.objects.create(name="花乡", kind="street_town", district="丰台区")
    Unit.objects.create(name="王佐镇", kind="street_town", district="丰台区", is_active=False)
    group = Unit.objects.create(name="各街乡镇", kind="group", district="丰台区")
    group.members.add(town, Unit.objects.get(name="王佐镇"))
    UnitAlias.objects.create(unit=bureau, name="区环保局", kind="former", renamed_on=dt.date(2019, 2, 1))
    UnitAlias.objects.create(unit=group, name="各街乡", kind="alias")

    from departments.selectors import unit_directory

    directory = unit_directory()

    renamed = directory.resolve("区环保局", district="丰台区")
    assert renamed.canonical == ("区生态环境局",) and renamed.renamed_from == "区环保局"
    assert directory.resolve("各街乡", district="丰台区").canonical == ("花乡",)  # inactive 王佐镇 left out
    assert directory.problems == []
