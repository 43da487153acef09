"""The 操作日志 page's reading of the audit trail (django-auditlog's LogEntry), issue #13.

Every app's records are tracked (``AUDITLOG_INCLUDE_TRACKING_MODELS``); this module reads them only
through ``LogEntry`` and ``ContentType``, so it imports no app above departments. Who may read it:
superusers and office accounts without a jurisdiction (``scopes.scope_of`` is None) — an entry names
an object of any app, and which jurisdiction it belongs to is not recorded, so a scoped office is refused.

One filterset serves the page and its .xlsx; ``entry_rows`` turns a page of entries into what both show
(object type and field names in Chinese, each change before → after) without a query per entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from .scopes import scope_of

ACTIONS = {
    LogEntry.Action.CREATE: _("新增"),
    LogEntry.Action.UPDATE: _("修改"),
    LogEntry.Action.DELETE: _("删除"),
}
PAGE_SIZE = 50


def can_read_audit_log(user) -> bool:
    """Superusers and unscoped office accounts (the office holds ``auditlog.view_logentry``; viewers do not)."""
    return bool(user.is_authenticated and user.has_perm("auditlog.view_logentry") and scope_of(user) is None)


def object_type_choices():
    """The tracked models, by their Chinese names (ContentType's cache: no query after the first)."""
    types = ContentType.objects.get_for_models(*auditlog.get_models())
    return sorted(((ct.pk, str(model._meta.verbose_name)) for model, ct in types.items()), key=lambda c: c[1])


class AuditFilterSet(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="timestamp__date", lookup_expr="gte", label=_("起始日期")
    )
    date_to = django_filters.DateFilter(field_name="timestamp__date", lookup_expr="lte", label=_("截止日期"))
    actor = django_filters.CharFilter(method="by_actor", label=_("操作人"))
    object_type = django_filters.ChoiceFilter(
        field_name="content_type", choices=object_type_choices, label=_("对象类型"), empty_label=_("全部类型")
    )
    action = django_filters.ChoiceFilter(
        choices=list(ACTIONS.items()), label=_("操作"), empty_label=_("全部操作")
    )
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    class Meta:
        model = LogEntry
        fields = ["date_from", "date_to", "actor", "object_type", "action", "q"]

    def by_actor(self, queryset, name, value):
        """By account name or full name."""
        value = value.strip()
        return queryset.filter(
            Q(actor__username__icontains=value)
            | Q(actor__first_name__icontains=value)
            | Q(actor__last_name__icontains=value)
        )

    def search(self, queryset, name, value):
        """In the object's name and in the values before and after."""
        value = value.strip()
        # SQLite keeps the JSON as written, non-ASCII escaped (\u626c…); PostgreSQL's jsonb reads back as text.
        escaped = json.dumps(value)[1:-1]
        return queryset.annotate(changes_as_text=Cast("changes", TextField())).filter(
            Q(object_repr__icontains=value)
            | Q(changes_as_text__icontains=value)
            | Q(changes_as_text__icontains=escaped)
        )


def audit_entries(data, *, queryset=None) -> AuditFilterSet:
    """The filterset over the log, newest first, with what a row shows joined in."""
    entries = queryset if queryset is not None else LogEntry.objects.all()
    entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    return AuditFilterSet(data, queryset=entries)


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class EntryRow:
    entry: LogEntry
    object_type: str
    action: str
    actor: str
    api_token: str
    changes: list[Change]


def _field_label(model, name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name)) if model else name
    except FieldDoesNotExist:
        return name


def _shown(model, name: str, value) -> str:
    """A recorded value as the office reads it: a choice's Chinese label, 是/否, "—" for none."""
    if value in (None, "", "None"):
        return "—"
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    if isinstance(field, BooleanField):
        return str(_("是") if str(value) == "True" else _("否"))
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def _changes(entry: LogEntry, model) -> list[Change]:
    found = []
    for name, values in (entry.changes_dict or {}).items():
        label = _field_label(model, name)
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            objects = "、".join(str(o) for o in values.get("objects", ()))
            before, after = ("", objects) if values.get("operation") == "add" else (objects, "")
            found.append(Change(label, before or "—", after or "—"))
        else:
            before, after = (list(values) + [None, None])[:2]
            found.append(Change(label, _shown(model, name, before), _shown(model, name, after)))
    return found


def entry_rows(entries) -> list[EntryRow]:
    """Rows for a page (or the export) of entries joined by ``audit_entries``: no query per entry."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        actor = entry.actor
        rows.append(
            EntryRow(
                entry=entry,
                object_type=str(model._meta.verbose_name) if model else entry.content_type.model,
                action=str(ACTIONS.get(entry.action, entry.get_action_display())),
                actor=(actor.get_full_name() or actor.get_username()) if actor else str(_("系统")),
                api_token=str((entry.additional_data or {}).get("api_token", "")),
                changes=_changes(entry, model),
            )
        )
    return rows
