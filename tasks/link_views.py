"""Pages for 承接: linking a plan's measures to the plan it carries out, and the districts' roll-up.

Thin: tasks/carrying_out.py proposes, decides and rolls up; these pages check who may do it and
turn the form into decisions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from departments.roles import is_office_admin
from departments.scopes import reading_scope, scope_of

from . import carrying_out
from .models import Measure, Plan


def _decisions(post, plan: Plan) -> tuple[dict[int, int | None], list[str]]:
    """The ticked rows: lower measure id → upper measure id (None when the code box is emptied).

    Returns the decisions and the codes that name no measure of the upper plan.
    """
    upper_ids = dict(Measure.objects.filter(task__plan_id=plan.carries_out_id).values_list("code", "pk"))
    decisions, unknown = {}, []
    for key in post.getlist("confirm"):
        if not key.isdigit():
            continue
        code = post.get(f"code-{key}", "").strip()
        if code and code not in upper_ids:
            unknown.append(code)
            continue
        decisions[int(key)] = upper_ids.get(code) if code else None
    return decisions, unknown


@login_required
def plan_links(request, pk: int):
    """承接关系: the office picks the plan this one carries out and confirms the proposed links."""
    if not is_office_admin(request.user):
        raise PermissionDenied("只有大气办可以维护承接关系。")
    # The office links its own jurisdiction's plans (to an upper plan, which may lie above it).
    plan = get_object_or_404(
        Plan.objects.in_scope(scope_of(request.user)).select_related("carries_out"), pk=pk
    )
    if request.method == "POST" and plan.withdrawn_at is not None:
        raise PermissionDenied("该计划已撤回，只能查阅。")
    if request.method == "POST" and request.POST.get("action") == "propose":
        upper = (
            Plan.objects.in_force().exclude(pk=plan.pk).filter(pk=request.POST.get("upper_plan") or 0).first()
        )
        if upper is None:
            messages.error(request, "请选择本计划承接的上级计划。")
        else:
            count = carrying_out.propose_links(plan=plan, upper_plan=upper, user=request.user)
            messages.success(request, f"已按文本相似度提出 {count} 条承接建议，请逐条核对后确认。")
        return redirect("plan_links", pk)
    if request.method == "POST":
        decisions, unknown = _decisions(request.POST, plan)
        if unknown:
            messages.error(
                request,
                "上级计划中没有这些编号：" + "、".join(unknown) + "。未保存任何修改，请更正后再提交。",
            )
        else:
            changed = carrying_out.decide_links(plan=plan, decisions=decisions, user=request.user)
            messages.success(request, f"已确认 {changed} 条承接关系。")
            return redirect("plan_links", pk)
    suggested = plan.carries_out or carrying_out.suggest_upper_plan(plan)
    context = {
        "plan": plan,
        "suggested": suggested,
        "upper_choices": carrying_out.upper_plan_choices(plan),
        "rows": carrying_out.link_rows(plan) if plan.carries_out_id else [],
        "min_similarity": carrying_out.MIN_SIMILARITY,
        "posted": request.POST if request.method == "POST" else None,
    }
    return render(request, "tasks/plan_links.html", context, status=400 if request.method == "POST" else 200)


DISTRICT_ROWS_PER_PAGE = 100  # a municipal plan has thousands of measures its districts carry out


@login_required
def plan_districts(request, pk: int):
    """承接落实情况: for each measure of an upper plan, the districts done and those lagging."""
    plan = get_object_or_404(Plan.objects.in_scope(reading_scope(request.user)), pk=pk)
    lagging_only = request.GET.get("lagging") == "1"
    page = carrying_out.plan_rollup(
        plan,
        today=timezone.localdate(),
        lagging_only=lagging_only,
        page=request.GET.get("page"),
        per_page=DISTRICT_ROWS_PER_PAGE,
    )
    return render(
        request,
        "tasks/plan_districts.html",
        {
            "plan": plan,
            "page": page,
            "lagging_only": lagging_only,
            "lower_plans": plan.carried_out_by.in_force().select_related("jurisdiction"),
        },
    )
