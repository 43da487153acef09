"""Filters on monthly reports and rankings."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from bluesky.api.filters import IdFilter
from reports.models import MonthlyRanking, MonthlyReport, RankingRow


class MonthlyReportFilterSet(django_filters.FilterSet):
    unit = IdFilter(label=_("单位"))
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("起始月份"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("截止月份"))
    district = django_filters.CharFilter(field_name="unit__district", label=_("所属区"))

    class Meta:
        model = MonthlyReport
        fields = ["unit", "period", "state"]


class MonthlyRankingFilterSet(django_filters.FilterSet):
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("起始月份"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("截止月份"))

    class Meta:
        model = MonthlyRanking
        fields = ["period"]


class RankingRowFilterSet(django_filters.FilterSet):
    period = django_filters.DateFilter(field_name="ranking__period", label=_("月份"))
    unit = IdFilter(label=_("单位"))

    class Meta:
        model = RankingRow
        fields = ["period", "unit"]
