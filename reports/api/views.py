"""API views for monthly reports and rankings. Writing a report goes through reports.services.

An office or viewer account with a jurisdiction (departments/scopes.py) reads its jurisdiction's units'
reports and its own rankings; another jurisdiction's report is a 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from bluesky.api.views import ERRORS, ReadViewSet
from departments.models import Unit
from departments.roles import can_read_everything, user_unit_ids
from departments.scopes import scope_of
from reports import services
from reports.models import MonthlyRanking, MonthlyReport, MonthlyReportItem, RankingRow

from . import filtersets, serializers


class MonthlyReportViewSet(mixins.CreateModelMixin, ReadViewSet):
    """Monthly reports: the office and viewers read all, unit staff their units'. POST opens a draft;
    POST …/submit/ submits it (the same checks as the report page)."""

    filterset_class = filtersets.MonthlyReportFilterSet
    ordering_fields = ["period", "due_date", "state", "first_submitted_at", "id"]

    def get_queryset(self):
        reports = MonthlyReport.objects.select_related("unit").order_by("-period", "unit_id")
        if self.action == "retrieve":
            reports = reports.prefetch_related(
                # Only what an item shows: a busy unit's report holds 1,600 of them.
                Prefetch(
                    "items",
                    queryset=MonthlyReportItem.objects.select_related("measure").only(
                        "report", "measure__code", "status", "percent", "note"
                    ),
                ),
                "reviews__reviewer",
            )
        if can_read_everything(self.request.user):
            return reports.in_scope(scope_of(self.request.user))
        return reports.filter(unit_id__in=user_unit_ids(self.request.user))

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.MonthlyReportCreateSerializer
        if self.action == "submit":
            return serializers.MonthlyReportSubmitSerializer
        if self.action == "retrieve":
            return serializers.MonthlyReportDetailSerializer
        return serializers.MonthlyReportSerializer

    @extend_schema(
        request=serializers.MonthlyReportCreateSerializer,
        responses={201: serializers.MonthlyReportSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        form = serializers.MonthlyReportCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        unit = Unit.objects.in_scope(scope_of(request.user)).filter(pk=form.validated_data["unit"]).first()
        if (
            unit is None
        ):  # a well-formed id of nothing (or of another jurisdiction): 404, as for /api/units/{id}/
            raise NotFound("没有这个单位。")
        report = services.get_or_create_report(
            unit=unit, period=form.validated_data["period"], user=request.user
        )
        return Response(serializers.MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.MonthlyReportSubmitSerializer,
        responses={200: serializers.MonthlyReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = get_object_or_404(
            MonthlyReport.objects.in_scope(scope_of(request.user)).select_related("unit"), pk=pk
        )
        form = serializers.MonthlyReportSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.submit_report(
            report=report,
            user=request.user,
            summary=form.validated_data.get("summary"),
            expected_version=form.validated_data.get("expected_version"),
        )
        return Response(serializers.MonthlyReportSerializer(report).data)


class RankingReaders(BasePermission):
    """The ranking is the office's and the leaders' (as its pages, /jobs/rankings/): not unit staff's."""

    message = "月排名仅向大气办和领导开放。"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and can_read_everything(request.user))


class OwnScopeRankings:
    """An account reads the rankings of its own jurisdiction (none: those over every unit)."""

    ranking_path = ""

    def filter_queryset(self, queryset):
        scope = scope_of(self.request.user)
        return super().filter_queryset(queryset).filter(**{f"{self.ranking_path}jurisdiction": scope})


class MonthlyRankingViewSet(OwnScopeRankings, ReadViewSet):
    """月排名, newest first, each with its rows in rank order."""

    permission_classes = [RankingReaders]
    # The prefetch gives each row its ranking (the one being serialized): joining it again built a ranking,
    # and parsed its formula, for each of a city's 1,500 rows.
    queryset = MonthlyRanking.objects.prefetch_related(
        Prefetch("rows", queryset=RankingRow.objects.with_unit_name().order_by("board", "rank"))
    ).order_by("-period")
    serializer_class = serializers.MonthlyRankingSerializer
    filterset_class = filtersets.MonthlyRankingFilterSet
    ordering_fields = ["period"]


class RankingRowViewSet(OwnScopeRankings, ReadViewSet):
    """One unit's place in each month's ranking (filter by period or unit)."""

    ranking_path = "ranking__"

    permission_classes = [RankingReaders]
    queryset = (
        RankingRow.objects.with_unit_name().select_related("ranking").order_by("-ranking__period", "rank")
    )
    serializer_class = serializers.RankingRowSerializer
    filterset_class = filtersets.RankingRowFilterSet
    ordering_fields = ["rank", "score", "overdue"]
