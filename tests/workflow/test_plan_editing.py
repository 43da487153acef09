"""The office edits an imported plan in the app: chapters, tasks and measures are added, a measure's text
and deadline corrected, each change in the history (the measure's, or the plan's); staff and viewers cannot."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from importers import plan_editing
from tasks.models import HistoryEntry, Measure, Task
from tasks.selectors import history
from tasks.services import StaleEdit

pytestmark = pytest.mark.django_db


def test_a_measure_added_to_a_task_is_numbered_after_its_last_dated_and_in_the_history(world):
    task = world.measure_a.task
    measure = plan_editing.add_measure(
        task=task, user=world.office, text="2026年10月底前完成散煤清零", deadline_text=""
    )
    assert (measure.sequence, measure.code, measure.due_date) == (3, "1-3", dt.date(2026, 10, 31))
    assert [str(m.date) for m in measure.milestones.all()] == ["2026-10-31"]
    entry = measure.history.get()
    assert entry.action == HistoryEntry.Action.EDIT and entry.actor == world.office
    assert entry.changes["措施内容"] == [None, "2026年10月底前完成散煤清零"]


def test_a_changed_deadline_is_dated_again_and_the_history_keeps_before_and_after(world):
    measure = plan_editing.edit_measure(
        measure=world.measure_a,
        user=world.office,
        text=world.measure_a.text,
        deadline_text="2026年6月底前",
        version=world.measure_a.version,
        comment="按区政府要求提前",
    )
    assert (measure.deadline_kind, measure.due_date, measure.version) == ("dated", dt.date(2026, 6, 30), 2)
    entry = measure.history.get()
    assert entry.changes == {"完成时限": ["年底前（2026-12-31）", "2026年6月底前（2026-06-30）"]}
    assert entry.comment == "按区政府要求提前"
    shown = [(c.label, c.before, c.after) for row in history(measure=measure) for c in row.changes]
    assert shown == [("完成时限", "年底前（2026-12-31）", "2026年6月底前（2026-06-30）")]


def test_an_edit_on_a_measure_saved_since_the_form_was_loaded_is_refused(world):
    plan_editing.edit_measure(
        measure=world.measure_a, user=world.office, text="新的内容", deadline_text="", version=1
    )
    with pytest.raises(StaleEdit):
        plan_editing.edit_measure(
            measure=world.measure_a, user=world.office, text="另一个窗口", deadline_text="", version=1
        )
    assert Measure.objects.get(pk=world.measure_a.pk).text == "新的内容"


def test_empty_text_is_refused_in_chinese(world):
    with pytest.raises(ValidationError, match="措施内容不能为空"):
        plan_editing.add_measure(task=world.measure_a.task, user=world.office, text="  ")


def test_new_chapters_and_tasks_are_in_the_plans_history_and_task_numbers_run_on(world):
    plan = world.measure_a.task.plan
    chapter = plan_editing.add_chapter(plan=plan, user=world.office, title="强化扬尘管控")
    task = plan_editing.add_task(chapter=chapter, user=world.office, title="施工扬尘")
    assert (chapter.number, task.number) == (2, 2)
    assert [list(e.changes) for e in plan.history.order_by("id")] == [["章节"], ["重点任务"]]


@pytest.mark.parametrize("who", ["staff_a", "viewer"])
def test_staff_and_viewers_cannot_edit_a_plan(world, who):
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        plan_editing.add_measure(task=world.measure_a.task, user=user, text="x")
    with pytest.raises(PermissionDenied):
        plan_editing.edit_measure(measure=world.measure_a, user=user, text="x", deadline_text="", version=1)


@pytest.mark.parametrize("who", ["staff_a", "viewer"])
def test_the_editing_pages_answer_403_to_staff_and_viewers(client, world, who):
    client.force_login(getattr(world, who))
    plan, task = world.measure_a.task.plan, world.measure_a.task
    assert client.post(reverse("importers:chapter_add", args=[plan.pk]), {"title": "x"}).status_code == 403
    assert (
        client.post(reverse("importers:task_add", args=[task.chapter_id]), {"title": "x"}).status_code == 403
    )
    assert (
        client.post(
            reverse("importers:measure_add", args=[plan.pk]), {"task": task.pk, "text": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("importers:measure_edit", args=[world.measure_a.pk]), {"text": "x", "version": 1}
        ).status_code
        == 403
    )
    assert Task.objects.count() == 1 and not HistoryEntry.objects.exists()
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="add-measure-form"' not in page


def test_the_office_adds_and_edits_from_the_plan_and_measure_pages(client, world):
    client.force_login(world.office)
    plan, task = world.measure_a.task.plan, world.measure_a.task
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="add-measure-form"' in page and 'id="add-chapter-form"' in page
    response = client.post(
        reverse("importers:measure_add", args=[plan.pk]),
        {"task": task.pk, "text": "推进餐饮油烟治理", "deadline_text": "长期实施"},
    )
    added = Measure.objects.get(text="推进餐饮油烟治理")
    assert response["Location"] == reverse("measure_detail", args=[added.pk])
    assert added.deadline_kind == "ongoing" and added.due_date is None
    client.post(
        reverse("importers:measure_edit", args=[added.pk]),
        {"text": "推进餐饮油烟治理", "deadline_text": "2026年底前", "version": added.version},
    )
    page = client.get(reverse("measure_detail", args=[added.pk])).content.decode()
    assert "新增措施" in page and "长期实施 → 2026年底前（2026-12-31）" in page
    other_plan_task = {"task": task.pk, "text": "x"}
    assert (
        client.post(reverse("importers:measure_add", args=[plan.pk + 1]), other_plan_task).status_code == 404
    )
