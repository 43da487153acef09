"""The reminder channels a person chooses."""

from __future__ import annotations

from django import forms

from reports.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["in_app", "by_email", "by_webhook"]
