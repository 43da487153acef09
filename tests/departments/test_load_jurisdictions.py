"""load_jurisdictions loads the shipped GB/T 2260 divisions into a tree, once, for the country or one province."""

import pytest
from django.core.management import CommandError, call_command

from departments.jurisdictions import JurisdictionIndex, guess_jurisdiction, read_divisions
from departments.models import Jurisdiction, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing")]


def test_one_province_loads_as_a_tree_under_its_province():
    call_command("load_jurisdictions", province="13")
    hebei = Jurisdiction.objects.get(code="130000")
    shijiazhuang = Jurisdiction.objects.get(code="130100")
    changan = Jurisdiction.objects.get(code="130102")
    assert (hebei.name, hebei.level, hebei.parent) == ("河北省", "province", None)
    assert (shijiazhuang.name, shijiazhuang.level, shijiazhuang.parent) == ("石家庄市", "city", hebei)
    assert (changan.name, changan.level, changan.path) == ("长安区", "district", "/130000/130100/130102/")
    assert set(Jurisdiction.objects.within(shijiazhuang).values_list("code", flat=True)) >= {
        "130100",
        "130102",
    }
    assert not Jurisdiction.objects.within(shijiazhuang).filter(code__startswith="1302").exists()
    assert not Jurisdiction.objects.filter(code__startswith="12").exists()


def test_running_twice_changes_nothing_and_keeps_the_migrated_beijing_rows():
    beijing_ids = dict(Jurisdiction.objects.values_list("code", "pk"))
    call_command("load_jurisdictions")
    count = Jurisdiction.objects.count()
    assert count == len(read_divisions())
    assert {
        c: p for c, p in Jurisdiction.objects.values_list("code", "pk") if c in beijing_ids
    } == beijing_ids
    call_command("load_jurisdictions")
    assert Jurisdiction.objects.count() == count
    # A municipality's districts hang under the province node; a county of a province sits under its city.
    assert Jurisdiction.objects.get(code="110106").parent.code == "110000"
    assert Jurisdiction.objects.get(code="429004").parent.code == "420000"  # 仙桃市, 省直辖县级


def test_an_unknown_province_prefix_is_refused_in_chinese():
    with pytest.raises(CommandError, match="没有代码以 99 开头"):
        call_command("load_jurisdictions", province="99")


def test_a_name_shared_by_two_divisions_asks_for_a_code_or_its_parent():
    call_command("load_jurisdictions", province="22")  # 长春市朝阳区 220104, besides 北京市朝阳区 110105
    index = JurisdictionIndex()
    found, reason = index.find("朝阳区")
    assert found is None and "110105" in reason and "220104" in reason
    assert index.find("北京市朝阳区")[0].code == "110105"
    assert index.find("220104")[0].name == "朝阳区"


def test_a_plan_text_names_its_jurisdiction_and_the_loaded_units_settle_namesakes():
    call_command("load_jurisdictions", province="13")
    assert guess_jurisdiction(issuing_body="石家庄市人民政府办公室").code == "130100"
    assert guess_jurisdiction(issuing_body="北京市丰台区人民政府").code == "110106"
    assert guess_jurisdiction(district="丰台").code == "110106"
    call_command("load_jurisdictions", province="22")
    assert guess_jurisdiction(district="朝阳区") is None
    Unit.objects.create(
        name="区生态环境局", district="朝阳区", jurisdiction=Jurisdiction.objects.get(code="110105")
    )
    assert guess_jurisdiction(district="朝阳区").code == "110105"
