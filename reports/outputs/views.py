"""Pages for the office's generated documents: weekly notices and monthly rankings, listed, built and downloaded.

Thin: the services in notices.py and ranking.py do the work,
the same functions the Celery jobs and the management commands call.
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
from reports.models import MonthlyRanking, WeeklyNotice

from . import notices, ranking
from .forms import MonthForm, WeekForm

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
            notice = notices.build_weekly_notice(week_start=form.cleaned_data["week"])
            messages.success(request, f"已生成{notice}。")
            return redirect("outputs:notices")
    items = [
        (notice, notices.week_end(notice.week_start))  # each notice with its Sunday
        for notice in WeeklyNotice.objects.order_by("-week_start")
    ]
    return render(
        request,
        "reports/outputs/notice_list.html",
        {
            "items": items,
            "form": form,
            "can_build": is_office_admin(request.user),
            "default_week": notices.week_label(notices.previous_week_start(timezone.localdate())),
        },
    )


@login_required
def notice_download(request, pk: int):
    _require_reader(request.user)
    notice = get_object_or_404(WeeklyNotice, pk=pk)
    return _download(notice.file, f"周通报-{notices.week_label(notice.week_start)}.docx", DOCX)


@login_required
def ranking_list(request):
    _require_reader(request.user)
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        if not is_office_admin(request.user):
            raise PermissionDenied("只有大气办可以生成月排名。")
        if form.is_valid():
            built = ranking.build_ranking(period=form.cleaned_data["month"])
            messages.success(request, f"已生成{built}。")
            return redirect("outputs:ranking", year=built.period.year, month=built.period.month)
    items = MonthlyRanking.objects.order_by("-period")
    return render(
        request,
        "reports/outputs/ranking_list.html",
        {"items": items, "form": form, "can_build": is_office_admin(request.user)},
    )


def _ranking_or_404(year: int, month: int) -> MonthlyRanking:
    try:
        period = dt.date(year, month, 1)
    except ValueError:
        raise Http404("没有这个月份。") from None
    return get_object_or_404(MonthlyRanking, period=period)


@login_required
def ranking_detail(request, year: int, month: int):
    _require_reader(request.user)
    item = _ranking_or_404(year, month)
    rows = list(ranking.ranking_table(item))
    bottom_from = max(len(rows) - ranking.TOP_AND_BOTTOM, ranking.TOP_AND_BOTTOM)
    return render(
        request,
        "reports/outputs/ranking_detail.html",
        {
            "ranking": item,
            "rows": rows,
            "formula": ranking.formula_text(item.formula) if item.formula else "",
            "top": ranking.TOP_AND_BOTTOM,
            "bottom_from": bottom_from,
        },
    )


@login_required
def ranking_download(request, year: int, month: int):
    _require_reader(request.user)
    item = _ranking_or_404(year, month)
    return _download(item.file, f"月排名-{item.period:%Y-%m}.xlsx", XLSX)


def _download(field_file, filename: str, content_type: str):
    if not field_file:
        raise Http404("文件尚未生成。")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在，请重新生成。") from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
