"""`import_plan FILE --dry-run --json` on a public document of each shape gives its tasks, units and deadlines.

The documents and their truth (written by people reading them) are in sample_data/corpus;
a traditional-character repost gives the same units as its simplified version.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from bench.corpus_score import CORPUS, fold, title_similarity, truth_tasks, unit_forms

pytestmark = pytest.mark.django_db

SHAPES = {
    "prose, bracketed annotations": "s-chaozhou-2019-lantian",
    "prose, annotations with a standing clause": "s-zhejiang-city-2020-daqi",
    "prose, labelled lines": "s-nanchang-2019-daqi",
    "prose, labels inside the annotation": "s-yongning-2020-daqi",
    "prose, 一是… with leads in the sentences": "s-rongchang-2016-bairi",
    "prose, unnumbered paragraphs": "n-shandong-2018-sanqi",
    "prose, 列第一位者为牵头部门": "s-zhejiang-2014-fengong",
    "prose, traditional characters": "s-shenzhen-2020-shenzhenlan-p8",
    "table, tab-separated rows": "bj-fengtai-2018",
    "table, one cell per line": "bj-mentougou-2023",
    "table flattened into running text": "s-chongqing-district-2018-fenjie",
}


def dry_run_json(folder: str) -> dict:
    (document,) = (CORPUS / folder).glob("document.*")
    out = io.StringIO()
    call_command("import_plan", str(document), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def json_tasks(parsed: dict) -> list[dict]:
    return [task for chapter in parsed["chapters"] for task in chapter["tasks"]]


def best_match(title: str, tasks: list[dict]) -> dict:
    return max(tasks, key=lambda task: title_similarity(title, task["title"]))


@pytest.mark.parametrize("folder", list(SHAPES.values()), ids=list(SHAPES))
def test_dry_run_json_lists_each_task_with_its_units_and_deadlines(folder):
    truth = json.loads((CORPUS / folder / "truth.json").read_text(encoding="utf-8"))
    tasks = json_tasks(dry_run_json(folder))
    missing: list[str] = []
    deadlines_stated = deadlines_found = 0

    for expected in truth_tasks(truth):
        task = best_match(expected["title"], tasks)
        assert title_similarity(expected["title"], task["title"]) >= 0.55, expected["title"]
        measures = task["measures"]
        assert all("unit_rule" in m for m in measures)
        leads = {f for m in measures for name in m["units_written"]["lead"] for f in unit_forms(name)}
        others = {
            f
            for m in measures
            for role in ("responsible", "assisting")
            for name in m["units_written"][role]
            for f in unit_forms(name)
        }
        missing += [f"lead {name}" for name in expected["lead"] if not unit_forms(name) & leads]
        missing += [f"other {name}" for name in expected["others"] if not unit_forms(name) & others]
        stated = "".join(
            fold(m["deadline_text"]) + "".join(fold(s["text"]) for s in m["milestones"]) for m in measures
        )
        deadlines_stated += len(expected["deadlines"])
        deadlines_found += sum(fold(d).strip("。") in stated for d in expected["deadlines"])

    assert not missing
    assert deadlines_found >= 0.9 * deadlines_stated


def test_prose_units_say_which_rule_gave_them():
    parsed = dry_run_json("s-zhejiang-city-2020-daqi")

    first, second = json_tasks(parsed)[:2]
    assert first["measures"][0]["unit_rule"].startswith("括注：市生态环境局牵头")
    assert "统一要求：以下各项均需县(市、区)政府落实" in second["measures"][0]["unit_rule"]


def test_a_traditional_repost_gives_the_same_units_as_its_simplified_version():
    traditional = dry_run_json("s-shenzhen-2020-shenzhenlan-p8")
    simplified = dry_run_json("s-shenzhen-2020-shenzhenlan-p8-jianti")

    def units(parsed):
        return [
            {role: [fold(name) for name in names] for role, names in m["units_written"].items()}
            for task in json_tasks(parsed)
            for m in task["measures"]
        ]

    # The simplified repost goes on one paragraph further; the three they share agree.
    shared = min(len(units(traditional)), len(units(simplified)))
    assert shared >= 3
    assert units(traditional)[:shared] == units(simplified)[:shared]


def test_unknown_names_are_sorted_into_units_by_form_and_doubtful_names():
    from departments.directory import UnitDirectory
    from importers.parsed import ParsedChapter, ParsedMeasure, ParsedPlan, ParsedTask
    from importers.plan_json import plan_as_json

    measure = ParsedMeasure(
        code="", text="淘汰燃煤锅炉。", lead=["潮州市生态环境局", "交警三大队"], assisting=["清洁能源"]
    )
    plan = ParsedPlan(chapters=[ParsedChapter(1, "", [ParsedTask(1, "淘汰燃煤锅炉", [measure])])])

    parsed = plan_as_json(plan, UnitDirectory.from_records([]))

    assert parsed["unit_resolution"]["by_form"] == ["交警三大队", "潮州市生态环境局"]
    assert parsed["unit_resolution"]["doubtful"] == ["清洁能源"]
    assert any("不像单位名称" in warning and "清洁能源" in warning for warning in parsed["warnings"])
