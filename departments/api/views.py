"""API views for the unit directory: read-only (the office edits units in the admin).

An office or viewer account with a jurisdiction (departments/scopes.py) reads its jurisdiction's units."""

from __future__ import annotations

from django.db.models import Prefetch

from bluesky.api.views import ReadViewSet
from departments.models import Unit
from departments.scopes import reading_scope

from .filtersets import UnitFilterSet
from .serializers import UnitSerializer


class UnitViewSet(ReadViewSet):
    queryset = Unit.objects.prefetch_related(
        "aliases",
        Prefetch("groups", queryset=Unit.objects.order_by("name")),
        Prefetch("members", queryset=Unit.objects.only("id")),
    ).order_by("district", "name", "id")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "district", "kind", "id"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).in_scope(reading_scope(self.request.user))
