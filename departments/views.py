"""Account pages: API tokens (/accounts/tokens/: issue one, shown once; list; revoke; the office sees everyone's)
and the 操作日志 (/audit/: the audit trail, filtered, paged, as .xlsx)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bluesky.sheet_layout import Sheet, describe_filters, xlsx_response

from . import api_tokens, audit, roles
from .models import ApiToken


class IssueTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如：区数据平台对接")
    days = forms.IntegerField(
        label="有效期（天）", min_value=1, max_value=api_tokens.MAX_DAYS, initial=api_tokens.DEFAULT_DAYS
    )


def _visible_tokens(user):
    tokens = ApiToken.objects.select_related("user")
    return tokens if roles.is_office_admin(user) else tokens.filter(user=user)


@never_cache
@login_required
def token_list(request):
    form = IssueTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and not roles.is_viewer(request.user) and form.is_valid():
        token, secret = api_tokens.issue_token(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = IssueTokenForm()
    return render(
        request,
        "departments/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": _visible_tokens(request.user)[:200],
            "can_issue": not roles.is_viewer(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(_visible_tokens(request.user), pk=pk)
    api_tokens.revoke_token(token=token, reason=f"由 {request.user.get_username()} 撤销")
    messages.success(request, f"令牌“{token}”已撤销，不能再使用。")
    return redirect("api_tokens")


AUDIT_COLUMNS = ("时间", "操作人", "API 令牌", "操作", "对象类型", "对象", "字段", "修改前", "修改后")


def _audit_sheet(rows) -> Sheet:
    """One line per changed field (an entry without changes keeps one line)."""
    lines = []
    for row in rows:
        head = [
            row.entry.timestamp,
            row.actor,
            row.api_token,
            row.action,
            row.object_type,
            row.entry.object_repr,
        ]
        lines.extend([*head, c.field, c.before, c.after] for c in row.changes or [audit.Change("", "", "")])
    return Sheet(title="操作日志", columns=AUDIT_COLUMNS, rows=lines)


@never_cache
@login_required
def audit_log(request):
    if not audit.can_read_audit_log(request.user):
        raise PermissionDenied("只有大气办（不限辖区）可以查看操作日志。")
    filterset = audit.audit_entries(request.GET)
    entries = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _audit_sheet(audit.entry_rows(entries.iterator(chunk_size=2000))),
            filename="操作日志",
            filters=describe_filters(filterset),
        )
    page = Paginator(entries, audit.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "departments/audit_log.html",
        {"filterset": filterset, "form": filterset.form, "page": page, "rows": audit.entry_rows(page)},
    )
