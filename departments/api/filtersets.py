"""Filters on units: used by the API and the by-unit dashboard."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bluesky.api.filters import IdFilter, OpenChoiceFilter, StrictBooleanFilter
from bluesky.api.widgets import QuickSelect
from departments.models import Unit


def unit_district_choices():
    names = (
        Unit.objects.exclude(district="").order_by("district").values_list("district", flat=True).distinct()
    )
    return [(name, name) for name in names]


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    district = OpenChoiceFilter(
        choices=unit_district_choices, label=_("所属区"), widget=QuickSelect, empty_label=_("全部区")
    )
    kind = django_filters.ChoiceFilter(
        choices=Unit.Kind.choices, label=_("类别"), widget=QuickSelect, empty_label=_("全部类别")
    )
    group = IdFilter(field_name="groups", label=_("所属统称"))
    is_active = StrictBooleanFilter(label=_("启用"))
    needs_review = StrictBooleanFilter(label=_("待核实"))

    class Meta:
        model = Unit
        fields = ["q", "district", "kind", "is_active", "needs_review"]

    def search(self, queryset, name, value):
        """By name or by any alias or former name."""
        return queryset.filter(Q(name__icontains=value) | Q(aliases__name__icontains=value)).distinct()
