"""门头沟区大气污染防治2023年行动计划（征求意见稿）: a Word table dumped one cell per line."""

import pytest

from .sample_plans import MENTOUGOU, all_tasks, parse_sample_table, task_by_number


@pytest.fixture(scope="module")
def plan():
    return parse_sample_table(MENTOUGOU)


def test_counts_chapters_tasks_and_measures(plan):
    assert plan.shape == "cell_lines"
    assert [c.number for c in plan.chapters] == [1, 2, 3, 4, 5, 6]
    tasks = all_tasks(plan)
    assert [task.number for task in tasks] == list(range(1, 28))
    assert sum(len(task.measures) for task in tasks) == 68
    assert all(m.code == "" for task in tasks for m in task.measures)


def test_first_chapter_holds_tasks(plan):
    first = plan.chapters[0]
    assert first.title == "主要目标"
    assert [(t.number, t.title) for t in first.tasks] == [(1, "空气质量目标"), (2, "总量减排目标")]
    assert plan.goals == []


def test_wrapped_cells_and_bookmarks(plan):
    assert task_by_number(plan, 4).title == "积极推广新能源汽车"  # had a [bookmark: …] and a line break
    assert task_by_number(plan, 10).title == "柴油车（机械）清洁化"
    measure = task_by_number(plan, 3).measures[0]
    assert measure.deadline_text == "长期实施"  # written 长期\n实施
    assert measure.lead == ["区生态环境局"]
    assert measure.responsible == ["各镇街", "中关村门头沟园管委会"]  # 中关村门头沟园\n管委会


def test_units_one_per_line_with_notes_and_dashes(plan):
    first = task_by_number(plan, 4).measures[0]
    assert first.deadline_text == "按时间节点完成"
    assert first.lead == ["区科信局（区新能源汽车联席会议办公室）"]
    assert first.responsible == ["各镇街"]
    assert task_by_number(plan, 1).measures[0].responsible == []  # ——


def test_deadlines_as_written(plan):
    assert task_by_number(plan, 8).measures[1].deadline_text == "6-9月"
    assert task_by_number(plan, 20).measures[0].deadline_text == "6月底"
    assert task_by_number(plan, 23).measures[0].deadline_text == "采暖季前"
    assert task_by_number(plan, 1).measures[0].deadline_text == "年底前"


def test_row_split_by_a_blank_line_is_one_row(plan):
    last = task_by_number(plan, 10).measures[-1]
    assert last.text.startswith("落实推广纯电动或氢燃料混凝土搅拌车")
    assert last.deadline_text == "年底前"
    assert last.lead == ["区住建委", "区城管委", "区交通局"]
    task = task_by_number(plan, 25)
    assert task.title == "加强区域联防联控"
    assert len(task.measures) == 4


def test_empty_merged_unit_cells_repeat_the_row_above(plan):
    task = task_by_number(plan, 14)
    assert [m.lead for m in task.measures[:3]] == [["区生态环境局", "各镇街"]] * 3
    assert [m.responsible for m in task.measures[:3]] == [[], [], []]
    assert any("沿用上一行" in w for w in task.measures[1].warnings)
    assert task.measures[3].lead == ["区生态环境局"] and task.measures[3].responsible == ["各镇街"]


def test_tasks_repeated_after_a_page_break_are_the_same_task(plan):
    task15 = task_by_number(plan, 15)
    assert len(task15.measures) == 6
    assert task15.measures[3].text.startswith("行业主管部门组织工地（场站）严格落实扬尘管控措施")
    task16 = task_by_number(plan, 16)
    assert [m.text[:8] for m in task16.measures] == [
        "提升道路清扫保洁",
        "道路尘负荷较高的",
        "组织加强普通公路",
    ]
    duplicates = [w for w in plan.warnings if "重复出现" in w]
    assert len(duplicates) == 2 and all("任务16" in w for w in duplicates)
