"""load_units reads a unit directory table, says every problem by row and column in Chinese, and loads all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from departments.directory import UnitDirectory
from departments.models import Unit, UnitAlias
from departments.services import load_unit_directory, load_units
from departments.unit_files import UnitFileError, unit_table, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing")]

HEADER = "名称,类型,所属行政区划,别名,曾用名,所属分组/成员\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_every_bad_row_is_reported_with_its_row_and_column_and_nothing_is_loaded():
    data = csv_bytes(
        "区生态环境局,区级委办局,丰台区,,,",
        ",区级委办局,丰台区,,,",
        "区城管委,委办局,丰台区,,,",
        "区交通委,区级委办局,火星区,,,",
        "区生态环境局,区级委办局,110106,,,",
        "区水务局,区级委办局,丰台区,,区水利局(2019-13-01),各街道",
    )
    with pytest.raises(UnitFileError) as caught:
        load_units(data=data, filename="units.csv")
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {
        (3, "名称"),
        (4, "类型"),
        (5, "所属行政区划"),
        (6, "名称"),
        (7, "曾用名"),
        (7, "所属分组/成员"),
    }
    messages = " ".join(str(e) for e in caught.value.errors)
    assert "第 6 行“名称”列：与第 2 行重复" in messages and "火星区" in messages
    assert not Unit.objects.exists()


def test_a_missing_column_is_named():
    with pytest.raises(UnitFileError, match="所属行政区划"):
        load_units(data="名称,类型\n区水务局,区级委办局\n".encode(), filename="u.csv")


def test_a_check_run_counts_without_writing_and_a_second_load_adds_nothing():
    data = csv_bytes(
        "市生态环境局,市级部门,北京市,北京市生态环境局,市环保局(2018-11-08),",
        "区生态环境局,区级委办局,北京市丰台区,丰台区生态环境局,,",
        "卢沟桥街道,街道乡镇,丰台区,,,各街乡镇",
        "各街乡镇,单位统称,丰台区,各街道乡镇,,",
    )
    assert load_units(data=data, filename="u.csv", dry_run=True)["units"] == 4
    assert not Unit.objects.exists()
    first = load_units(data=data, filename="u.csv")
    assert (first["units"], first["aliases"], first["members"]) == (4, 4, 1)
    assert load_units(data=data, filename="u.csv") == {
        **first,
        "units": 0,
        "aliases": 0,
        "members": 0,
        "linked": 0,
    }
    former = UnitAlias.objects.get(name="市环保局")
    assert (former.kind, str(former.renamed_on), former.unit.jurisdiction.code) == (
        "former",
        "2018-11-08",
        "110000",
    )
    assert Unit.objects.get(name="各街乡镇").members.get().name == "卢沟桥街道"


def test_the_shipped_beijing_file_loads_the_same_directory_as_the_bundled_yaml(settings):
    beijing = (settings.BASE_DIR / "sample_data" / "units" / "beijing.xlsx").read_bytes()
    load_units(data=beijing, filename="beijing.xlsx")
    from_file = _snapshot()
    Unit.objects.all().delete()
    load_unit_directory()
    assert _snapshot() == from_file
    assert not Unit.objects.filter(jurisdiction__isnull=True).exists()


def test_the_shipped_beijing_file_is_the_bundled_directory_written_out():
    rows = unit_table(*UnitDirectory.from_yaml().records(), municipal_label="北京市")
    import io

    from django.conf import settings
    from openpyxl import load_workbook

    shipped = load_workbook(settings.BASE_DIR / "sample_data" / "units" / "beijing.xlsx").active
    assert [[c or "" for c in row] for row in shipped.iter_rows(values_only=True)] == rows
    assert load_workbook(io.BytesIO(xlsx_bytes(rows))).active.max_row == len(rows)


def test_the_command_prints_the_errors_and_fails(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(csv_bytes("区水务局,区级委办局,不存在区,,,"))
    with pytest.raises(CommandError, match="1 处错误，未载入任何内容"):
        call_command("load_units", str(path))


def _snapshot():
    units = set(Unit.objects.values_list("name", "district", "kind", "jurisdiction__code"))
    aliases = set(UnitAlias.objects.values_list("name", "unit__name", "unit__district", "kind", "renamed_on"))
    members = set(
        Unit.members.through.objects.values_list("from_unit__name", "to_unit__name", "to_unit__district")
    )
    return units, aliases, members
