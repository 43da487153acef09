"""The dashboards' filter selects say what an empty choice means (全部…), as 我的任务 does, not "---------"."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def first_option(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.search(r'<option value=""[^>]*>(.*?)</option>', select).group(1)


def test_the_plan_dashboard_filters_offer_all_as_their_empty_choice(client, known_world):
    client.force_login(make_user("office", "office_admin"))
    page = client.get(reverse("dashboards:plans")).content.decode()
    expected = {
        "plan": "全部计划",
        "district": "全部区",
        "unit": "全部单位",
        "role": "全部角色",
        "status": "全部状态",
        "light": "全部",
    }
    assert {name: first_option(page, name) for name in expected} == expected
    assert "---------" not in page


def test_the_unit_dashboard_filters_offer_all_as_their_empty_choice(client, known_world):
    client.force_login(make_user("office", "office_admin"))
    page = client.get(reverse("dashboards:units")).content.decode()
    assert (first_option(page, "district"), first_option(page, "kind")) == ("全部区", "全部类别")
    assert "---------" not in page


def test_the_api_still_filters_on_those_fields(client, known_world):
    w = known_world
    client.force_login(make_user("office", "office_admin"))
    everything = client.get("/api/measures/", {"status": "", "role": ""}).json()
    assert everything["count"] == 5
    done = client.get("/api/measures/", {"status": "done"}).json()
    assert [m["id"] for m in done["results"]] == [w["done"].pk]
    assert client.get("/api/measures/", {"status": "全部状态"}).status_code == 400
    units = client.get("/api/units/", {"kind": ""}).json()
    assert units["count"] == 2


def test_the_district_choices_are_each_district_of_plans_and_units_once_in_order():
    from tasks.filters import district_choices
    from tests.factories import PlanFactory, UnitFactory

    for district, title in (("朝阳区", "乙"), ("丰台区", "甲"), ("朝阳区", "甲"), ("", "无区")):
        PlanFactory(district=district, title=title)
    for district, name in (("海淀区", "乙局"), ("丰台区", "甲局"), ("海淀区", "甲局"), ("", "市局")):
        UnitFactory(district=district, name=name)
    assert district_choices() == [(d, d) for d in sorted({"朝阳区", "丰台区", "海淀区"})]
