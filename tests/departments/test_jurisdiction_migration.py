"""Existing district labels become Beijing jurisdictions when the jurisdiction migrations run, and nothing is lost.

The database is taken back to before jurisdictions existed, demo-like units and plans are written there
(municipal units, units of 丰台区 and 门头沟区, a unit with a label that names no district, a municipal
plan and a district plan written "丰台"), and migrating forward points each at 北京市 110000 or its
district while every label stays; migrating back drops the references and keeps every row and label.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("departments", "0003_api_tokens"), ("tasks", "0010_measure_finished_on")]
AFTER = [("departments", "0005_beijing_jurisdictions"), ("tasks", "0012_plan_jurisdiction_from_district")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def unit_rows(apps):
    return sorted(apps.get_model("departments", "Unit").objects.values_list("name", "district", "kind"))


@pytest.mark.django_db(transaction=True)
def test_district_labels_become_beijing_jurisdictions_forward_and_back():
    old = migrate(BEFORE)
    Unit, Plan = old.get_model("departments", "Unit"), old.get_model("tasks", "Plan")
    Unit.objects.create(name="市生态环境局", district="", kind="municipal_department")
    Unit.objects.create(name="区生态环境局", district="丰台区", kind="district_bureau")
    Unit.objects.create(name="区生态环境局", district="门头沟区", kind="district_bureau")
    Unit.objects.create(name="经开区管委会", district="经开区", kind="other")
    Plan.objects.create(
        title="北京市行动计划", level="municipal", district="", year_start=2021, year_end=2021
    )
    Plan.objects.create(
        title="丰台区任务分解", level="district", district="丰台", year_start=2021, year_end=2021
    )
    Plan.objects.create(title="无区计划", level="district", district="", year_start=2021, year_end=2021)
    units_before = unit_rows(old)

    new = migrate(AFTER)
    Jurisdiction = new.get_model("departments", "Jurisdiction")
    assert Jurisdiction.objects.get(code="110000").name == "北京市"
    assert Jurisdiction.objects.filter(parent__code="110000", level="district").count() == 16
    assert Jurisdiction.objects.get(code="110106").path == "/110000/110106/"
    linked = {
        (u.name, u.district): u.jurisdiction and u.jurisdiction.code
        for u in new.get_model("departments", "Unit").objects.select_related("jurisdiction")
    }
    assert linked == {
        ("市生态环境局", ""): "110000",
        ("区生态环境局", "丰台区"): "110106",
        ("区生态环境局", "门头沟区"): "110109",
        ("经开区管委会", "经开区"): None,  # no such district: label kept, nothing guessed
    }
    plans = {
        p.title: (p.district, p.jurisdiction and p.jurisdiction.code)
        for p in new.get_model("tasks", "Plan").objects.select_related("jurisdiction")
    }
    assert plans == {
        "北京市行动计划": ("", "110000"),
        "丰台区任务分解": ("丰台", "110106"),
        "无区计划": ("", None),
    }
    assert unit_rows(new) == units_before

    back = migrate(BEFORE)
    assert unit_rows(back) == units_before
    assert sorted(back.get_model("tasks", "Plan").objects.values_list("title", "district")) == [
        ("丰台区任务分解", "丰台"),
        ("北京市行动计划", ""),
        ("无区计划", ""),
    ]
    migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # every app's latest, as other tests expect
