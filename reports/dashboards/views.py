"""Dashboard pages for the office and viewers: thin views over the selectors of reports/dashboards/.

Each list on a page downloads as .xlsx with ``?export=<list>`` added to the
page's own query string, so the file holds exactly what the filters show.
Unit staff get 403: they follow their own units on the measure pages. An office or viewer account
with a jurisdiction (departments/scopes.py) sees its jurisdiction's figures; ``?jurisdiction=<code>``
narrows them to a district within it (the drill-down of a municipal office), and another
jurisdiction's unit is a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments.api.filtersets import UnitFilterSet
from departments.models import Unit
from departments.roles import can_read_everything
from departments.scopes import chosen_scope, scope_choices, scope_of
from reports import dashboards
from reports.workbench.urging import recent_urges
from tasks import carrying_out
from tasks.filters import MeasureFilterSet
from tasks.models import Measure, Plan

from . import charts, exports

MEASURES_PER_PAGE = 50
UNITS_PER_PAGE = 50  # the unit table is shown a page at a time (dashboards.unit_page)
REPORT_PROBLEMS_SHOWN = 30  # the overview lists this many late or missing reports; the export has them all


def office_or_viewer_required(view):
    """Signed in, office or viewer, and only reading (GET/HEAD): the dashboards change nothing."""

    @require_safe
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read_everything(request.user):
            raise PermissionDenied("看板仅对大气办和领导查看账号开放。")
        return view(request, *args, **kwargs)

    return wrapper


def _export(request, sheets: dict, *, filters=lambda: ""):
    """The .xlsx for ``?export=name`` if asked for (``sheets`` maps names to (filename, Sheet factory)).

    ``filters`` says in words which filters made the list; called only when a file is made.
    """
    name = request.GET.get("export")
    if not name:
        return None
    if name not in sheets:
        raise Http404("没有这个列表。")
    filename, make_sheet = sheets[name]
    return exports.xlsx_response(make_sheet(), filename=filename, filters=filters())


def _scope_context(request, scope) -> dict:
    """The overview's district selector: the jurisdictions the user may narrow to, and the one shown (the
    unit and plan pages narrow by their 所属区 filters)."""
    return {"scope": scope, "own_scope": scope_of(request.user), "scope_choices": scope_choices(request.user)}


def _overview_sheets(today, scope) -> dict:
    """The overview's lists as .xlsx files: name → (filename, Sheet factory); each file reads only its own list."""
    return {
        "overdue": (
            f"逾期措施-{today}",
            lambda: exports.overdue_sheet(
                dashboards.with_days_overdue(
                    dashboards.overdue_measures(today=today, scope=scope), today=today
                )
            ),
        ),
        "upcoming": (
            f"30日内到期-{today}",
            lambda: exports.upcoming_sheet(
                dashboards.with_days_overdue(
                    dashboards.upcoming_measures(today=today, scope=scope), today=today
                )
            ),
        ),
        "reports": (
            f"月报迟报未报-{dashboards.current_report_period(today):%Y-%m}",
            lambda: exports.report_problem_sheet(dashboards.report_period_status(today=today, scope=scope)),
        ),
        "plans": (
            f"各计划完成情况-{today}",
            lambda: exports.completion_sheet(
                dashboards.measure_figures(today=today, scope=scope).by_plan,
                title="各计划完成情况",
                by_chapter=False,
            ),
        ),
        "chapters": (
            f"各章节完成情况-{today}",
            lambda: exports.completion_sheet(
                dashboards.measure_figures(today=today, scope=scope).by_chapter,
                title="各章节完成情况",
                by_chapter=True,
            ),
        ),
        "trend": (
            f"近12个月趋势-{today}",
            lambda: exports.trend_sheet(dashboards.monthly_trend(today=today, scope=scope)),
        ),
    }


@office_or_viewer_required
def overview(request):
    today = timezone.localdate()
    scope = chosen_scope(request.user, request.GET.get("jurisdiction"))
    export = _export(request, _overview_sheets(today, scope))
    if export:
        return export
    data = dashboards.overview(today=today, scope=scope)
    chart_specs = {
        "status": charts.status_bar(data.by_status),
        "lights": charts.light_pie(data.by_light),
        "plans": charts.completion_bar(data.by_plan, label=lambda p: p.title[:24]),
        "chapters": charts.completion_bar(
            data.chapters_shown, label=lambda c: f"{c.plan.title[:8]}·{c.title[:12]}"
        ),
        "trend": charts.trend_lines(data.trend),
    }
    return render(
        request,
        "dashboards/overview.html",
        {
            "data": data,
            "charts": chart_specs,
            "reports_limit": REPORT_PROBLEMS_SHOWN,
            "reports_shown": f":{REPORT_PROBLEMS_SHOWN}",
            "plans_carried_out": carrying_out.plans_carried_out().in_scope(scope),
            **_scope_context(request, scope),
        },
    )


