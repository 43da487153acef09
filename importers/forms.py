"""Forms for uploading a plan and deciding about unknown unit names."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from departments.models import Unit

ACCEPTED_SUFFIXES = (".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pdf", ".txt")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("计划文件"),
        help_text=_("支持 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、PDF（含扫描件）和 .txt"),
    )
    district = forms.CharField(
        label=_("所属区"), required=False, max_length=20, help_text=_("文件中未写明时填写，如“丰台区”")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BLUESKY_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件超过大小上限（%(mb)d MB）。")
                % {"mb": settings.BLUESKY_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的，请重新选择。"))
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                _("不支持的文件类型：请上传 .docx、.doc、.wps、.xlsx、.xls、.et、.pdf 或 .txt 文件。")
            )
        return upload


class UnitDecisionForm(forms.Form):
    """One unknown unit name: map it to a directory unit, create it (flagged), or ignore it."""

    ACTIONS = [("create", _("新建单位（待核实）")), ("map", _("对应到已有单位")), ("ignore", _("忽略"))]

    name = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("处理方式"), choices=ACTIONS, initial="create")
    unit = forms.ModelChoiceField(label=_("已有单位"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.active()

    def clean(self):
        data = super().clean()
        if data.get("action") == "map" and not data.get("unit"):
            self.add_error("unit", _("请选择要对应的单位。"))
        return data


UnitDecisionFormSet = forms.formset_factory(UnitDecisionForm, extra=0)


class NewPlanForm(forms.Form):
    """新建计划: what a plan built by hand needs before its first chapter."""

    title = forms.CharField(label=_("计划名称"), max_length=200)
    district = forms.CharField(label=_("所属区"), required=False, max_length=20, help_text=_("市级计划留空"))
    year_start = forms.IntegerField(label=_("起始年份"), min_value=2000, max_value=2100)
    year_end = forms.IntegerField(label=_("截止年份"), min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        if data.get("year_start") and data.get("year_end") and data["year_end"] < data["year_start"]:
            self.add_error("year_end", _("截止年份不能早于起始年份。"))
        return data
