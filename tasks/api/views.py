"""API views for plans, chapters, tasks, measures, assignments and progress updates.

Reads: plans, chapters and tasks for everyone signed in; measures, their
assignments and progress for the office and viewers, and for unit staff
those their units carry (tasks/permissions.py). An office or viewer account
with a jurisdiction (departments/scopes.py) reads only what its jurisdiction's
plans hold: another jurisdiction's record is a 404, listed or asked for by id.
Writes go through tasks.services, so the API and the pages check and record
the same way.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from bluesky.api.views import ERRORS, ReadViewSet
from departments.roles import can_read_everything
from departments.scopes import reading_scope
from tasks import filters, services
from tasks.models import (
    Assignment,
    Chapter,
    Measure,
    Plan,
    ProgressUpdate,
    Task,
    count_per_row,
    latest_progress_prefetch,
    plan_in_force_q,
    plan_in_scope_q,
)
from tasks.permissions import readable_measures
from tasks.selectors import assignments_in_role_order
from tasks.traffic_light_sql import with_light

from . import serializers


class InForceLists:
    """Lists leave withdrawn plans out (tasks.models.plan_in_force_q); their records stay readable by id."""

    plan_path = "task__plan__"  # from the listed model to its plan

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.in_force(queryset) if self.action == "list" else queryset

    def in_force(self, queryset):
        return queryset.filter(plan_in_force_q(self.plan_path))


class InJurisdiction:
    """Office and viewer accounts read their jurisdiction's plans and what they hold, lists and ids alike."""

    plan_path = "task__plan__"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.filter(plan_in_scope_q(reading_scope(self.request.user), self.plan_path))


class PlanViewSet(InJurisdiction, InForceLists, ReadViewSet):
    plan_path = ""
    queryset = Plan.objects.with_counts().order_by("-year_start", "title", "id")
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilterSet
    ordering_fields = ["title", "year_start", "year_end", "issue_date", "created_at", "measure_count"]


class ChapterViewSet(InJurisdiction, InForceLists, ReadViewSet):
    plan_path = "plan__"
    # Counted per chapter by subqueries, as the tasks below (a join of every task and measure grouped by chapter).
    queryset = Chapter.objects.annotate(
        task_count=count_per_row(Task.objects, "chapter"),
        measure_count=count_per_row(Measure.objects, "task__chapter"),
    ).order_by("plan_id", "number")
    serializer_class = serializers.ChapterSerializer
    filterset_class = filters.ChapterFilterSet
    ordering_fields = ["plan", "number", "title", "measure_count"]


class TaskViewSet(InJurisdiction, InForceLists, ReadViewSet):
    plan_path = "plan__"
    # Counted per task by a subquery: a join of every measure grouped by task cost a city's 16,000 tasks two
    # reads of 50,000 measures (the page and its count), ~70 ms each.
    queryset = Task.objects.annotate(measure_count=count_per_row(Measure.objects, "task")).order_by(
        "plan_id", "number"
    )
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilterSet
    ordering_fields = ["plan", "number", "title", "measure_count"]


class MeasureViewSet(InForceLists, ReadViewSet):
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilterSet
    ordering_fields = ["code", "due_date", "status", "percent", "updated_at", "id"]

    def get_queryset(self):
        measures = (
            with_light(Measure.objects.select_related("task__plan"), today=timezone.localdate())
            .prefetch_related(
                Prefetch("assignments", queryset=assignments_in_role_order()),  # 牵头, 主责, 协办
                "milestones",
                latest_progress_prefetch(),
            )
            .order_by("task__plan_id", "task__number", "sequence", "id")
        )
        return readable_measures(self.request.user, measures)


class AssignmentViewSet(InJurisdiction, InForceLists, ReadViewSet):
    plan_path = "measure__task__plan__"
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.AssignmentFilterSet
    ordering_fields = ["measure", "unit", "role", "id"]

    def get_queryset(self):
        assignments = Assignment.objects.select_related("unit", "measure").order_by(
            "measure_id", "role", "id"
        )
        if can_read_everything(self.request.user):
            return assignments
        return assignments.filter(measure__in=readable_measures(self.request.user, Measure.objects.all()))


class ProgressUpdateViewSet(InJurisdiction, InForceLists, mixins.CreateModelMixin, ReadViewSet):
    plan_path = "measure__task__plan__"
    """Progress updates, newest first; POST files one (as the measure page does)."""

    filterset_class = filters.ProgressUpdateFilterSet
    ordering_fields = ["created_at", "id", "status"]

    def get_serializer_class(self):
        return (
            serializers.ProgressUpdateCreateSerializer
            if self.action == "create"
            else serializers.ProgressUpdateSerializer
        )

    def in_force(self, queryset):
        # Every update (office, viewers): counted without joining each to its plan. A unit's few: the join
        # through its readable measures is what the planner reads them by, so the rule stays a join there.
        if can_read_everything(self.request.user):
            return queryset.of_plans_in_force()
        return super().in_force(queryset)

    def get_queryset(self):
        updates = (
            ProgressUpdate.objects.select_related("unit", "author")
            .prefetch_related("evidence")
            .order_by("-created_at", "-id")
        )
        if can_read_everything(self.request.user):
            return updates
        return updates.filter(measure__in=readable_measures(self.request.user, Measure.objects.all()))

    @extend_schema(
        request=serializers.ProgressUpdateCreateSerializer,
        responses={201: serializers.ProgressUpdateSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        form = serializers.ProgressUpdateCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        update = services.record_progress(
            measure=data["measure"],
            user=request.user,
            status=data["status"],
            note=data["note"],
            percent=data.get("percent"),
            delay_reason=data.get("delay_reason", ""),
            expected_version=data.get("expected_version"),
            unit_id=data.get("unit"),
        )
        update = self.get_queryset().get(pk=update.pk)
        return Response(serializers.ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
