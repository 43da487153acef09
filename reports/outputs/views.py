"""Pages for the office's generated documents: weekly notices and monthly rankings, listed, built and downloaded.

Thin: the services in notices.py and ranking.py do the work,
the same functions the Celery jobs and the management commands call. Each account works with the notices
and rankings of its jurisdiction (departments/scopes.py; an account without one with those over everything):
another jurisdiction's is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from departments.roles import can_read_everything, is_office_admin
from departments.scopes import scope_of
from reports.models import MonthlyRanking, WeeklyNotice

from . import notices, ranking, ranking_boards
from .forms import MonthForm, NoticeTextsForm, WeekForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_reader(user) -> None:
    if not can_read_everything(user):
        raise PermissionDenied("只有大气办和领导查看账号可以查看通报和排名。")


@login_required
def notice_list(request):
    _require_reader(request.user)
    form = WeekForm(request.POST or None)
    if request.method == "POST":
        if not is_office_admin(request.user):
            raise PermissionDenied("只有大气办可以生成周通报。")
        if form.is_valid():
            notice = notices.build_weekly_notice(
                week_start=form.cleaned_data["week"], scope=scope_of(request.user)
            )
            messages.success(request, f"已生成{notice}。")
            return redirect("outputs:notices")
    items = [
        (notice, notices.week_end(notice.week_start))  # each notice with its Sunday
        for notice in WeeklyNotice.objects.filter(jurisdiction=scope_of(request.user)).order_by("-week_start")
    ]
    return render(
        request,
        "reports/outputs/notice_list.html",
        {
            "items": items,
            "form": form,
            "can_build": is_office_admin(request.user),
            "scope": scope_of(request.user),
            "default_week": notices.week_label(notices.previous_week_start(timezone.localdate())),
        },
    )


@login_required
def notice_detail(request, pk: int):
    """One notice: its figures, and the office's opening and closing words, saved and rebuilt on submit."""
    _require_reader(request.user)
    notice = get_object_or_404(WeeklyNotice, pk=pk, jurisdiction=scope_of(request.user))
    initial = {
        "opening": notice.opening or notices.default_opening(notice.week_start),
        "closing": notice.closing or notices.DEFAULT_CLOSING,
    }
    form = NoticeTextsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not is_office_admin(request.user):
            raise PermissionDenied("只有大气办可以修改周通报。")
        if form.is_valid():
            notices.save_notice_texts(notice=notice, **form.cleaned_data)
            messages.success(request, f"已保存开头语和结束语，并重新生成{notice}。")
            return redirect("outputs:notice", pk=notice.pk)
    return render(
        request,
        "reports/outputs/notice_detail.html",
        {
            "notice": notice,
            "week_end": notices.week_end(notice.week_start),
            "form": form,
            "can_edit": is_office_admin(request.user),
        },
    )


@login_required
def notice_download(request, pk: int):
    _require_reader(request.user)
    notice = get_object_or_404(WeeklyNotice, pk=pk, jurisdiction=scope_of(request.user))
    return _download(notice.file, f"周通报-{notices.week_label(notice.week_start)}.docx", DOCX)


@login_required
def ranking_list(request):
    _require_reader(request.user)
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        if not is_office_admin(request.user):
            raise PermissionDenied("只有大气办可以生成月排名。")
        if form.is_valid():
            built = ranking.build_ranking(period=form.cleaned_data["month"], scope=scope_of(request.user))
            messages.success(request, f"已生成{built}。")
            return redirect("outputs:ranking", year=built.period.year, month=built.period.month)
    scope = scope_of(request.user)
    items = MonthlyRanking.objects.filter(jurisdiction=scope).order_by("-period")
    return render(
        request,
        "reports/outputs/ranking_list.html",
        {"items": items, "form": form, "can_build": is_office_admin(request.user), "scope": scope},
    )


def _ranking_or_404(user, year: int, month: int) -> MonthlyRanking:
    try:
        period = dt.date(year, month, 1)
    except ValueError:
        raise Http404("没有这个月份。") from None
    return get_object_or_404(MonthlyRanking, period=period, jurisdiction=scope_of(user))


@login_required
def ranking_detail(request, year: int, month: int):
    _require_reader(request.user)
    item = _ranking_or_404(request.user, year, month)
    page, boards = ranking.ranking_boards_page(item, request.GET.get("page"))
    return render(
        request,
        "reports/outputs/ranking_detail.html",
        {
            "ranking": item,
            "boards": boards,
            "page": page,
            "scope": item.jurisdiction,
            "formula": ranking.formula_text(item.formula) if item.formula else "",
            "unranked": ranking_boards.unranked_note(item.unranked),
        },
    )


@login_required
def ranking_download(request, year: int, month: int):
    _require_reader(request.user)
    item = _ranking_or_404(request.user, year, month)
    scope = f"{item.jurisdiction.name}-" if item.jurisdiction else ""
    return _download(item.file, f"{scope}月排名-{item.period:%Y-%m}.xlsx", XLSX)


def _download(field_file, filename: str, content_type: str):
    if not field_file:
        raise Http404("文件尚未生成。")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在，请重新生成。") from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
