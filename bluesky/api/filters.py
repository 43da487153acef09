"""Filters that refuse bad input with a 400 (or a form error), never a database error or a silent "all".

Each says its type and range in the API's schema (``extend_schema_field``), so the schema and the
filter agree on what is valid (Schemathesis checks both ways, tests/api/test_api_schema.py). An empty
value is no filter; a parameter given twice is refused (``SingleValuedFilterBackend``).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

MAX_ID = 2**62  # ids beyond this are refused as bad input, never sent to the database (SQLite overflows)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
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
        try:
            return super().to_python(value)
        except forms.ValidationError:  # a well-formed id of nothing offered: filter by it, find nothing
            return int(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class ModelIdFilter(django_filters.ModelChoiceFilter):
    """A select of objects for the pages; malformed ids are a 400 in the API, an id of nothing finds
    nothing (as ``IdFilter``)."""

    field_class = BoundedModelChoiceField


class OpenChoiceField(django_filters.fields.ChoiceField):
    default_validators = [
        ProhibitNullCharactersValidator(gettext_lazy("不能包含空字符（NUL）。"))
    ]  # not to the DB

    def valid_value(self, value):
        return True


class OpenChoiceFilter(django_filters.ChoiceFilter):
    """A select of the values in use (districts) whose other values are no error but find nothing: the API
    documents them as text, since the list changes with the data."""

    field_class = OpenChoiceField


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1900, max_value=2200, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (also True/False, 1/0); empty or "unknown" (the pages' 全部) is no filter; anything else
    is an error, where Django's NullBooleanField quietly reads it as "no filter"."""

    TRUE, FALSE, NONE = ("true", "True", "1"), ("false", "False", "0"), ("", "unknown")

    def to_python(self, value):
        if value is None or value in self.NONE:
            return None
        if isinstance(value, bool):
            return value
        if value in self.TRUE or value in self.FALSE:
            return value in self.TRUE
        raise forms.ValidationError(_("请填写 true 或 false。"), code="invalid")

    def validate(self, value):
        pass


class RawNullBooleanSelect(forms.NullBooleanSelect):
    """The 全部/是/否 select, handing the field what was sent (Django's maps anything unknown to "all")."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", RawNullBooleanSelect)
        super().__init__(*args, **kwargs)


class SingleValuedFilterBackend(DjangoFilterBackend):
    """django-filter with each query parameter given at most once: ``?unit=1&unit=2`` would read the last
    one and quietly drop the first, so it is a 400 saying which parameter."""

    def filter_queryset(self, request, queryset, view):
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise ValidationError({name: [_("该参数只能给一次。")] for name in repeated})
        return super().filter_queryset(request, queryset, view)


class NoNulOrderingFilter(OrderingFilter):
    """DRF's ``?ordering=`` (unknown fields are ignored, as DRF does), but text with a NUL character is a
    400, as for every other text parameter (the schema says so: bluesky/api/schema.py)."""

    def get_ordering(self, request, queryset, view):
        if "\x00" in request.query_params.get(self.ordering_param, ""):
            raise ValidationError({self.ordering_param: [_("不能包含空字符（NUL）。")]})
        return super().get_ordering(request, queryset, view)
