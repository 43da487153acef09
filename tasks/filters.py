"""Filters on plans, chapters, tasks, measures, assignments and progress: one set each, used alike by the API
(tasks/api/views.py) and the pages (the dashboards, the measure lists)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluesky.api.filters import IdFilter, ModelIdFilter, OpenChoiceFilter, StrictBooleanFilter, YearFilter
from bluesky.api.inputs import InstantFilter
from bluesky.api.widgets import QuickSelect
from departments.models import Unit
from departments.scopes import reading_scope
from tasks import traffic_light_sql
from tasks.models import Assignment, Chapter, Measure, Plan, ProgressUpdate, Task
from tasks.traffic_light import Light

LIGHT_CHOICES = [(light.value, light.label) for light in Light]


def _reading_scope(request):
    """The jurisdiction an office or viewer account reads (None: all); the choices offer nothing outside it."""
    user = getattr(request, "user", None)
    return reading_scope(user) if user is not None else None


def plans_in_force_to_choose(request):
    return Plan.objects.in_force().in_scope(_reading_scope(request))


def carrying_units_to_choose(request):
    return (
        Unit.objects.in_scope(_reading_scope(request))
        .filter(Exists(Assignment.objects.filter(unit=OuterRef("pk"))))
        .order_by("district", "name")
    )


def district_choices():
    """Districts of plans and units, for the select box (one query each)."""
    # order_by(): the models' default orderings would make the database keep a row per plan and per unit.
    names = set(Plan.objects.exclude(district="").order_by().values_list("district", flat=True).distinct())
    names |= set(Unit.objects.exclude(district="").order_by().values_list("district", flat=True).distinct())
    return [(name, name) for name in sorted(names)]


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    year = YearFilter(method="filter_year", label=_("年份"))

    class Meta:
        model = Plan
        fields = ["level", "district"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(doc_number__icontains=value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(year_start__lte=value, year_end__gte=value)


class ChapterFilterSet(django_filters.FilterSet):
    plan = IdFilter(label=_("行动计划"))

    class Meta:
        model = Chapter
        fields = ["plan"]


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("搜索"))
    plan = IdFilter(label=_("行动计划"))
    chapter = IdFilter(label=_("章节"))

    class Meta:
        model = Task
        fields = ["plan", "chapter"]


class MeasureFilterSet(django_filters.FilterSet):
    """Plan, district, year, unit and role, status, traffic light and a text search across the measure."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))
    plan = ModelIdFilter(
        field_name="task__plan",
        queryset=plans_in_force_to_choose,
        label=_("行动计划"),
        widget=QuickSelect,
        empty_label=_("全部计划"),
    )
    chapter = IdFilter(field_name="task__chapter", label=_("章节"))
    district = OpenChoiceFilter(
        method="filter_district",
        choices=district_choices,
        label=_("区"),
        widget=QuickSelect,
        empty_label=_("全部区"),
    )
    year = YearFilter(field_name="due_date__year", label=_("完成年份"))
    unit = ModelIdFilter(
        method="filter_unit",
        label=_("责任单位"),
        widget=QuickSelect,
        empty_label=_("全部单位"),
        queryset=carrying_units_to_choose,
    )
    role = django_filters.ChoiceFilter(
        method="filter_role",
        choices=Assignment.Role.choices,
        label=_("角色"),
        widget=QuickSelect,
        empty_label=_("全部角色"),
    )
    status = django_filters.ChoiceFilter(
        choices=Measure.Status.choices, label=_("状态"), widget=QuickSelect, empty_label=_("全部状态")
    )
    light = django_filters.ChoiceFilter(
        method="filter_light",
        choices=LIGHT_CHOICES,
        label=_("红黄绿灯"),
        widget=QuickSelect,
        empty_label=_("全部"),
    )
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("完成日期起"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("完成日期止"))
    needs_review = StrictBooleanFilter(label=_("待核实"))

    class Meta:
        model = Measure
        fields = ["q", "plan", "chapter", "district", "year", "unit", "role", "status", "light"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(text__icontains=value)
            | Q(code__iexact=value)
            | Q(deadline_text__icontains=value)
            | Q(task__title__icontains=value)
        )

    def filter_district(self, queryset, name, value: str):
        units_there = Assignment.objects.filter(measure=OuterRef("pk"), unit__district=value)
        return queryset.filter(Q(task__plan__district=value) | Exists(units_there))

    def _carried(self, queryset):
        """Unit and role together: measures the unit carries in that role (either alone: any)."""
        data = self.form.cleaned_data
        unit, role = data.get("unit"), data.get("role")
        assignments = Assignment.objects.filter(measure=OuterRef("pk"))
        if unit is not None:
            assignments = assignments.filter(unit=unit)
        if role:
            assignments = assignments.filter(role=role)
        return queryset.filter(Exists(assignments))

    def filter_unit(self, queryset, name, value: int):
        return self._carried(queryset)

    def filter_role(self, queryset, name, value):
        # With a unit given, filter_unit has applied both already.
        return queryset if self.form.cleaned_data.get("unit") is not None else self._carried(queryset)

    def filter_light(self, queryset, name, value):
        return traffic_light_sql.filter_light(queryset, value, today=timezone.localdate())


class AssignmentFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="measure__task__plan", label=_("行动计划"))
    measure = IdFilter(label=_("措施"))
    unit = IdFilter(label=_("单位"))
    district = django_filters.CharFilter(field_name="unit__district", label=_("区"))
    confirmed = StrictBooleanFilter(label=_("已确认"))

    class Meta:
        model = Assignment
        fields = ["measure", "unit", "role", "source", "confirmed"]


class ProgressUpdateFilterSet(django_filters.FilterSet):
    since = InstantFilter(field_name="created_at", lookup_expr="gte", label=_("起始时间"))
    until = InstantFilter(field_name="created_at", lookup_expr="lt", label=_("截止时间"))
    measure = IdFilter(label=_("措施"))
    unit = IdFilter(label=_("填报单位"))

    class Meta:
        model = ProgressUpdate
        fields = ["measure", "unit", "status"]