@office_or_viewer_required
def units(request):
    today = timezone.localdate()
    scope = chosen_scope(request.user, request.GET.get("jurisdiction"))
    filterset = UnitFilterSet(request.GET, queryset=Unit.objects.in_scope(scope))
    sort = request.GET.get("sort", "name")
    units = filterset.qs if filterset.is_valid() else Unit.objects.none()
    export = _export(
        request,
        {
            "units": (
                f"单位情况-{today}",
                lambda: exports.unit_sheet(dashboards.unit_table(today=today, units=units, sort=sort)),
            )
        },
        filters=lambda: exports.describe_filters(filterset),
    )
    if export:
        return export
    shown = dashboards.unit_page(
        today=today, units=units, sort=sort, page=request.GET.get("page"), per_page=UNITS_PER_PAGE
    )
    context = {
        "filterset": filterset,
        "page": shown.page,
        "sort": sort,
        "busiest": charts.unit_bar(
            shown.busiest
        ),  # the units carrying most measures; the table lists them all
        "busiest_shown": len(shown.busiest),
    }
    template = "dashboards/_unit_results.html" if request.htmx else "dashboards/units.html"
    return render(request, template, context)


@office_or_viewer_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.in_scope(chosen_scope(request.user, None)), pk=pk)
    today = timezone.localdate()
    export = _export(
        request,
        {
            "measures": (
                f"{unit.name}-承担措施-{today}",
                lambda: exports.unit_measure_sheet(
                    dashboards.attach_lights(dashboards.unit_assignments(unit, today=today))
                ),
            ),
        },
        filters=lambda: f"单位：{unit}",
    )
    if export:
        return export
    detail = dashboards.unit_detail(unit=unit, today=today, page=request.GET.get("page"))
    context = {"detail": detail, "unit": unit, "page": detail.page}
    if request.htmx:
        return render(request, "dashboards/_unit_measures.html", context)
    context["light_chart"] = charts.light_pie(detail.by_light)
    context["urges"] = recent_urges(unit.pk)  # when the office last urged the unit (催报/催办)
    return render(request, "dashboards/unit_detail.html", context)


@office_or_viewer_required
def plans(request):
    today = timezone.localdate()
    scope = chosen_scope(request.user, request.GET.get("jurisdiction"))
    filterset = MeasureFilterSet(
        request.GET, queryset=Measure.objects.in_force().in_scope(scope), request=request
    )
    measures = filterset.qs if filterset.is_valid() else Measure.objects.none()
    if request.GET.get("export") == "measures":
        rows = dashboards.with_lights(dashboards.measure_rows(dashboards.tree_order(measures)), today=today)
        return exports.xlsx_response(
            exports.measure_sheet(dashboards.attach_lights(rows)),
            filename=f"措施清单-{today}",
            filters=exports.describe_filters(filterset),
        )
    page = dashboards.measure_page(
        measures, today=today, page=request.GET.get("page"), per_page=MEASURES_PER_PAGE
    )
    context = {
        "filterset": filterset,
        "page": page,
        "tree": dashboards.measure_tree(page),
        "total": page.paginator.count,
    }
    if request.htmx:
        return render(request, "dashboards/_measure_results.html", context)
    chosen = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
    chart_plan = chosen or Plan.objects.in_force().in_scope(scope).order_by("-year_start", "title").first()
    if chart_plan:
        chapters = dashboards.measure_figures(today=today, plan=chart_plan, scope=scope).by_chapter
        heatmap = dashboards.unit_chapter_heatmap(plan=chart_plan, today=today)
        context.update(
            {
                "chart_plan": chart_plan,
                "chapters": chapters,
                "heatmap": heatmap,
                "chapter_chart": charts.completion_bar(
                    chapters, label=lambda c: f"{c.number}. {c.title[:14]}"
                ),
                "heatmap_chart": charts.heatmap(heatmap),
            }
        )
    return render(request, "dashboards/plans.html", context)
