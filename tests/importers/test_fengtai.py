"""丰台区打赢蓝天保卫战三年行动计划任务分解: a Word table dumped as tab-separated rows."""

import pytest

from .sample_plans import FENGTAI, all_tasks, parse_sample_table, task_by_number


@pytest.fixture(scope="module")
def plan():
    return parse_sample_table(FENGTAI)


def test_counts_chapters_tasks_and_measures(plan):
    assert plan.shape == "table"
    assert len(plan.chapters) == 9
    tasks = all_tasks(plan)
    assert [task.number for task in tasks] == list(range(1, 35))
    measures = [m for task in tasks for m in task.measures]
    assert len(measures) == 70
    assert measures[0].code == "1-1" and measures[-1].code == "34-3"
    assert all(m.code.split("-")[0] == str(task.number) for task in tasks for m in task.measures)


def test_first_chapter_is_the_goal_and_holds_no_task(plan):
    first = plan.chapters[0]
    assert (first.number, first.title, first.tasks) == (1, "总体目标", [])
    assert len(plan.goals) == 1
    assert plan.goals[0].startswith("大幅减少主要大气污染物排放总量")
    assert "<p>" not in plan.goals[0] and "</p>" not in plan.goals[0]


def test_chapters_between_tables_are_found(plan):
    # 六、 and 七、 stand between two page tables as paragraphs, not as table rows
    assert [c.number for c in plan.chapters] == list(range(1, 10))
    assert plan.chapters[5].title == "加强面源污染治理，推进生活和农业污染排放减量化"
    assert [t.number for t in plan.chapters[5].tasks] == [20, 21, 22, 23, 24]
    assert [t.number for t in plan.chapters[6].tasks] == [25, 26]


def test_units_split_on_spaces(plan):
    first = task_by_number(plan, 1).measures[0]
    assert first.lead == ["区城市管理委", "区经济信息化委", "区住房城乡建设委", "区商务委", "区交通支队"]
    assert first.assisting == ["各街乡镇"]
    assert first.responsible == []
    assert first.deadline_text == ""  # no deadline column: dates live in the text


def test_wrapped_unit_names_are_rejoined(plan):
    assert task_by_number(plan, 25).measures[0].assisting == ["大气污染综合治理领导小组办公室各成员单位"]
    assert task_by_number(plan, 26).measures[0].assisting == ["空气重污染应急小组各成员单位"]
    assert task_by_number(plan, 27).measures[0].lead == ["大气污染综合治理领导小组各成员单位"]
    assert task_by_number(plan, 34).measures[0].assisting == ["大气污染综合治理领导小组各成员单位"]


def test_continuation_rows_stay_in_their_task(plan):
    task = task_by_number(plan, 3)
    assert task.title == "加大高排放车严管严查力度"
    assert [m.code for m in task.measures] == ["3-1", "3-2", "3-3", "3-4"]
    assert task.measures[3].lead == ["区环保局", "区质监局"]
    # fengtai never writes —— for "no unit": an empty 协办 cell means none, not "as above"
    assert task.measures[1].assisting == ["各街乡镇"]
    assert task.measures[2].assisting == []


def test_units_are_kept_as_written(plan):
    assert task_by_number(plan, 10).measures[1].assisting[-1] == "宛平城地区"
    assert task_by_number(plan, 24).measures[0].assisting[-1] == "宛平地区"
    assert task_by_number(plan, 11).measures[1].lead == ["区规土分局"]
    assert task_by_number(plan, 14).measures[2].assisting == ["城市管理委", "区水务局"]


def test_no_warnings_on_a_clean_table(plan):
    assert plan.warnings == []
