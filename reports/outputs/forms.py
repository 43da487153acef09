"""Forms of the notice and ranking pages: the week or month to (re)build."""

from __future__ import annotations

import datetime as dt

from django import forms

from .notices import parse_iso_week


class WeekForm(forms.Form):
    week = forms.CharField(
        label="周次", max_length=10, widget=forms.TextInput(attrs={"placeholder": "2026-W10"})
    )

    def clean_week(self) -> dt.date:
        try:
            return parse_iso_week(self.cleaned_data["week"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class MonthForm(forms.Form):
    month = forms.CharField(
        label="月份", max_length=7, widget=forms.TextInput(attrs={"placeholder": "2026-03"})
    )

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"].strip()
        try:
            return dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("月份格式应为 YYYY-MM，例如 2026-03。") from None
