"""API tokens page (/accounts/tokens/): issue one (shown once), list, revoke. The office sees everyone's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import api_tokens, roles
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
