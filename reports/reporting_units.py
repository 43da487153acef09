"""Which units owe a monthly report and are ranked: the active units that carry at least one measure.

Group names (各街乡镇 …) stand for other units and never report themselves.
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from departments.models import Unit
from tasks.models import Assignment


def reporting_units() -> QuerySet[Unit]:
    return (
        Unit.objects.active().exclude(kind=Unit.Kind.GROUP)
        .filter(Exists(Assignment.objects.filter(unit=OuterRef("pk"))))
        .order_by("name", "pk")
    )
