"""The office's corrections to what an upload says about itself (title, 发文字号, years …)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.jurisdictions import JurisdictionIndex
from tasks.models import Plan

_CODE_IN_BRACKETS = re.compile(r"[（(](?P<code>\d{6,12})[）)]$")


class PlanMetadataForm(forms.Form):
    """The plan's own fields in the preview; an empty field stays as read (or as the imported plan has it)."""

    title = forms.CharField(label=_("计划名称"), max_length=200, required=False)
    issuing_body = forms.CharField(label=_("发文机关"), max_length=120, required=False)
    doc_number = forms.CharField(label=_("发文字号"), max_length=60, required=False)
    level = forms.ChoiceField(label=_("层级"), choices=[("", "—"), *Plan.Level.choices], required=False)
    district = forms.CharField(label=_("所属区"), max_length=20, required=False)
    jurisdiction = forms.CharField(
        label=_("所属行政区划"),
        max_length=60,
        required=False,
        help_text=_("区划代码或名称，如 110106、丰台区、石家庄市长安区；计划和导入时新建的单位归属于它"),
    )
    year_start = forms.IntegerField(label=_("起始年份"), min_value=2000, max_value=2100, required=False)
    year_end = forms.IntegerField(label=_("截止年份"), min_value=2000, max_value=2100, required=False)
    issue_date = forms.DateField(
        label=_("印发日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    @classmethod
    def for_parsed(cls, parsed: dict, data=None):
        initial = {name: parsed.get(name) for name in cls.base_fields}
        initial["jurisdiction"] = parsed.get("jurisdiction_name", "")
        return cls(data, initial=initial, prefix="meta")

    def clean_jurisdiction(self) -> str:
        """The code of the jurisdiction written (a code, a name, or the preview's own 丰台区（110106）)."""
        text = self.cleaned_data.get("jurisdiction", "").strip()
        if not text:
            return ""
        bracketed = _CODE_IN_BRACKETS.search(text)
        found, reason = JurisdictionIndex().find(bracketed.group("code") if bracketed else text)
        if found is None:
            raise forms.ValidationError(reason)
        return found.code

    def clean(self):
        data = super().clean()
        if data.get("year_start") and data.get("year_end") and data["year_end"] < data["year_start"]:
            self.add_error("year_end", _("截止年份不能早于起始年份。"))
        return data

    def changed_fields(self) -> dict:
        """The fields the office filled in (an emptied field is not a change: nothing is blanked)."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：重复导入、文件有误")}),
    )
