"""Upload → preview → confirm, for office administrators. Thin: services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from departments.models import Unit
from tasks import carrying_out

from . import jobs, services
from .errors import PlanImportError
from .forms import PlanUploadForm, UnitDecisionFormSet
from .models import PlanImport
from .parsers.headers import ROLE_LABELS

# What the office may say a column of an unreadable table holds ("" leaves it out).
COLUMN_CHOICES = sorted(ROLE_LABELS.items(), key=lambda item: item[0] != "")

# The steps the progress box shows, in order.
PARSE_STEPS = [PlanImport.Step.READING, PlanImport.Step.STRUCTURE, PlanImport.Step.UNITS]

_can_import = permission_required("importers.add_planimport", raise_exception=True)


@login_required
@_can_import
def upload(request):
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan_import = services.store_upload(
                data=upload.read(),
                filename=upload.name,
                user=request.user,
                district=form.cleaned_data["district"],
            )
        except PlanImportError as exc:
            form.add_error("file", str(exc))
        else:
            if plan_import.state == PlanImport.State.UNCHANGED:
                messages.info(request, plan_import.summary["message"])
                return redirect("plan_detail", plan_import.plan_id)
            jobs.queue_parse(plan_import)  # parsed by a worker; the preview page follows its progress
            return redirect("importers:preview", plan_import.pk)
    recent = PlanImport.objects.select_related("plan", "uploaded_by")[:10]
    return render(request, "importers/upload.html", {"form": form, "recent": recent})


def _propose_links(request, plan) -> None:
    """承接: a district plan gets link proposals to the municipal plan it likely carries out."""
    proposed = carrying_out.propose_after_import(plan=plan, user=request.user)
    if proposed and proposed[1]:
        upper, count = proposed
        messages.info(
            request,
            f"已按文本相似度为 {count} 条措施提出承接《{upper.title}》的建议，请在“承接关系”中核对确认。",
        )


_NOT_PARSED = (PlanImport.State.PARSING, PlanImport.State.FAILED, PlanImport.State.EXPIRED)


@login_required
@_can_import
def parse_status(request, pk: int):
    """The progress box the preview page polls while the upload is parsed; reloads the page when done."""
    plan_import = get_object_or_404(PlanImport, pk=pk)
    if plan_import.state == PlanImport.State.PARSING and plan_import.job_sent_at is None:
        jobs.queue_parse(plan_import)  # the broker was down at upload: send now that it may be back
    if plan_import.state != PlanImport.State.PARSING and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "importers/_parse_status.html", {"imp": plan_import, "steps": PARSE_STEPS})


@login_required
@_can_import
def preview(request, pk: int):
    plan_import = get_object_or_404(PlanImport, pk=pk)
    if plan_import.state in _NOT_PARSED:
        return render(request, "importers/parsing.html", {"imp": plan_import, "steps": PARSE_STEPS})
    # Each unknown name defaults to its closest directory unit (the plan's district first) when one is close.
    defaults = services.unit_decision_defaults(plan_import.parsed)
    units = Unit.objects.active().exclude(kind=Unit.Kind.GROUP)
    formset = UnitDecisionFormSet(
        request.POST or None,
        initial=[{"name": d["name"], "action": d["action"], "unit": d["unit_id"]} for d in defaults],
        form_kwargs={"units": units},
        prefix="units",
    )
    if request.method == "POST" and plan_import.state == PlanImport.State.PREVIEW:
        if formset.is_valid():
            decisions = {
                f.cleaned_data["name"]: {
                    "action": f.cleaned_data["action"],
                    "unit_id": f.cleaned_data["unit"].pk if f.cleaned_data.get("unit") else None,
                }
                for f in formset
            }
            try:
                plan = services.apply_import(
                    plan_import=plan_import, user=request.user, unit_decisions=decisions
                )
            except PlanImportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"《{plan.title}》已导入。")
                _propose_links(request, plan)
                return redirect("plan_detail", plan.pk)
    diff = services.preview_diff(plan_import) if plan_import.plan_id else None
    from .editor_views import editor_context

    return render(
        request,
        "importers/preview.html",
        {
            "imp": plan_import,
            "parsed": plan_import.parsed,
            "formset": formset,
            "diff": diff,
            "column_roles": COLUMN_CHOICES,
            **editor_context(plan_import),
        },
    )


@login_required
@_can_import
@require_POST
def cancel(request, pk: int):
    plan_import = get_object_or_404(PlanImport, pk=pk)
    try:
        services.cancel_import(plan_import=plan_import)
    except PlanImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, "已取消这次导入，数据库未做任何改动。")
    return redirect("importers:upload")


@login_required
@_can_import
@require_POST
def map_columns(request, pk: int):
    """The office names the columns of a table the parser could not read (posted as col-<index>: role)."""
    plan_import = get_object_or_404(PlanImport, pk=pk)
    mapping = {}
    for key, role in request.POST.items():
        if key.startswith("col-") and key[4:].isdigit() and role:
            mapping[int(key[4:])] = role
    try:
        services.map_import_columns(plan_import=plan_import, mapping=mapping)
    except PlanImportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已按所选的列重新读取表格，请检查预览。")
    return redirect("importers:preview", pk)
