"""Withdrawing an import (撤回) and restoring it: a wrong import leaves the office's work, records kept.

A withdrawn plan keeps its chapters, measures, progress and reports; it only
stops counting (``Plan.objects.in_force()`` everywhere the office works). Both
steps are plan-level history entries, so the plan page says who did it and why.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tasks.models import HistoryEntry, Plan

from ..errors import PlanImportError


@transaction.atomic
def withdraw_plan(*, plan: Plan, user, reason: str = "") -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.withdrawn_at is not None:
        raise PlanImportError(
            f"《{plan.title}》已于 {timezone.localtime(plan.withdrawn_at):%Y-%m-%d} 撤回。",
            code="already_withdrawn",
        )
    plan.withdrawn_at = timezone.now()
    plan.save(update_fields=["withdrawn_at", "updated_at"])
    HistoryEntry.objects.create(
        plan=plan,
        actor=user,
        action=HistoryEntry.Action.WITHDRAW,
        changes={"状态": ["执行中", "已撤回"]},
        comment=(reason or "").strip()[:1000],
    )
    return plan


@transaction.atomic
def restore_plan(*, plan: Plan, user) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.withdrawn_at is None:
        raise PlanImportError(f"《{plan.title}》没有撤回，无需恢复。", code="not_withdrawn")
    plan.withdrawn_at = None
    plan.save(update_fields=["withdrawn_at", "updated_at"])
    HistoryEntry.objects.create(
        plan=plan,
        actor=user,
        action=HistoryEntry.Action.RESTORE,
        changes={"状态": ["已撤回", "执行中"]},
    )
    return plan
