"""Pages for plans and measures: reading plans, 我的任务, a measure with its progress form, evidence.

Thin: selectors read, services write and decide what is allowed; the views
check who may see a page before anything else, so a forged id gets a 403 and
never a half-done write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bluesky.web import redirect_back
from departments.models import Unit
from departments.roles import can_read_everything, is_office_admin, user_unit_ids
from departments.scopes import reading_scope, scope_of

from . import carrying_out, lead_units, selectors, services
from .chapter_pages import MY_MEASURES_CHAPTERS, ChapterPages
from .evidence import evidence_response
from .forms import AssignmentForm, CommentForm, MeasureFilterForm, ProgressForm
from .models import Assignment, Evidence, Measure, Plan
from .permissions import can_edit_measure, can_read_measure, measure_for
from .traffic_light import measure_light

MEASURES_PER_PAGE = 50


def _plans_shown(user):
    """The plans a user reads: those of the jurisdiction of an office or viewer account (staff: every plan)."""
    return Plan.objects.in_scope(reading_scope(user))


def _reads_plan(user, plan: Plan) -> bool:
    """``plan`` is one of ``_plans_shown(user)``, for a plan in hand (its jurisdiction loaded): no query."""
    scope = reading_scope(user)
    return scope is None or scope.contains(plan.jurisdiction)


@login_required
def home(request):
    plans = selectors.plan_list(_plans_shown(request.user))
    return render(
        request, "tasks/plan_list.html", {"plans": plans.in_force(), "withdrawn_plans": plans.withdrawn()}
    )


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(_plans_shown(request.user).select_related("carries_out__jurisdiction"), pk=pk)
    try:
        chapter_number = int(request.GET.get("chapter", ""))
    except ValueError:
        chapter_number = None
    return render(
        request,
        "tasks/plan_detail.html",
        {
            "plan": plan,
            "tree": selectors.plan_tree(plan, chapter_number),
            "is_office": is_office_admin(request.user),
            "history": selectors.history(plan=plan),
            "has_lower_plans": plan.carried_out_by.in_force().exists(),
            # The plan above may lie outside the account's jurisdiction: named, not linked to a 404.
            "upper_plan_readable": plan.carries_out is not None
            and _reads_plan(request.user, plan.carries_out),
        },
    )


@login_required
def my_measures(request):
    """我的任务: the measures of the user's units (everything for the office and viewers), filtered."""
    user, today = request.user, timezone.localdate()
    reads_all = can_read_everything(user)
    units = (
        Unit.objects.in_scope(scope_of(user)).order_by("district", "name")
        if reads_all
        else Unit.objects.filter(pk__in=user_unit_ids(user)).order_by("name")
    )
    form = MeasureFilterForm(request.GET or None, units=units)
    filters = form.filters()
    measures = selectors.measures_for_user(user=user, filters=filters, today=today)
    page = Paginator(ChapterPages(measures, MY_MEASURES_CHAPTERS), MEASURES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = selectors.measure_rows(page.object_list, user=user, today=today, unit_id=filters.unit_id)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "unit_options": form.unit_options,
        "page": page,
        "groups": selectors.group_by_plan_and_chapter(rows),
        "query": query.urlencode(),
        "reads_all": reads_all,
        "today": today,
    }
    template = "tasks/_my_measures_results.html" if request.htmx else "tasks/my_measures.html"
    return render(request, template, context)


def _filing_units(user, measure: Measure) -> list[selectors.FilingUnit]:
    """The units the user may report for here (the office: every unit carrying it), in role order."""
    office, mine = is_office_admin(user), user_unit_ids(user)
    allowed = {a.unit_id for a in measure.assignments.all() if office or a.unit_id in mine}
    return selectors.filing_units(measure, allowed)


def _unit_choices(user, measure: Measure) -> list[tuple[int, str]]:
    return [(u.unit_id, u.name) for u in _filing_units(user, measure)]


def _lead_states(measure: Measure):
    """Each lead unit's state and percent, shown when the measure has several (tasks/lead_units.py)."""
    names = lead_units.lead_unit_names(measure)
    return lead_units.lead_unit_states(measure, names) if len(names) > 1 else []


