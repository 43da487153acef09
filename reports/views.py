"""Pages of the monthly report (月报) and the office's review queue (审核).

Thin: reports/selectors.py reads, reports/services.py writes and checks the
rules. A report page never writes on GET: the draft is created on the first
submission.
"""

from __future__ import annotations

import datetime as dt

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
from departments.roles import can_read_everything, is_office_admin, is_viewer, user_unit_ids
from departments.scopes import scope_of
from tasks.evidence import evidence_response
from tasks.permissions import can_read_unit_work

from . import selectors, services
from .forms import ReportSubmitForm, ReviewForm
from .models import MonthlyReport, ReportAttachment
from .workdays import WorkdayCalendar, first_of_month, next_month, previous_month, report_due_date

REVIEW_REPORTS_PER_PAGE = 50  # oldest submission first; the office works through the queue from the top


def _period(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("月份无效。")
    return dt.date(year, month, 1)


def _can_file(user, unit_id: int) -> bool:
    """Staff of the unit and the office submit; viewers never (the service checks the same)."""
    return not is_viewer(user) and (is_office_admin(user) or unit_id in user_unit_ids(user))


REPORT_ROWS_PER_PAGE = 100  # a city's office owes 1,500 units' reports a month: a page each hundred


@login_required
def report_list(request):
    """Staff: their units' last twelve months. Office and viewers: every reporting unit of their jurisdiction
    for one month."""
    user, today = request.user, timezone.localdate()
    if can_read_everything(user):
        period = selectors.default_period(today)
        if request.GET.get("period"):
            try:
                period = first_of_month(dt.datetime.strptime(request.GET["period"], "%Y-%m").date())
            except ValueError:
                messages.error(request, "月份格式应为 YYYY-MM。")
        rows = selectors.report_grid(
            units=selectors.reporting_units(scope_of(user)), periods=[period], today=today, reporting=True
        )
        wanted = request.GET.get("timeliness", "")
        if wanted in selectors.TIMELINESS_LABELS:
            rows = [r for r in rows if r.timeliness == wanted]
        context = {
            "overview": True,
            "can_urge": user.has_perm("reports.change_monthlyreport"),  # asked once, not once per row
            "period": period,
            "rows": rows,
            "page": Paginator(rows, REPORT_ROWS_PER_PAGE).get_page(request.GET.get("page")),
            "wanted": wanted,
            "timeliness_choices": selectors.TIMELINESS_LABELS.items(),
        }
    else:
        units = list(Unit.objects.filter(pk__in=user_unit_ids(user)).order_by("name"))
        periods = selectors.recent_periods(today, with_current=True)  # this month's may be filed early
        rows = selectors.report_grid(units=units, periods=periods, today=today)
        context = {"overview": False, "rows": rows, "units": units}
    return render(request, "reports/report_list.html", context)


# A posted form lost to someone else's submission or review (services raise these codes).
CONFLICT_CODES = {"stale", "state"}


def _error_code(exc: ValidationError) -> str | None:
    return getattr(exc, "code", None)  # only a single-message error has a code


def _with_version(form, version: int):
    """The same posted text, against the report's current version: a second try may go through."""
    data = form.data.copy()
    data["version"] = str(version)
    fresh = type(form)(data)
    fresh.is_valid()
    return fresh


def _conflict_notice(report: MonthlyReport, *, what: str, kept_in_form: bool) -> str:
    if kept_in_form:
        return (
            f"该月报已被他人更新（您打开页面后有新的保存或审核），您的{what}未保存，"
            f"仍保留在下方表单中，请核对后重新提交。"
        )
    verb = "报送" if report.state in services.REVIEWABLE else "审核"
    return f"该月报已由他人{verb}（当前状态：{report.get_state_display()}），您的{what}未保存，现保留如下："


def _report_forms(report, *, editable, reviewable, submit_form, review_form, conflict: bool) -> tuple:
    """The page's two forms, and what a post that can no longer be shown keeps: (submit form, review form,
    the posted text shown read-only, the notice of a lost race)."""
    kept_text, conflict_notice = "", ""
    for posted, shown, field, what in (
        (submit_form, editable, "summary", "内容"),
        (review_form, reviewable, "comment", "意见"),
    ):
        if posted is None or not posted.is_bound:
            continue
        if not shown:
            kept_text = posted.data.get(field, "")
        if conflict:
            conflict_notice = _conflict_notice(report, what=what, kept_in_form=bool(shown))
    if conflict and editable and submit_form is not None:
        submit_form = _with_version(submit_form, report.version)
    if conflict and reviewable and review_form is not None:
        review_form = _with_version(review_form, report.version)
    if editable and submit_form is None:
        submit_form = ReportSubmitForm(initial={"summary": report.summary, "version": report.version})
    if reviewable and review_form is None:
        review_form = ReviewForm(initial={"version": report.version})
    return submit_form, review_form, kept_text, conflict_notice


def _every_line(request) -> bool:
    """显示全部措施: the report's every line on one page, to print the whole report."""
    return request.GET.get("lines") == "all"


def _render_report(
    request,
    unit: Unit,
    period: dt.date,
    *,
    submit_form=None,
    review_form=None,
    conflict: bool = False,
    status=200,
):
    """The report page. A posted form is never dropped silently: when it can no longer be shown (the month
    has not begun, or someone submitted or reviewed the report meanwhile) its text is shown read-only;
    ``conflict`` says the post lost such a race, and the page says so at the top."""
    user, today = request.user, timezone.localdate()
    report = MonthlyReport.objects.filter(unit=unit, period=period).first()
    calendar = WorkdayCalendar.from_database()
    if report is None:  # shown, not saved: the draft is created on submission
        report = MonthlyReport(unit=unit, period=period, due_date=report_due_date(period, calendar))
    open_for_reporting = services.period_is_open(period, today=today)
    editable = open_for_reporting and _can_file(user, unit.pk) and report.state in services.SUBMITTABLE
    reviewable = is_office_admin(user) and report.pk and report.state in services.REVIEWABLE
    submit_form, review_form, kept_text, conflict_notice = _report_forms(
        report,
        editable=editable,
        reviewable=reviewable,
        submit_form=submit_form,
        review_form=review_form,
        conflict=conflict,
    )
    reviews = selectors.report_reviews(report)
    lines = selectors.report_lines(report, request.GET.get("page"), every_line=_every_line(request))
    following = next_month(period)
    context = {
        "unit": unit,
        "period": period,
        "report": report,
        "previous_period": previous_month(period),
        "next_period": following if following <= first_of_month(today) else None,
        "open_for_reporting": open_for_reporting,
        "due_provisional": not calendar.is_known(report.due_date),
        "timeliness": selectors.report_timeliness_label(report, today=today),
        "lines": lines.object_list,
        "lines_page": lines,
        "every_line": _every_line(request),
        "reviews": reviews,
        "last_return": next((r for r in reviews if r.decision == "return"), None)
        if report.state == MonthlyReport.State.RETURNED
        else None,
        "history": selectors.report_history(report),
        "attachments": selectors.report_attachments(report),
        "withdrawable": not is_viewer(user)
        and unit.pk in user_unit_ids(user)
        and report.pk
        and report.state in services.REVIEWABLE,
        "submit_form": submit_form if editable else None,
        "review_form": review_form if reviewable else None,
        "conflict_notice": conflict_notice,
        "kept_text": kept_text,
    }
    return render(request, "reports/report_detail.html", context, status=status)


def _check_reads_unit(user, unit_id: int, *, missing: str, refused: str) -> None:
    """Another unit's work is refused (403); another jurisdiction's, for an office or a leader, does not exist."""
    if not can_read_unit_work(user, unit_id):
        if can_read_everything(user):
            raise Http404(missing)
        raise PermissionDenied(refused)


@login_required
def report_detail(request, unit_id: int, year: int, month: int):
    """A unit's report for a month: due date, timeliness, measures, summary; save a draft, submit, resubmit."""
    period = _period(year, month)
    unit = get_object_or_404(Unit, pk=unit_id)
    _check_reads_unit(request.user, unit.pk, missing="没有这个单位。", refused="您不能查看其他单位的月报。")
    if request.method != "POST":
        return _render_report(request, unit, period)
    if not _can_file(request.user, unit.pk):
        raise PermissionDenied("您不能填报该单位的月报。")
    form = ReportSubmitForm(request.POST, request.FILES)
    saving_draft = request.POST.get("action") == "draft"
    if form.is_valid():
        try:
            report = services.get_or_create_report(unit=unit, period=period, user=request.user)
            save = services.save_report_draft if saving_draft else services.submit_report
            save(
                report=report,
                user=request.user,
                summary=form.cleaned_data["summary"],
                expected_version=form.cleaned_data["version"],
                files=form.cleaned_data["files"],
                submission=form.cleaned_data["submission"],
            )
        except ValidationError as exc:
            code = _error_code(exc)
            if code == "future":  # the page says why; the typed text stays on it
                return _render_report(request, unit, period, submit_form=form, status=400)
            if code in CONFLICT_CODES:
                return _render_report(request, unit, period, submit_form=form, conflict=True, status=409)
            form.add_error(None, exc)
        else:
            if saving_draft:
                messages.success(request, f"{period:%Y年%m月}月报草稿已保存，尚未报送。")
            else:
                messages.success(request, f"{period:%Y年%m月}月报已报送。")
            return redirect("reports:detail", unit.pk, period.year, period.month)
    return _render_report(request, unit, period, submit_form=form)


@login_required
def review_queue(request):
    """Reports waiting for review and measures waiting for 销号; viewers read it, only the office acts."""
    if not can_read_everything(request.user):
        raise PermissionDenied("只有大气办和领导查看账号可以打开审核页。")
    scope = scope_of(request.user)
    page = Paginator(selectors.reports_to_review(scope), REVIEW_REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "reports": selectors.with_attachment_counts(list(page.object_list)),
        "measures": selectors.measures_to_sign_off(scope=scope),
        "counts": {"reports": page.paginator.count, "measures": selectors.measures_to_sign_off_count(scope)},
        "is_office": is_office_admin(request.user),
        "here": request.get_full_path(),  # where each row's forms come back to
    }
    return render(request, "reports/review_queue.html", context)


@login_required
@require_POST
def report_review(request, pk: int):
    """Accept or return (with a reason) a submitted report."""
    if not is_office_admin(request.user):
        raise PermissionDenied("只有大气办可以审核月报。")
    report = get_object_or_404(
        MonthlyReport.objects.in_scope(scope_of(request.user)).select_related("unit"), pk=pk
    )
    form = ReviewForm(request.POST)
    if form.is_valid():
        action = (
            services.accept_report if form.cleaned_data["decision"] == "accept" else services.return_report
        )
        try:
            action(
                report=report,
                user=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if _error_code(exc) in CONFLICT_CODES:
                return _render_report(
                    request, report.unit, report.period, review_form=form, conflict=True, status=409
                )
            form.add_error(None, exc)
        else:
            verb = "通过" if form.cleaned_data["decision"] == "accept" else "退回"
            messages.success(request, f"已{verb} {report.unit.name} {report.period:%Y年%m月}月报。")
            return redirect_back(
                request,
                request.POST.get("next", ""),
                reverse("reports:detail", args=[report.unit_id, report.period.year, report.period.month]),
            )
    return _render_report(request, report.unit, report.period, review_form=form)


@login_required
@require_POST
def report_withdraw(request, pk: int):
    """撤回: the unit takes back its submitted report before the office reviews it."""
    report = get_object_or_404(MonthlyReport.objects.select_related("unit"), pk=pk)
    _check_reads_unit(
        request.user, report.unit_id, missing="没有这份月报。", refused="您不能撤回其他单位的月报。"
    )
    version = request.POST.get("version", "")
    try:
        services.withdraw_report(
            report=report, user=request.user, expected_version=int(version) if version.isdigit() else None
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{report.period:%Y年%m月}月报已撤回，可修改后重新报送。")
    return redirect("reports:detail", report.unit_id, report.period.year, report.period.month)


@login_required
def attachment_download(request, pk: int):
    """A report's evidence file under its original name, for those who may read the report."""
    attachment = get_object_or_404(ReportAttachment.objects.select_related("report"), pk=pk)
    _check_reads_unit(
        request.user,
        attachment.report.unit_id,
        missing="没有这个文件。",
        refused="您不能下载其他单位的月报附件。",
    )
    return evidence_response(attachment)
