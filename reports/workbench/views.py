"""The 工作台 (each role's landing page), the batch actions of the review queue, and the 催报/催办 page.

Thin: workbench/selectors.py reads; workbench/batch.py and workbench/urging.py write through the
one-at-a-time services.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bluesky.web import redirect_back
from departments.models import Unit
from departments.roles import is_office_admin, is_viewer, user_unit_ids
from departments.scopes import scope_of
from tasks.models import Measure

from . import batch, selectors, urging


@login_required
def workbench(request):
    """Office, leader (viewer) and unit staff each land on their own page; someone with no unit sees plans."""
    user, today = request.user, timezone.localdate()
    if is_office_admin(user):
        context = {"role": "office", "office": selectors.office_workbench(today=today, scope=scope_of(user))}
    elif is_viewer(user):
        context = {"role": "leader", "leader": selectors.leader_workbench(today=today, scope=scope_of(user))}
    elif user_unit_ids(user):
        context = {
            "role": "staff",
            "staff": selectors.staff_workbench(user=user, unit_ids=user_unit_ids(user), today=today),
        }
    else:
        return redirect("plan_list")
    context["today"] = today
    return render(request, "workbench/workbench.html", context)


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def _say(request, result: batch.BatchResult, verb: str) -> None:
    if result.done:
        messages.success(
            request,
            f"已{verb} {len(result.done)} 项：{'、'.join(result.done[:20])}{'等' if len(result.done) > 20 else ''}。",
        )
    for what, why in result.failed:
        messages.error(request, f"{what} 未能{verb}：{why}")


def _batch(request, action, field: str, verb: str):
    try:
        result = action(
            **{f"{field}_ids": _ids(request, field)},
            user=request.user,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        _say(request, result, verb)
    return redirect_back(request, request.POST.get("next", ""), reverse("reports:review_queue"))


@login_required
@require_POST
def batch_accept(request):
    """通过 the ticked reports of the review queue."""
    return _batch(request, batch.accept_reports, "report", "通过")


@login_required
@require_POST
def batch_sign_off(request):
    """销号 the ticked measures of the review queue."""
    return _batch(request, batch.sign_off_measures, "measure", "销号")


def _urge_target(params, scope):
    """The measure, month and units urged, all of the office's jurisdiction (another's measure is a 404)."""
    measure = None
    if params.get("measure", "").isdigit():
        measure = get_object_or_404(
            Measure.objects.in_scope(scope).select_related("task__plan"), pk=int(params["measure"])
        )
    period = None
    if params.get("period"):
        try:
            period = dt.datetime.strptime(params["period"], "%Y-%m").date()
        except ValueError:
            period = None
    ids = [int(v) for v in params.getlist("unit") if v.isdigit()][: urging.MAX_UNITS + 1]
    return measure, period, list(Unit.objects.in_scope(scope).filter(pk__in=ids).order_by("district", "name"))


@login_required
def urge(request):
    """GET: the office's text for the chosen units (from the units table, the missing reports, a measure). POST: send."""
    if not is_office_admin(request.user):
        raise PermissionDenied("只有大气办可以催报、催办。")
    params = request.POST if request.method == "POST" else request.GET
    measure, period, units = _urge_target(params, scope_of(request.user))
    text = params.get("text") or urging.default_text(measure=measure, period=period)
    if request.method == "POST":
        try:
            done = urging.urge_units(
                units=units, user=request.user, text=text, measure=measure, period=period
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            names = "、".join(u.unit.name for u in done)
            messages.success(
                request,
                f"已向 {len(done)} 个单位发出{urging.kind_of(measure=measure, period=period)}：{names}。",
            )
            return redirect_back(request, request.POST.get("next", ""), reverse("home"))
    context = {
        "units": units,
        "measure": measure,
        "period": period,
        "text": text,
        "next": params.get("next", ""),
    }
    return render(request, "workbench/urge.html", context)