def _render_measure(
    request, measure: Measure, *, progress_form=None, files_not_uploaded: int = 0, status: int = 200
):
    """The measure page; ``files_not_uploaded``: files the user chose in a submission that was refused."""
    user = request.user
    can_edit = (
        can_edit_measure(user, measure) and measure.task.plan.withdrawn_at is None
    )  # withdrawn: read-only
    office = is_office_admin(user)
    upper = carrying_out.confirmed_upper(measure)
    latest = selectors.latest_progress_by_unit(measure)
    filing = _filing_units(user, measure) if can_edit else []
    # A signed-off measure takes no progress: no empty form, only a refused submission is shown back.
    if can_edit and progress_form is None and measure.signed_off_at is None:
        # The first unit is the one filed for unless another is chosen; a unit that does not drive
        # the measure starts from its own last report, not from the measure's overall status.
        first = filing[0] if filing else None
        progress_form = ProgressForm(
            initial={
                **selectors.progress_form_initial(measure, first, latest),
                "version": measure.version,
                "unit": first.unit_id if first else None,
            },
            unit_choices=[(u.unit_id, u.name) for u in filing],
        )
    own_part = [u for u in filing if not u.drives]
    context = {
        "measure": measure,
        "light": measure_light(measure, today=timezone.localdate()),
        "upper_link": upper,
        # The measure above may lie outside the account's jurisdiction or units: named, not linked to a 404.
        "upper_link_readable": upper is not None and can_read_measure(user, upper),
        "rollup": carrying_out.measure_rollup(measure, today=timezone.localdate()),
        "latest": latest,
        "own_part_units": own_part,
        "own_part_roles": "、".join(dict.fromkeys(u.role for u in own_part)),
        "driving_role": selectors.driving_role(measure),
        "recent": selectors.recent_progress(measure),
        "history": selectors.history(measure=measure),
        "can_edit": can_edit,
        "is_office": office,
        "lead_states": _lead_states(measure),
        "form": progress_form,
        "files_not_uploaded": files_not_uploaded,
        "assignment_form": AssignmentForm(prefix="assign") if office else None,
    }
    return render(request, "tasks/measure_detail.html", context, status=status)


@login_required
def measure_detail(request, pk: int):
    return _render_measure(request, measure_for(request.user, pk))


@login_required
@require_POST
def measure_progress(request, pk: int):
    """File a progress update; bad input or a stale edit re-renders the page with what the user typed."""
    measure = measure_for(request.user, pk, write=True)
    if measure.task.plan.withdrawn_at is not None:
        raise PermissionDenied("该计划已撤回，只能查阅，不能填报。")
    choices = _unit_choices(request.user, measure)
    form = ProgressForm(request.POST, request.FILES, unit_choices=choices)
    # A browser cannot keep chosen files across a re-rendered page: if we show the form again, say so.
    files_chosen = len(request.FILES.getlist("files"))
    if form.is_valid():
        try:
            services.record_progress(measure=measure, user=request.user, **form.service_arguments())
        except services.StaleEdit as exc:
            # Keep the user's text; take the current version so that, having
            # seen the colleague's update, they can submit again.
            measure = selectors.measure_for_page(pk)
            data = request.POST.copy()
            data["version"] = str(measure.version)
            form = ProgressForm(data, unit_choices=choices)
            form.is_valid()
            form.add_error(None, str(exc))
            return _render_measure(
                request, measure, progress_form=form, files_not_uploaded=files_chosen, status=409
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "进展已保存。")
            return redirect("measure_detail", pk)
    return _render_measure(request, measure, progress_form=form, files_not_uploaded=files_chosen)


@login_required
def evidence_download(request, pk: int):
    """An evidence file under its original name made safe (``tasks.evidence.safe_name``), for those who may read
    its measure; never sniffed by the browser as anything but its checked type."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("progress__measure").prefetch_related(
            "progress__measure__assignments"
        ),
        pk=pk,
    )
    if not can_read_measure(request.user, evidence.progress.measure):
        if can_read_everything(request.user):  # another jurisdiction's: as if it did not exist
            raise Http404("没有这个文件。")
        raise PermissionDenied("您不能下载其他单位的佐证材料。")
    return evidence_response(evidence)


def _back(request, fallback):
    return redirect_back(request, request.POST.get("next", ""), fallback)


def _office_measure(request, pk: int) -> Measure:
    """The measure an office action is about: office only, and a 404 outside its jurisdiction."""
    if not is_office_admin(request.user):
        raise PermissionDenied("只有大气办可以进行此操作。")
    return get_object_or_404(Measure.objects.in_scope(scope_of(request.user)), pk=pk)


@login_required
@require_POST
def measure_sign_off(request, pk: int):
    """销号 (office only)."""
    measure = _office_measure(request, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.sign_off_measure(
            measure=measure, user=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"措施 {measure.code} 已销号。")
    return _back(request, reverse("measure_detail", args=[pk]))


@login_required
@require_POST
def assignment_add(request, pk: int):
    """The office adds a unit (or a role of a unit) to a measure."""
    measure = _office_measure(request, pk)
    form = AssignmentForm(request.POST, prefix="assign")
    if form.is_valid():
        services.assign_unit(
            measure=measure,
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, "责任单位已更新。")
    else:
        messages.error(request, "请选择单位和角色。")
    return redirect("measure_detail", pk)


@login_required
@require_POST
def assignment_remove(request, pk: int, assignment_pk: int):
    measure = _office_measure(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("unit", "measure"), pk=assignment_pk, measure=measure
    )
    form = CommentForm(request.POST)
    form.is_valid()
    services.remove_assignment(
        assignment=assignment, user=request.user, comment=form.cleaned_data.get("comment", "")
    )
    messages.success(request, f"已移除 {assignment.unit.name}（{assignment.get_role_display()}）。")
    return redirect("measure_detail", pk)
