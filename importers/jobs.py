"""Celery jobs for imports: a large document can be applied off the request."""

from celery import shared_task

from . import services
from .models import PlanImport


@shared_task(acks_late=True)
def apply_plan_import(plan_import_id: int, unit_decisions: dict | None = None) -> int | None:
    """Apply a previewed import; running it again after success changes nothing (returns the plan id)."""
    plan_import = PlanImport.objects.get(pk=plan_import_id)
    if plan_import.state != PlanImport.State.PREVIEW:
        return plan_import.plan_id
    return services.apply_import(plan_import=plan_import, unit_decisions=unit_decisions).pk
