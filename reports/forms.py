"""Forms of the monthly report pages: submitting a report, reviewing it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportReview


class ReportSubmitForm(forms.Form):
    summary = forms.CharField(
        label=_("本月工作小结"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写本月工作小结。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), choices=ReportReview.Decision.choices)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
