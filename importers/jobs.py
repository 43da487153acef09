"""Celery jobs for imports: parsing an upload and applying a large document happen off the request."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from . import services
from .models import PlanImport

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def apply_plan_import(plan_import_id: int, unit_decisions: dict | None = None) -> int | None:
    """Apply a previewed import; running it again after success changes nothing (returns the plan id)."""
    plan_import = PlanImport.objects.get(pk=plan_import_id)
    if plan_import.state != PlanImport.State.PREVIEW:
        return plan_import.plan_id
    return services.apply_import(plan_import=plan_import, unit_decisions=unit_decisions).pk


@shared_task(acks_late=True)
def parse_upload(plan_import_id: int) -> str:
    """Parse a stored upload into its preview (importers.services.parsing); safe to run twice."""
    return services.parse_stored_upload(plan_import_id=plan_import_id)


def queue_parse(plan_import: PlanImport) -> bool:
    """Send the parse job; with the broker down the upload waits (``send_unsent_parses`` retries).

    Returns whether it was sent. The web request never fails because Redis is down."""
    try:
        parse_upload.delay(plan_import.pk)
    except BrokerError as exc:
        log.warning("parse job for import %s not sent yet: %s", plan_import.pk, exc)
        return False
    services.mark_job_sent(plan_import=plan_import)
    return True


@shared_task
def send_unsent_parses() -> int:
    """Send the parse jobs the broker refused while it was down; returns how many went."""
    return sum(queue_parse(plan_import) for plan_import in services.unsent_parses())


@shared_task
def expire_stale_previews() -> int:
    """Drop previews nobody finished within a day (their file and parsed tree; the record stays)."""
    return services.expire_stale_previews()
