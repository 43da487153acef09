"""The office corrects an upload's plan fields, and withdraws or restores an import. Thin: services act."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from departments.scopes import scope_of
from tasks.models import Plan

from . import services
from .errors import PlanImportError
from .metadata_forms import PlanMetadataForm, WithdrawForm
from .models import PlanImport

_can_import = permission_required("importers.add_planimport", raise_exception=True)


@login_required
@_can_import
@require_POST
def edit_metadata(request, pk: int):
    plan_import = get_object_or_404(PlanImport, pk=pk)
    form = PlanMetadataForm.for_parsed(plan_import.parsed, request.POST)
    if not form.is_valid():
        errors = "；".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, f"计划信息未保存：{errors}")
    else:
        try:
            services.update_import_metadata(
                plan_import=plan_import, user=request.user, fields=form.changed_fields()
            )
        except PlanImportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "计划信息已更新。")
    return redirect("importers:preview", pk)


@login_required
@_can_import
@require_POST
def withdraw(request, pk: int):
    plan = get_object_or_404(
        Plan.objects.in_scope(scope_of(request.user)), pk=pk
    )  # another jurisdiction's: 404
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.withdraw_plan(plan=plan, user=request.user, reason=reason)
    except PlanImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"已撤回《{plan.title}》：它不再出现在看板、排名、通报和提醒中，记录均已保留，可随时恢复。",
        )
    return redirect(_back(request, plan))


@login_required
@_can_import
@require_POST
def restore(request, pk: int):
    plan = get_object_or_404(Plan.objects.in_scope(scope_of(request.user)), pk=pk)
    try:
        services.restore_plan(plan=plan, user=request.user)
    except PlanImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已恢复《{plan.title}》。")
    return redirect(_back(request, plan))


def _back(request, plan: Plan) -> str:
    """The import list when the button was pressed there, else the plan page."""
    if request.POST.get("next") == "imports":
        return reverse("importers:upload")
    return reverse("plan_detail", args=[plan.pk])
