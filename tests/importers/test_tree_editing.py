"""Each edit of a previewed plan tree (importers/tree_editing.py): pure functions, no database."""

import pytest

from importers import tree_editing as te


def two_tasks() -> dict:
    tree = te.empty_tree(title="测试计划", district="丰台区", year_start=2026, year_end=2027)
    tree = te.add_chapter(tree, title="调整产业结构")
    tree = te.add_task(tree, c=0, title="治理扬尘")
    tree = te.add_task(tree, c=0, title="治理机动车")
    for text in ("加强工地扬尘监管", "道路清扫保洁", "渣土车密闭运输"):
        tree = te.add_measure(tree, c=0, t=0, text=text, deadline_text="2026年底前")
    return te.add_measure(tree, c=0, t=1, text="淘汰老旧车辆", deadline_text="")


def texts(tree, c=0, t=0):
    return [m["text"] for m in tree["chapters"][c]["tasks"][t]["measures"]]


def test_an_edit_returns_a_new_tree_and_leaves_the_old_one_as_it_was():
    tree = two_tasks()
    edited = te.set_measure_text(tree, c=0, t=0, m=0, text="加强建筑工地扬尘监管")
    assert texts(edited)[0] == "加强建筑工地扬尘监管"
    assert texts(tree)[0] == "加强工地扬尘监管"


def test_titles_are_edited_and_an_empty_one_is_refused_in_chinese():
    tree = te.set_chapter_title(two_tasks(), c=0, title="优化产业结构")
    tree = te.set_task_title(tree, c=0, t=1, title="治理移动源")
    assert tree["chapters"][0]["title"] == "优化产业结构"
    assert tree["chapters"][0]["tasks"][1]["title"] == "治理移动源"
    with pytest.raises(te.TreeEditError, match="不能为空"):
        te.set_task_title(tree, c=0, t=0, title="  ")


def test_a_new_deadline_is_dated_and_a_date_in_the_new_text_becomes_a_milestone():
    tree = te.set_deadline(two_tasks(), c=0, t=1, m=0, deadline_text="2027年6月底前")
    measure = tree["chapters"][0]["tasks"][1]["measures"][0]
    assert measure["due_date"] == "2027-06-30" and measure["deadline"]["kind"] == "dated"
    tree = te.set_measure_text(tree, c=0, t=0, m=0, text="2026年9月底前完成工地视频监控全覆盖")
    assert [ms["date"] for ms in tree["chapters"][0]["tasks"][0]["measures"][0]["milestones"]] == [
        "2026-09-30"
    ]


def test_a_measure_moves_to_the_end_of_the_task_with_the_number_shown_and_is_numbered_there():
    tree = te.move_measure(two_tasks(), c=0, t=0, m=1, to_task=2)
    assert texts(tree) == ["加强工地扬尘监管", "渣土车密闭运输"]
    assert texts(tree, t=1) == ["淘汰老旧车辆", "道路清扫保洁"]
    assert [m["code"] for m in tree["chapters"][0]["tasks"][1]["measures"]] == ["2-1", "2-2"]
    with pytest.raises(te.TreeEditError, match="没有第 9 项重点任务"):
        te.move_measure(tree, c=0, t=0, m=0, to_task=9)


def test_a_measure_split_at_a_blank_line_becomes_two_with_the_same_units_and_deadline():
    tree = te.add_unit(two_tasks(), c=0, t=0, m=0, role="lead", name="区住房城乡建设委", district="丰台区")
    tree = te.split_measure(tree, c=0, t=0, m=0, text="加强工地扬尘监管\n\n工地出口安装冲洗设施")
    measures = tree["chapters"][0]["tasks"][0]["measures"]
    assert [m["text"] for m in measures[:2]] == ["加强工地扬尘监管", "工地出口安装冲洗设施"]
    assert (
        measures[1]["units"]["lead"] == ["区住房城乡建设委"] and measures[1]["deadline_text"] == "2026年底前"
    )
    assert [m["code"] for m in measures] == ["1-1", "1-2", "1-3", "1-4"]
    with pytest.raises(te.TreeEditError, match="空一行"):
        te.split_measure(tree, c=0, t=0, m=0, text="没有空行")


def test_two_measures_merge_into_one_with_both_texts_and_all_units():
    tree = te.add_unit(two_tasks(), c=0, t=0, m=0, role="lead", name="区住房城乡建设委", district="丰台区")
    tree = te.add_unit(tree, c=0, t=0, m=1, role="assisting", name="区城市管理委", district="丰台区")
    tree = te.merge_with_next(tree, c=0, t=0, m=0)
    merged = tree["chapters"][0]["tasks"][0]["measures"][0]
    assert merged["text"] == "加强工地扬尘监管\n道路清扫保洁"
    assert merged["units"] == {"lead": ["区住房城乡建设委"], "responsible": [], "assisting": ["区城市管理委"]}
    assert len(texts(tree)) == 2
    with pytest.raises(te.TreeEditError, match="最后一条"):
        te.merge_with_next(tree, c=0, t=0, m=1)


