"""The preview editor's endpoints: one edit at a time, the unit picker, paste from Excel, a plan by hand.

Thin: ``importers.editor`` saves, ``importers.tree_editing`` edits. With HTMX an
edit answers with the editor re-rendered (``importers/_editor.html``), so the
page does not reload; without it, with a redirect back to the preview.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import editor, tree_editing, unit_picker
from .errors import PlanImportError
from .forms import NewPlanForm
from .models import PlanImport
from .pasting import COLUMN_ROLES

_can_import = permission_required("importers.add_planimport", raise_exception=True)
PASTE_SAMPLE_ROWS = 5
# The form fields a picked unit may fill: the editor's, and the measure page's assignment form.
PICKER_FIELDS = ("unit_id", "assign-unit")


def editor_context(
    plan_import: PlanImport, *, error: str = "", columns: list | None = None, pasted: str = ""
) -> dict:
    """What ``importers/_editor.html`` shows: the settled tree, the unknown names with suggestions."""
    tree = (
        tree_editing.settle(copy.deepcopy(plan_import.parsed))
        if plan_import.parsed.get("chapters") is not None
        else tree_editing.empty_tree(title="", year_start=0, year_end=0)
    )
    district = tree.get("district", "")
    for chapter in tree["chapters"]:
        for task in chapter["tasks"]:
            for measure in task["measures"]:
                measure["unit_tags"] = tree_editing.unit_tags(measure, tree["unit_resolution"])
    names = tree.get("unit_resolution", {}).get("unknown", [])
    suggested = unit_picker.suggestions(names, district=district) if names else {}
    unknown = [(name, suggested.get(name, [])) for name in names]
    return {
        "imp": plan_import,
        "tree": tree,
        "version": editor.tree_version(plan_import),
        "editable": plan_import.state == PlanImport.State.PREVIEW,
        "unknown_units": unknown,
        "editor_error": error,
        "roles": list(tree_editing.ROLE_LABELS.items()),
        "paste_columns": columns,
        "pasted": pasted,
        "paste_width": range(len(columns[0])) if columns else (),
        "column_roles": COLUMN_ROLES,
        "picker_field": "unit_id",
        "picker_district": district,
    }


def _respond(request, plan_import: PlanImport, *, error: str = "", status: int = 200, **extra):
    if request.htmx:
        context = editor_context(plan_import, error=error, **extra)
        return render(request, "importers/_editor.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect("importers:preview", plan_import.pk)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
@_can_import
@require_POST
def edit(request, pk: int):
    """One edit of the previewed tree (``op`` and its arguments), saved if the version still holds."""
    plan_import = get_object_or_404(PlanImport, pk=pk)
    operation = request.POST.get("op", "")
    try:
        arguments = editor.operation_arguments(operation, request.POST)
        plan_import = editor.edit_tree(
            plan_import=plan_import, version=_version(request), operation=operation, arguments=arguments
        )
    except PlanImportError as exc:
        plan_import.refresh_from_db()
        return _respond(request, plan_import, error=str(exc), status=409 if exc.code == "stale" else 400)
    return _respond(request, plan_import)


@login_required
@_can_import
@require_POST
def paste(request, pk: int):
    """Rows pasted from Excel; when the columns cannot be told, ask which is which (keeping the text)."""
    plan_import = get_object_or_404(PlanImport, pk=pk)
    text = request.POST.get("rows", "")
    mapping = (
        {
            int(key[4:]): value
            for key, value in request.POST.items()
            if key.startswith("col_") and key[4:].isdigit() and value
        }
        if "mapped" in request.POST
        else None
    )
    try:
        plan_import = editor.paste_rows(
            plan_import=plan_import, version=_version(request), text=text, mapping=mapping
        )
    except editor.NeedsColumns as exc:
        plan_import.refresh_from_db()
        columns = exc.rows[:PASTE_SAMPLE_ROWS]
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect("importers:preview", plan_import.pk)
        return _respond(request, plan_import, error=str(exc), columns=columns, pasted=text)
    except PlanImportError as exc:
        plan_import.refresh_from_db()
        return _respond(
            request, plan_import, error=str(exc), status=409 if exc.code == "stale" else 400, pasted=text
        )
    return _respond(request, plan_import)


@login_required
@_can_import
@require_GET
def unit_search(request):
    """The type-to-search picker: ≤ 20 active units by name or alias; JSON with ``format=json``."""
    units = unit_picker.search_units(request.GET.get("q", ""), district=request.GET.get("district", ""))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"results": [{"id": u.pk, "name": u.name, "district": u.district} for u in units]}
        )
    field = request.GET.get("field") if request.GET.get("field") in PICKER_FIELDS else "unit_id"
    return render(
        request,
        "importers/_unit_results.html",
        {"units": units, "q": request.GET.get("q", ""), "field": field},
    )


@login_required
@_can_import
def new_plan(request):
    """新建计划: a draft with an empty tree, filled in the same editor and confirmed like an upload."""
    form = NewPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_import = editor.create_draft(user=request.user, **form.cleaned_data)
        except PlanImportError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("importers:preview", plan_import.pk)
    return render(request, "importers/new_plan.html", {"form": form})
