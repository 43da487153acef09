"""Forms of the measure pages: the 我的任务 filters, the progress update, the office's unit changes.

The forms only type and shape the input; the services decide what is allowed
and what is valid, so the page, the API and the admin behave the same.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bluesky.api.widgets import QuickSelect
from departments.models import Unit

from .models import Assignment, Measure, Plan
from .selectors import DUE_WINDOWS, SIGNED_OFF, MeasureFilters
from .services import UploadedFile

MAX_FILES_PER_UPDATE = 10


class MeasureFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("措施内容、编号或任务"), "type": "search"}),
    )
    plan = forms.ModelChoiceField(
        label=_("行动计划"),
        queryset=Plan.objects.in_force().order_by("-year_start", "title"),
        required=False,
        empty_label=_("全部计划"),
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=[("", _("全部角色")), *Assignment.Role.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *Measure.Status.choices, (SIGNED_OFF, _("已销号"))],
    )
    due = forms.ChoiceField(
        label=_("完成时限"), required=False, choices=[("", _("全部时限")), *DUE_WINDOWS.items()]
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = units
        # (id, name) of the units offered: a city's 1,500 written by QuickSelect from one values query, where
        # the field's own choices would build each unit and Django's Select render each option by template.
        self.unit_options = list(units.values_list("pk", "name"))
        unit.widget = QuickSelect(choices=[("", unit.empty_label), *self.unit_options])

    def filters(self) -> MeasureFilters:
        """The filters to apply; invalid values (a forged id, an unknown status) are simply ignored."""
        if not self.is_bound:
            return MeasureFilters()
        self.is_valid()  # cleaned_data keeps the valid fields only
        data = self.cleaned_data
        return MeasureFilters(
            plan_id=data["plan"].pk if data.get("plan") else None,
            unit_id=data["unit"].pk if data.get("unit") else None,
            role=data.get("role", ""),
            status=data.get("status", ""),
            due=data.get("due", ""),
            q=(data.get("q") or "").strip(),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def read_evidence_uploads(uploads) -> list[UploadedFile]:
    """The chosen evidence files, read into memory once their count and sizes pass (a form's clean_files;
    the services then check their content with tasks.evidence.check_evidence)."""
    if len(uploads) > MAX_FILES_PER_UPDATE:
        raise forms.ValidationError(
            gettext("一次最多上传 %(count)d 个文件。") % {"count": MAX_FILES_PER_UPDATE}
        )
    limit = settings.BLUESKY_MAX_UPLOAD_BYTES
    for upload in uploads:
        if upload.size > limit:  # refused before reading it into memory
            raise forms.ValidationError(
                gettext("“%(name)s”超过 %(megabytes)d MB，请压缩后上传。")
                % {"name": upload.name, "megabytes": limit // (1024 * 1024)}
            )
    total_limit = settings.BLUESKY_MAX_UPLOAD_TOTAL_BYTES
    if sum(upload.size for upload in uploads) > total_limit:  # the files are read into memory below
        raise forms.ValidationError(
            gettext("这次选择的文件合计超过 %(megabytes)d MB，请分几次上传或压缩后上传。")
            % {"megabytes": total_limit // (1024 * 1024)}
        )
    return [UploadedFile(name=upload.name, data=upload.read()) for upload in uploads]


class ProgressForm(forms.Form):
    """A progress update. ``unit`` is the unit reported for; the service checks the user may."""

    status = forms.ChoiceField(label=_("状态"), choices=Measure.Status.choices)
    percent = forms.IntegerField(
        label=_("完成百分比"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("完成百分比应在 0 到 100 之间。"),
            "max_value": _("完成百分比应在 0 到 100 之间。"),
            "invalid": _("请填写 0 到 100 之间的整数。"),
        },
    )
    note = forms.CharField(
        label=_("进展情况"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    delay_reason = forms.CharField(
        label=_("无法按期完成的原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("PDF、图片（PNG/JPEG）、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx），可多选"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)  # one per rendered form
    unit = forms.IntegerField(label=_("填报单位"), required=False)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())
        self.unit_choices = list(unit_choices)  # [(unit_id, name)], rendered as a select

    def clean_files(self):
        return read_evidence_uploads(self.cleaned_data.get("files") or [])

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "percent": data["percent"],
            "note": data["note"],
            "delay_reason": data["delay_reason"],
            "files": data["files"],
            "expected_version": data["version"],
            "unit_id": data["unit"],
            "submission": data["submission"],
        }


class AssignmentForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.active().order_by("district", "name"),
        empty_label=_("选择单位"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=Assignment.Role.choices)
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)


class CommentForm(forms.Form):
    """The optional comment of a sign-off (销号) or a removal of a unit."""

    comment = forms.CharField(label=_("说明"), required=False, max_length=500)
