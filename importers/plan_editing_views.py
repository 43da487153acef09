"""The office's editing of an imported plan from the plan page and the measure page (importers/plan_editing.py).

Thin: each view checks the office role first (a 403 for staff and viewers, before anything is read
from the form), calls one service and goes back to the page with a Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from departments.roles import is_office_admin
from departments.scopes import scope_of
from tasks.models import Chapter, Measure, Plan, Task, plan_in_scope_q
from tasks.services import StaleEdit

from . import plan_editing


def _office_only(request) -> None:
    if not is_office_admin(request.user):
        raise PermissionDenied("只有大气办可以修改计划。")


def _in_scope(request, plan: str = "plan__"):
    """Only the office's jurisdiction's plans are found: another's id is a 404."""
    return plan_in_scope_q(scope_of(request.user), plan)


def _chapter_page(chapter: Chapter) -> str:
    return reverse("plan_detail", args=[chapter.plan_id]) + f"?chapter={chapter.number}#chapter"


@login_required
@require_POST
def chapter_add(request, pk: int):
    _office_only(request)
    plan = get_object_or_404(Plan.objects.filter(_in_scope(request, "")), pk=pk)
    try:
        chapter = plan_editing.add_chapter(plan=plan, user=request.user, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_detail", pk)
    messages.success(request, f"已添加章节“{chapter}”。")
    return redirect(_chapter_page(chapter))


@login_required
@require_POST
def task_add(request, pk: int):
    _office_only(request)
    chapter = get_object_or_404(Chapter.objects.filter(_in_scope(request)), pk=pk)
    try:
        task = plan_editing.add_task(chapter=chapter, user=request.user, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已添加重点任务 {task}。")
    return redirect(_chapter_page(chapter))


@login_required
@require_POST
def measure_add(request, pk: int):
    _office_only(request)
    task = get_object_or_404(
        Task.objects.filter(_in_scope(request)).select_related("chapter"),
        plan_id=pk,
        pk=request.POST.get("task") if request.POST.get("task", "").isdigit() else 0,
    )
    try:
        measure = plan_editing.add_measure(
            task=task,
            user=request.user,
            text=request.POST.get("text", ""),
            deadline_text=request.POST.get("deadline_text", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_chapter_page(task.chapter))
    messages.success(request, f"已添加措施 {measure.code}，可在此指定责任单位。")
    return redirect("measure_detail", measure.pk)


@login_required
@require_POST
def measure_edit(request, pk: int):
    """The office corrects a measure's text or deadline; a stale form is refused, nothing is lost silently."""
    _office_only(request)
    measure = get_object_or_404(Measure.objects.filter(_in_scope(request, "task__plan__")), pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        plan_editing.edit_measure(
            measure=measure,
            user=request.user,
            text=request.POST.get("text", ""),
            deadline_text=request.POST.get("deadline_text", ""),
            version=version,
            comment=request.POST.get("comment", "").strip()[:500],
        )
    except StaleEdit as exc:
        messages.error(request, f"{exc.message.split('；')[0]}；您的修改没有保存，请在最新内容上重做。")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "措施已修改，变更已记入历史。")
    return redirect("measure_detail", pk)
