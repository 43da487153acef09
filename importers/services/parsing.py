"""Parsing off the web worker: the upload page stores the file, a Celery job parses it.

A 17 MB plan took a minute to parse and held a web worker until gunicorn gave up. Now
``store_upload`` only checks what is quick (size, format, the same file imported before) and keeps
the bytes on a ``PlanImport`` in state ``parsing``; ``parse_stored_upload`` (run by
``importers.jobs.parse_upload``) parses, saying which step it is at, and leaves a preview or the
Chinese reason it could not. Both are safe to run twice. ``expire_stale_previews`` (a scheduled job)
drops the files and parsed trees of imports nobody finished within a day, keeping the record.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..errors import PlanImportError
from ..models import PlanImport
from ..readers import check_upload
from .previews import check_size, recognise, record_if_unchanged, safe_name, set_plan_jurisdiction, sha256_of

log = logging.getLogger(__name__)

UNEXPECTED_FAILURE = "解析时出现意外错误，文件已保存：请稍后重新上传，或把文件发给系统管理员。"
# Imports nobody confirmed, cancelled or that never parsed: their file and parsed tree go after this long.
PREVIEW_LIFETIME = dt.timedelta(days=1)
UNFINISHED = (
    PlanImport.State.PREVIEW,
    PlanImport.State.PARSING,
    PlanImport.State.FAILED,
    PlanImport.State.CANCELLED,
)


def store_upload(*, data: bytes, filename: str, user=None, district: str = "") -> PlanImport:
    """Keep an upload for the parse job: state ``parsing`` (or ``unchanged`` for a file imported before).

    Raises PlanImportError (Chinese) at once for what needs no parsing: too large, empty, a format
    we do not read, content that is not what its extension says."""
    check_size(data)
    check_upload(data, filename)
    digest = sha256_of(data)
    if (unchanged := record_if_unchanged(data=data, digest=digest, filename=filename, user=user)) is not None:
        return unchanged
    return PlanImport.objects.create(
        file=ContentFile(data, name=safe_name(filename)),
        original_name=filename[:255],
        sha256=digest,
        district=district,
        state=PlanImport.State.PARSING,
        step=PlanImport.Step.QUEUED,
        uploaded_by=user,
    )


def _set_step(plan_import_id: int, step: str) -> None:
    PlanImport.objects.filter(pk=plan_import_id, state=PlanImport.State.PARSING).update(step=step)


def parse_stored_upload(*, plan_import_id: int) -> str:
    """Parse a stored upload into its preview; returns the import's state. Run twice, parses once.

    A document that is not a plan leaves state ``failed`` with the Chinese reason; the file stays."""
    plan_import = PlanImport.objects.get(pk=plan_import_id)
    if plan_import.state != PlanImport.State.PARSING:
        return plan_import.state  # parsed already (a job delivered again after its worker died)
    _set_step(plan_import_id, PlanImport.Step.READING)
    try:
        with plan_import.file.open("rb") as fh:
            data = fh.read()
        parsed, plan = recognise(
            data,
            plan_import.original_name,
            district=plan_import.district,
            on_step=lambda step: _set_step(plan_import_id, step),
        )
        set_plan_jurisdiction(parsed, None)  # proposed from the text; the office may change it
    except PlanImportError as exc:
        return _finish(plan_import_id, state=PlanImport.State.FAILED, error=str(exc))
    except Exception:  # a bug must not leave the office watching "正在解析" forever
        log.exception("parsing import %s failed", plan_import_id)
        return _finish(plan_import_id, state=PlanImport.State.FAILED, error=UNEXPECTED_FAILURE)
    return _finish(
        plan_import_id,
        state=PlanImport.State.PREVIEW,
        parsed=parsed,
        plan=plan,
        district=parsed.get("district", ""),
    )


@transaction.atomic
def _finish(plan_import_id: int, *, state: str, **fields) -> str:
    """Write the outcome once: a second run that finished first wins, this one changes nothing."""
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import_id)
    if plan_import.state != PlanImport.State.PARSING:
        return plan_import.state
    for name, value in fields.items():
        setattr(plan_import, name, value)
    plan_import.state, plan_import.step = state, PlanImport.Step.DONE
    plan_import.save()
    return state


def mark_job_sent(*, plan_import: PlanImport) -> None:
    PlanImport.objects.filter(pk=plan_import.pk).update(job_sent_at=timezone.now())


def unsent_parses():
    """Stored uploads whose parse job could not be sent (the broker was down): to send again."""
    return PlanImport.objects.filter(state=PlanImport.State.PARSING, job_sent_at__isnull=True)


def expire_stale_previews(*, now: dt.datetime | None = None) -> int:
    """Drop the file and parsed tree of imports left unfinished for a day; returns how many.

    The record stays (who uploaded what, when): previews and stuck parses become ``expired``; failed
    and cancelled ones keep their state. Applied and unchanged imports are never touched."""
    cutoff = (now or timezone.now()) - PREVIEW_LIFETIME
    stale = PlanImport.objects.filter(state__in=UNFINISHED, created_at__lt=cutoff).exclude(file="")
    count = 0
    for plan_import in stale.iterator():
        with transaction.atomic():
            locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
            if locked.state not in UNFINISHED:
                continue  # confirmed meanwhile
            if locked.file:
                locked.file.delete(save=False)
            locked.parsed = {}
            if locked.state in (PlanImport.State.PREVIEW, PlanImport.State.PARSING):
                locked.state, locked.step = PlanImport.State.EXPIRED, PlanImport.Step.DONE
            locked.save()
        count += 1
    return count
