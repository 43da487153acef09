"""Editing an imported plan in the app: the office adds chapters, tasks and measures and corrects a
measure's text and deadline, without the Django admin.

It lives with the importer because a plan edited by hand is read the way an imported one is: the
same deadline reader and the same text checks as the preview editor (imports point importers → tasks).

Every change is a ``HistoryEntry`` (action EDIT) with what it was before and after: on the measure for
measure changes, on the plan for new chapters and tasks. Only the office may edit; a stale edit (the
measure was saved since the form was loaded) is refused like a stale progress update. Deadlines are
dated by the importer's own reader (``importers.deadlines``), so a deadline typed here means what the
same words in a document would.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max

from departments.roles import is_office_admin
from departments.scopes import scope_of
from tasks.models import Chapter, HistoryEntry, Measure, Milestone, Plan, Task
from tasks.services import StaleEdit

from .deadlines import parse_deadline
from .tree_editing import TreeEditError, checked_text


def _require_office(user, plans) -> None:
    """The office, of the jurisdiction of the plan edited (``plans``: a queryset of that plan)."""
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以修改计划。")
    scope = scope_of(user)
    if scope is not None and not plans.within(scope).exists():
        raise PermissionDenied("这个计划不在您的辖区内。")


def _clean(value: str, what: str, limit: int) -> str:
    try:
        return checked_text(value, what, limit)
    except TreeEditError as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def add_chapter(*, plan: Plan, user, title: str) -> Chapter:
    _require_office(user, Plan.objects.filter(pk=plan.pk))
    title = _clean(title, "章节标题", 200)
    number = (plan.chapters.aggregate(n=Max("number"))["n"] or 0) + 1
    chapter = Chapter.objects.create(plan=plan, number=number, title=title)
    HistoryEntry.objects.create(
        plan=plan,
        actor=user,
        action=HistoryEntry.Action.EDIT,
        changes={"章节": [None, str(chapter)]},
        comment="新增章节",
    )
    return chapter


@transaction.atomic
def add_task(*, chapter: Chapter, user, title: str) -> Task:
    """A new 重点任务 at the end of a chapter; its number follows the plan's last (numbers run through a plan)."""
    _require_office(user, Plan.objects.filter(pk=chapter.plan_id))
    title = _clean(title, "任务名称", 300)
    plan = Plan.objects.select_for_update().get(pk=chapter.plan_id)
    number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    task = Task.objects.create(plan=plan, chapter=chapter, number=number, title=title)
    HistoryEntry.objects.create(
        plan=plan,
        actor=user,
        action=HistoryEntry.Action.EDIT,
        changes={"重点任务": [None, str(task)]},
        comment=f"新增于{chapter}",
    )
    return task


@transaction.atomic
def add_measure(*, task: Task, user, text: str, deadline_text: str = "") -> Measure:
    """A new measure at the end of a task, numbered ``task-sequence``, dated from its deadline and text."""
    _require_office(user, Plan.objects.filter(tasks=task))
    text = _clean(text, "措施内容", 4000)
    deadline_text = (deadline_text or "").strip()[:200]
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    sequence = (task.measures.aggregate(n=Max("sequence"))["n"] or 0) + 1
    codes = set(task.measures.values_list("code", flat=True))
    code = f"{task.number}-{sequence}"
    while code in codes:
        code += "a"
    measure = Measure(task=task, sequence=sequence, code=code, text=text, deadline_text=deadline_text)
    _date(measure, task.plan)
    measure.save()
    _write_milestones(measure, task.plan)
    HistoryEntry.objects.create(
        measure=measure,
        actor=user,
        action=HistoryEntry.Action.EDIT,
        changes={"措施内容": [None, text], "完成时限": [None, _deadline_shown(measure)]},
        comment="新增措施",
    )
    return measure


@transaction.atomic
def edit_measure(
    *, measure: Measure, user, text: str, deadline_text: str, version: int, comment: str = ""
) -> Measure:
    """New text and/or deadline, re-dated; refused when the measure was saved since ``version``."""
    _require_office(user, Plan.objects.filter(tasks__measures=measure))
    locked = Measure.objects.select_for_update().select_related("task__plan").get(pk=measure.pk)
    if locked.version != version:
        raise StaleEdit()
    text = _clean(text, "措施内容", 4000)
    deadline_text = (deadline_text or "").strip()[:200]
    before = {"措施内容": locked.text, "完成时限": _deadline_shown(locked)}
    if text == locked.text and deadline_text == locked.deadline_text:
        return locked
    locked.text, locked.deadline_text = text, deadline_text
    _date(locked, locked.task.plan)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    _write_milestones(locked, locked.task.plan)
    after = {"措施内容": locked.text, "完成时限": _deadline_shown(locked)}
    HistoryEntry.objects.create(
        measure=locked,
        actor=user,
        action=HistoryEntry.Action.EDIT,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        comment=comment,
    )
    return locked


def _date(measure: Measure, plan: Plan) -> None:
    deadline = parse_deadline(
        measure.deadline_text, measure.text, year_start=plan.year_start, year_end=plan.year_end
    )
    measure.deadline_kind = deadline.kind
    measure.due_date = None if deadline.kind == Measure.DeadlineKind.ONGOING else deadline.due_date
    measure.window_start, measure.window_end = deadline.window_start, deadline.window_end
    measure.deadline_guessed = deadline.guessed
    measure.deadline_note = (deadline.note or "")[:300]
    measure._milestones = deadline.milestones


def _write_milestones(measure: Measure, plan: Plan) -> None:
    milestones = getattr(measure, "_milestones", None)
    if milestones is None:
        return
    measure.milestones.all().delete()
    unique = {(m.date, m.text[:100]): m for m in milestones}
    Milestone.objects.bulk_create(
        [Milestone(measure=measure, date=d, text=t, kind=m.kind) for (d, t), m in unique.items()]
    )


def _deadline_shown(measure: Measure) -> str:
    due = measure.due_date.isoformat() if isinstance(measure.due_date, dt.date) else ""
    if measure.deadline_text and due:
        return f"{measure.deadline_text}（{due}）"
    return measure.deadline_text or due or measure.get_deadline_kind_display()
