"""Filters on ids and years that refuse bad input with a 400 (or a form error), never a database error."""

from __future__ import annotations

import django_filters
from django import forms

MAX_ID = 2**62  # ids beyond this are refused as bad input, never sent to the database (SQLite overflows)


class IdFilter(django_filters.NumberFilter):
    """An id or other whole number, bounded, so bad input is a 400 and not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not (str(value).isdigit() and 0 < int(value) <= MAX_ID):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelIdFilter(django_filters.ModelChoiceFilter):
    """A select of objects for the pages; bad ids are a 400 in the API."""

    field_class = BoundedModelChoiceField


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1900, max_value=2200, **kwargs)
