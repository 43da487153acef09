"""Unknown unit names: the directory's closest units are suggested, and mapping to one is the default."""

import pytest

from departments.models import Unit
from departments.services import load_unit_directory
from importers.services import preview_upload, unit_decision_defaults
from importers.unit_matching import suggest_units
from tests.conftest import sample_bytes

from .plan_formats import fengtai_bare_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def directory():
    load_unit_directory()


def test_a_name_with_its_district_prefix_finds_the_districts_unit():
    best = suggest_units("丰台区交通支队", district="丰台区")[0]
    assert (best.unit.name, best.unit.district) == ("区交通支队", "丰台区") and best.score == 1.0


def test_a_misspelt_name_is_closest_to_the_unit_of_the_plans_district():
    suggestions = suggest_units("区城市管里委", district="丰台区")  # a typo
    assert (suggestions[0].unit.name, suggestions[0].unit.district) == ("区城市管理委", "丰台区")
    assert suggestions[0].close


def test_an_alias_counts_as_the_unit():
    (unit,) = Unit.objects.filter(district="丰台区", name="区商务局")
    assert suggest_units("区商务委", district="丰台区")[0].unit == unit  # 区商务委: its former name


def test_a_name_like_nothing_in_the_directory_gets_no_close_match():
    suggestions = suggest_units("某某科技有限公司", district="丰台区")
    assert not any(s.close for s in suggestions)


def test_the_fengtai_worksheet_maps_its_units_to_fengtai_units_not_new_ones():
    # The issue: a worksheet with no title gave no district, and its 44 names defaulted to 新建单位.
    preview = preview_upload(data=fengtai_bare_xlsx(), filename="任务分解表.xlsx")
    assert preview.parsed["district"] == "丰台区"
    assert preview.parsed["metadata_sources"]["district"] == "文件中的单位名称"
    assert preview.parsed["unit_resolution"]["unknown"] == []


def _fengtai_with_leads_of_1_1(leads: str) -> bytes:
    """The Fengtai ledger with the lead units of measure 1-1 written as ``leads``."""
    lines = sample_bytes("fengtai").decode("utf-8").splitlines()
    (index,) = [i for i, line in enumerate(lines) if line.startswith("1\t1-1")]
    cells = lines[index].split("\t")
    cells[4] = leads
    lines[index] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def test_unknown_names_default_to_the_closest_unit_and_create_only_without_one():
    preview = preview_upload(
        data=_fengtai_with_leads_of_1_1("区城市管里委 某某科技有限公司"), filename="f.txt"
    )
    defaults = {d["name"]: d for d in unit_decision_defaults(preview.parsed)}
    assert set(defaults) == {"区城市管里委", "某某科技有限公司"}
    target = Unit.objects.get(district="丰台区", name="区城市管理委")
    assert (defaults["区城市管里委"]["action"], defaults["区城市管里委"]["unit_id"]) == ("map", target.pk)
    assert defaults["某某科技有限公司"]["action"] == "create"


def test_the_preview_form_defaults_to_the_suggested_unit(client, office_admin):
    preview = preview_upload(data=_fengtai_with_leads_of_1_1("区城市管里委"), filename="fengtai.txt")
    assert "区城市管里委" in preview.parsed["unit_resolution"]["unknown"]
    target = Unit.objects.get(district="丰台区", name="区城市管理委")
    client.force_login(office_admin)
    from django.urls import reverse

    response = client.get(reverse("importers:preview", args=[preview.pk]))
    (form,) = [f for f in response.context["formset"] if f.initial["name"] == "区城市管里委"]
    assert form.initial["action"] == "map" and form.initial["unit"] == target.pk
