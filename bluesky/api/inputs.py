"""Inputs the API must refuse with a 400, not crash on: odd time zones, JSON nested without end.

- A UTC offset beyond ±15:59 parses in Python but PostgreSQL refuses it ("time zone displacement out
  of range"): the request answered 500. ``InstantFilter`` refuses it in the form, in Chinese.
- ``json.loads`` recurses once per nesting level: a body nested 50,000 deep raised RecursionError (500).
  ``BoundedJSONParser`` refuses bodies nested deeper than any real request (100 levels) before parsing.
"""

from __future__ import annotations

import datetime as dt
import io

import django_filters
from django import forms
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)
MAX_JSON_DEPTH = 100


class InstantField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        instant = super().to_python(value)
        if (
            instant is not None
            and instant.utcoffset() is not None
            and abs(instant.utcoffset()) > MAX_UTC_OFFSET
        ):
            raise forms.ValidationError("时区偏移超出范围（应在 −15:59 到 +15:59 之间）。", code="offset")
        return instant


class InstantFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, with a UTC offset the database can store."""

    field_class = InstantField


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (a linear scan, no recursion)."""
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        if json_depth_exceeds(raw, MAX_JSON_DEPTH):
            raise ParseError(f"请求内容嵌套层数过多（上限 {MAX_JSON_DEPTH} 层）。")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
