"""Forms of the monthly report pages: submitting a report (with its evidence files), reviewing it."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tasks.forms import MultipleFileField, read_evidence_uploads

from .models import ReportReview


class ReportSubmitForm(forms.Form):
    summary = forms.CharField(
        label=_("本月工作小结"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写本月工作小结。")},
    )
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("PDF、图片（PNG/JPEG）、Word（.docx）、Excel（.xlsx），可多选"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)  # one per rendered form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())

    def clean_files(self):
        return read_evidence_uploads(self.cleaned_data.get("files") or [])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("结论"), choices=ReportReview.Decision.choices)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
