"""The audit trail (django-auditlog) for rows a service changes with one UPDATE, as auditlog writes it on save().

``queryset.update()`` sends no signals, so auditlog never sees it. A service that changes many rows at once
(batch 通过, batch 销号) writes their ``LogEntry`` rows here, in one INSERT, each as a ``save()`` of the row
would have: auditlog's own diff of the row before and after (its registered fields only, excluded ones
left out, masked ones masked), the object's type, id and name, the request's correlation id, and — through
``LogEntry``'s pre_save receivers, which a save runs and ``bulk_create`` does not — what the audit
middleware's context holds: the actor, the remote address and port, an API token's name.

The one-at-a-time services go through the same function with one row, so both write the same entries.
"""

from __future__ import annotations

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


def log_updates(changed: list[tuple[Model, Model]], *, fields: list[str]) -> list[LogEntry]:
    """Write an update entry for each (row before, row after) of one model whose ``fields`` changed.

    The rows after must hold their new values (as the UPDATE wrote them). One INSERT, no other query once
    the content type is cached; nothing when the model is not tracked or auditlog is disabled (an import)."""
    if not changed or auditlog_disabled.get():
        return []
    model = type(changed[0][1])
    if not auditlog.contains(model):
        return []
    content_type = ContentType.objects.get_for_model(model)
    entries = []
    for before, after in changed:
        changes = model_instance_diff(
            before, after, fields_to_check=fields, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
        )
        if changes:
            entries.append(_entry(after, content_type, changes))
    using = router.db_for_write(LogEntry)
    for entry in entries:
        # The middleware's context fills the actor, remote address and port, and additional data here.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)
    return LogEntry.objects.using(using).bulk_create(entries)


def _entry(instance: Model, content_type: ContentType, changes: dict) -> LogEntry:
    """What ``LogEntry.objects.log_create`` fills in for an update of ``instance``, not yet saved."""
    entry = LogEntry(
        content_type=content_type,
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=smart_str(instance),
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=LogEntry.Action.UPDATE,
        changes=changes,
        cid=get_cid(),
    )
    get_additional_data = getattr(instance, "get_additional_data", None)
    if callable(get_additional_data):
        entry.additional_data = get_additional_data()
    return entry
