"""京政办发〔2021〕3号 大气污染防治2021年行动计划: a notice, then a tab-separated table."""

import pytest

from .sample_plans import BEIJING, all_tasks, parse_sample_table, task_by_number

GOVERNMENTS = "各区政府(含北京经济技术开发区管委会)"


@pytest.fixture(scope="module")
def plan():
    return parse_sample_table(BEIJING)


def test_counts_chapters_tasks_and_measures(plan):
    assert plan.shape == "table"
    assert len(plan.chapters) == 6
    assert plan.chapters[0].title == "空气质量目标"
    tasks = all_tasks(plan)
    assert [task.number for task in tasks] == list(range(1, 36))
    assert sum(len(task.measures) for task in tasks) == 64


def test_same_text_in_different_tasks_is_kept(plan):
    text = "各区完成国家和本市减排目标要求。"
    assert [m.text for m in task_by_number(plan, 11).measures] == [text]
    assert [m.text for m in task_by_number(plan, 24).measures] == [text]


def test_units_with_notes_and_generic_tails(plan):
    first = task_by_number(plan, 1).measures[0]
    assert first.lead == ["市生态环境局", GOVERNMENTS]
    assert first.responsible == [
        "市交通委",
        "市城市管理委",
        "市经济和信息化局",
        "市住房城乡建设委",
    ]  # 等部门 dropped
    assert first.assisting == []
    assert task_by_number(plan, 25).measures[0].assisting == ["市住房城乡建设委"]  # 等行业主管部门 dropped
    assert task_by_number(plan, 32).measures[0].responsible == [
        "市有关部门",
        "相关区政府(含北京经济技术开发区管委会)",
    ]
    assert task_by_number(plan, 12).measures[0].lead == ["市新能源汽车联席会议办公室(市科委、中关村管委会)"]


def test_deadlines_as_written(plan):
    assert task_by_number(plan, 23).measures[0].deadline_text == "供暖季前(11月15日前)"
    assert task_by_number(plan, 7).measures[1].deadline_text == "6—9月"
    assert task_by_number(plan, 7).measures[0].deadline_text == "长期实施"


def test_task_continued_on_later_pages(plan):
    task = task_by_number(plan, 12)
    assert task.title == "积极推广新能源汽车"
    assert len(task.measures) == 9
    # 完成时限 is merged over the rows that leave it empty
    assert [m.deadline_text for m in task.measures] == ["年底前"] * 9
    assert task.measures[4].lead == ["市城市管理委"]
    assert task.measures[2].text.startswith("市交通委牵头研究制定“控车减油”工作方案")
    assert "\n" in task.measures[2].text and "<p>" not in task.measures[2].text  # two paragraphs of one cell


def test_task_28_title_differs_after_the_page_break(plan):
    task = task_by_number(plan, 28)
    assert task.title == "强化施工扬尘精细化管控"
    assert len(task.measures) == 4
    assert task.measures[3].lead == [GOVERNMENTS]
    assert any("任务28" in w and "强化施工扬尘精细化管理" in w for w in plan.warnings)


def test_empty_cells_under_a_merged_cell(plan):
    third = task_by_number(plan, 5).measures[2]
    assert third.deadline_text == "长期实施"
    assert third.lead == ["市生态环境局"] and third.responsible == [GOVERNMENTS]
    assert third.assisting == ["市经济和信息化局"]
    # a unit is not both lead and 主责 of one measure: here the empty 主责 cell is really empty
    bare = task_by_number(plan, 26).measures[2]
    assert bare.lead == [GOVERNMENTS] and bare.responsible == []
    # the first row of a task has nothing above it
    assert task_by_number(plan, 10).measures[0].responsible == []
    assert task_by_number(plan, 10).measures[0].lead == ["市科委、中关村管委会", "市生态环境局"]


def test_notice_paragraphs_are_not_chapters(plan):
    assert all("是要" not in chapter.title for chapter in plan.chapters)