def test_a_task_split_before_a_measure_makes_a_new_task_after_it_and_the_later_tasks_move_up_a_number():
    tree = te.split_task(two_tasks(), c=0, t=0, m=1, title="道路扬尘")
    tasks = tree["chapters"][0]["tasks"]
    assert [(t["number"], t["title"], len(t["measures"])) for t in tasks] == [
        (1, "治理扬尘", 1),
        (2, "道路扬尘", 2),
        (3, "治理机动车", 1),
    ]
    assert [m["code"] for m in tasks[1]["measures"]] == ["2-1", "2-2"]
    with pytest.raises(te.TreeEditError, match="第二条"):
        te.split_task(tree, c=0, t=0, m=0, title="空任务")


def test_removing_keeps_the_numbers_and_codes_of_what_follows_and_renumbers_chapters():
    # Task numbers and measure codes are what a later revision of the plan is matched on.
    tree = te.add_chapter(two_tasks(), title="第二章")
    tree = te.add_task(tree, c=1, title="第三项")
    tree = te.remove_task(tree, c=0, t=0)
    assert [t["number"] for ch in tree["chapters"] for t in ch["tasks"]] == [2, 3]
    tree = te.remove_chapter(tree, c=0)
    assert tree["chapters"][0]["number"] == 1 and tree["counts"]["tasks"] == 1
    tree = te.remove_measure(two_tasks(), c=0, t=0, m=0)
    assert [m["code"] for m in tree["chapters"][0]["tasks"][0]["measures"]] == ["1-2", "1-3"]


def test_every_doubtful_measure_says_why_and_the_count_adds_them_up():
    tree = two_tasks()
    assert tree["counts"]["needs_review"] == 4  # no measure has a lead unit yet
    assert "没有牵头单位" in tree["chapters"][0]["tasks"][0]["measures"][0]["flags"]
    tree = te.add_unit(tree, c=0, t=0, m=0, role="lead", name="区住房城乡建设委", district="丰台区")
    assert tree["counts"]["needs_review"] == 3
    tree = te.mark_reviewed(tree, c=0, t=0, m=1)
    assert tree["counts"]["needs_review"] == 2


def test_an_unknown_name_mapped_to_a_directory_unit_resolves_everywhere_it_was_written():
    tree = two_tasks()
    for m in range(2):
        tree["chapters"][0]["tasks"][0]["measures"][m]["units_written"]["lead"] = ["丰台住建委"]
    tree["unit_resolution"]["unknown"] = ["丰台住建委"]
    tree = te.settle(tree)
    assert "单位不在名录中：丰台住建委" in tree["chapters"][0]["tasks"][0]["measures"][0]["flags"]
    tree = te.map_unit_name(tree, written="丰台住建委", name="区住房城乡建设委", district="丰台区")
    assert tree["unit_resolution"]["unknown"] == []
    assert tree["unit_resolution"]["known"]["丰台住建委"] == [["区住房城乡建设委", "丰台区"]]
    assert [m["units"]["lead"] for m in tree["chapters"][0]["tasks"][0]["measures"][:2]] == [
        ["区住房城乡建设委"]
    ] * 2
    assert tree["counts"]["needs_review"] == 2  # the two measures with no unit at all
    with pytest.raises(te.TreeEditError, match="已经处理过"):
        te.map_unit_name(tree, written="丰台住建委", name="区住房城乡建设委", district="丰台区")


def test_a_unit_is_removed_by_the_name_as_written_in_its_role():
    tree = te.add_unit(two_tasks(), c=0, t=0, m=0, role="assisting", name="区城市管理委", district="丰台区")
    tree = te.remove_unit(tree, c=0, t=0, m=0, role="assisting", written="区城市管理委")
    assert tree["chapters"][0]["tasks"][0]["measures"][0]["units"]["assisting"] == []
    with pytest.raises(te.TreeEditError):
        te.remove_unit(tree, c=0, t=0, m=0, role="assisting", written="区城市管理委")
    with pytest.raises(te.TreeEditError, match="角色"):
        te.add_unit(tree, c=0, t=0, m=0, role="boss", name="区城市管理委", district="丰台区")


def test_a_place_that_no_longer_exists_is_refused_with_a_chinese_message():
    with pytest.raises(te.TreeEditError, match="刷新页面"):
        te.set_measure_text(two_tasks(), c=0, t=0, m=7, text="x")


def test_document_task_numbers_and_codes_are_kept_while_they_still_fit():
    tree = two_tasks()
    tree["chapters"][0]["tasks"][0]["number"] = 5
    tree["chapters"][0]["tasks"][0]["measures"][0]["code"] = "（一）"
    tree = te.settle(tree)
    assert [t["number"] for t in tree["chapters"][0]["tasks"]] == [5, 6]
    assert tree["chapters"][0]["tasks"][0]["measures"][0]["code"] == "（一）"
    assert tree["chapters"][0]["tasks"][1]["measures"][0]["code"] == "6-1"
