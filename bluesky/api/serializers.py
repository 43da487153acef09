"""Serializer plumbing shared by the apps' APIs: lists of many plain rows, read without DRF's walk per field."""

from __future__ import annotations

from operator import attrgetter

from django.db import models
from rest_framework import serializers
from rest_framework.relations import RelatedField


def _reader(field) -> tuple[str, attrgetter, object]:
    """(name, how to read the value from a row, how to show it) for one of the child's readable fields."""
    attrs = list(field.source_attrs)
    if isinstance(field, RelatedField):
        # DRF's primary-key optimisation: the foreign key's id column, never the related row.
        return field.field_name, attrgetter(".".join([*attrs[:-1], f"{attrs[-1]}_id"])), _same
    return field.field_name, attrgetter(".".join(attrs)), _SHOWN_AS.get(type(field), field.to_representation)


def _same(value):
    return value


# What these fields' to_representation returns, without the method call.
_SHOWN_AS = {serializers.IntegerField: int, serializers.CharField: str}


class FlatListSerializer(serializers.ListSerializer):
    """Many rows of plain fields at once (a ranking over a city's units has 1,500 rows): each field read by one
    attribute lookup and shown by the field's own ``to_representation``.

    DRF's ``Serializer.to_representation`` walks its fields for every row (``get_attribute`` with its error
    handling, a ``PKOnlyObject`` per foreign key, ``SkipField`` checks): three times the cost of the
    conversions themselves. The answer is the child's, key for key (tests/api/test_api_list_answers.py).

    For children whose fields read attributes or follow foreign keys (``source="unit.name"``) and primary-key
    related fields; a child with a nested serializer, a method field or ``source="*"`` is serialized by DRF.
    """

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        fields = list(self.child._readable_fields)
        if not all(_plain(field) for field in fields):
            return super().to_representation(rows)
        readers = [_reader(field) for field in fields]
        return [
            {name: None if (value := read(row)) is None else show(value) for name, read, show in readers}
            for row in rows
        ]


def _plain(field) -> bool:
    if isinstance(field, (serializers.BaseSerializer, serializers.SerializerMethodField)):
        return False
    if isinstance(field, RelatedField):
        return field.use_pk_only_optimization() and getattr(field, "pk_field", None) is None
    return field.source != "*"
