"""Writing measure progress: one way in for the pages, the API and the admin.

Every function checks who may do it, writes in a transaction and records
history. A stale edit (the measure changed since the form was loaded) is
refused, so nobody silently overwrites a colleague's update. 销号 takes one measure or a batch
(``sign_off_measures``, written one statement per table whatever their number); signing off one is the
same service applied to it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bluesky.audit_trail import log_updates
from bluesky.item_outcomes import Outcomes
from departments.roles import is_office_admin, user_unit_ids
from departments.scopes import scope_of

from . import lead_units
from .evidence import EvidenceRejected, check_all_evidence, store_evidence
from .models import Assignment, Evidence, HistoryEntry, Measure, ProgressUpdate
from .permissions import can_edit_measure, in_user_scope
from .selectors import assignments_in_role_order, driving_unit_ids


class StaleEdit(Exception):
    """Someone saved the measure after this form was loaded."""

    code = "stale"  # the API answers 409 Conflict (bluesky/api/exceptions.py)
    message = (
        "该措施已被他人更新（您打开页面后有新的保存），请查看最新进展后再提交；您填写的内容仍保留在表单中。"
    )

    def __str__(self) -> str:
        return self.message


@dataclass
class UploadedFile:
    name: str
    data: bytes


def reporter_label(unit_name: str, role_label: str, *, sets_measure: bool) -> str:
    """Who filed a progress update, as its history entry names them: a unit reporting only its own part
    says so (the generators write the same history)."""
    return unit_name if sets_measure else f"{unit_name}（{role_label}单位报告，不改变措施总体状态）"


def _role_label(measure: Measure, unit) -> str:
    """The unit's foremost role on the measure (牵头, 主责, 协办), as it reads in the history.

    ``measure.assignments`` is prefetched in role order (``assignments_in_role_order``)."""
    return next((a.get_role_display() for a in measure.assignments.all() if a.unit_id == unit.pk), "")


def _reporting_unit(user, measure: Measure, unit_id: int | None):
    """The unit a progress update is filed for: one of the user's units that carries the measure.

    Without ``unit_id`` the first in role order (牵头, 主责, 协办), as the page's unit choice lists them
    (``measure.assignments`` is prefetched in that order).
    """
    carried = {}
    for a in measure.assignments.all():
        carried.setdefault(a.unit_id, a.unit)
    if unit_id is not None:
        if unit_id not in carried or (not is_office_admin(user) and unit_id not in user_unit_ids(user)):
            raise PermissionDenied("您不能以该单位的名义填报这项措施。")
        return carried[unit_id]
    mine = [u for uid, u in carried.items() if uid in user_unit_ids(user)]
    if mine:
        return mine[0]
    if is_office_admin(user) and carried:
        return next(iter(carried.values()))
    raise PermissionDenied("这项措施不由您的单位承担。")


def _locked_for_update(pk: int) -> Measure:
    """The measure, locked until the transaction ends, with its assignments in role order."""
    return (
        Measure.objects.select_for_update()
        .prefetch_related(Prefetch("assignments", queryset=assignments_in_role_order()))
        .get(pk=pk)
    )


def _recorded_before(submission, locked: Measure) -> ProgressUpdate | None:
    """The update this very form already recorded (``submission`` is its one-time token), if any."""
    if submission is None:
        return None
    already = ProgressUpdate.objects.filter(submission=submission).first()
    if already is not None and already.measure_id != locked.pk:
        raise ValidationError("表单标识无效，请刷新页面后重新填报。")
    return already


def _refuse_stale_or_closed(locked: Measure, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit()
    if locked.signed_off_at is not None:
        # A signed-off measure is closed: an update would reopen its status behind the office's back.
        raise ValidationError("这项措施已经销号，不能再填报进展；如需重新打开请联系大气办。", code="state")


def _checked_progress(
    locked: Measure, *, status: str, note: str, percent, delay_reason: str, files
) -> list[tuple[UploadedFile, str]]:
    """Validate a progress update; answers the evidence files with their checked extensions.

    Every problem is reported at once, by field, in Chinese."""
    errors = {}
    if status not in Measure.Status.values:
        errors["status"] = "请选择有效的状态。"
    if not note.strip():
        errors["note"] = "请填写进展情况。"
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = "完成百分比应在 0 到 100 之间。"
    if status == Measure.Status.DELAYED and not delay_reason.strip():
        errors["delay_reason"] = "选择“无法按期完成”时请说明原因。"
    if (
        status == Measure.Status.ONGOING
        and locked.deadline_kind != Measure.DeadlineKind.ONGOING
        and percent == 100
    ):
        # "state": it depends on the measure's deadline, not on the input alone (the API's 409).
        errors["percent"] = ValidationError("“长期推进”的措施不填 100%；已完成请选择“已完成”。", code="state")
    checked = []
    try:
        checked = check_all_evidence(files)
    except EvidenceRejected as exc:
        errors["files"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def _save_evidence(update: ProgressUpdate, checked: list[tuple[UploadedFile, str]]) -> None:
    for upload, extension in checked:
        store_evidence(Evidence(progress=update), name=upload.name, data=upload.data, extension=extension)


def _measure_state_after(locked: Measure, *, status: str, percent, sets_measure: bool) -> tuple[str, int]:
    """The measure's status and percent once the update is filed.

    A blank percent means "not given": the measure keeps the percent it had. Several lead units: the
    measure is done when all of them are (tasks/lead_units.py)."""
    if not sets_measure:
        return locked.status, locked.percent
    measure_status, measure_percent = status, (locked.percent if percent is None else percent)
    leads = lead_units.lead_unit_names(locked)
    if len(leads) > 1:
        measure_status, measure_percent = lead_units.combined(
            lead_units.lead_unit_states(locked, leads), reported_status=status
        )
    return measure_status, measure_percent


def _move_measure(locked: Measure, *, status: str, percent: int) -> dict:
    """Write the measure's new status and percent (and bump its version); answers the history's changes."""
    changes = {}
    if locked.status != status:
        changes["status"] = [locked.get_status_display(), str(Measure.Status(status).label)]
    if locked.percent != percent:
        changes["percent"] = [locked.percent, percent]
    Measure.objects.filter(pk=locked.pk).update(
        status=status,
        percent=percent,
        finished_on=finished_on_after(locked, status),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    return changes


def _progress_history(
    locked: Measure, *, user, unit, update: ProgressUpdate, changes: dict, files: int
) -> None:
    """The measure's history line for a progress update: who reported (and in which role), what, how many files."""
    reporter = reporter_label(unit.name, _role_label(locked, unit), sets_measure=update.sets_measure)
    evidence = f"（附 {files} 个佐证材料）" if files else ""
    HistoryEntry.objects.create(
        measure=locked,
        actor=user,
        action=HistoryEntry.Action.PROGRESS,
        changes=changes,
        comment=f"{reporter}：{update.note[:500]}{evidence}",
    )


@transaction.atomic
def record_progress(
    *,
    measure: Measure,
    user,
    status: str,
    note: str,
    percent: int | None = None,
    delay_reason: str = "",
    files: list[UploadedFile] = (),
    expected_version: int | None = None,
    unit_id: int | None = None,
    submission=None,
) -> ProgressUpdate:
    """File a progress update on a measure; a driving unit's update moves the measure to the reported status.

    ``percent=None`` means the unit gave no percent: the measure keeps its own,
    except that "done" without a percent counts as 100. An update for a unit
    that does not drive the measure (a 协办单位 beside a 牵头单位, see
    ``driving_unit_ids``) is recorded with its evidence and history, and bumps
    the measure's version like every save, but leaves its status and percent alone.
    ``submission`` is the form's one-time token: posting the same form again returns the first record.
    """
    if not can_edit_measure(user, measure):
        raise PermissionDenied("您没有权限更新这项措施。")
    locked = _locked_for_update(measure.pk)
    already = _recorded_before(submission, locked)
    if already is not None:
        return already
    _refuse_stale_or_closed(locked, expected_version)
    checked = _checked_progress(
        locked, status=status, note=note, percent=percent, delay_reason=delay_reason, files=files
    )
    unit = _reporting_unit(user, locked, unit_id)
    sets_measure = unit.pk in driving_unit_ids(locked)
    if status == Measure.Status.DONE and percent is None:
        percent = 100
    update = ProgressUpdate.objects.create(
        measure=locked,
        unit=unit,
        author=user,
        status=status,
        percent=percent,
        note=note.strip(),
        delay_reason=delay_reason.strip(),
        sets_measure=sets_measure,
        submission=submission,
    )
    _save_evidence(update, checked)
    measure_status, measure_percent = _measure_state_after(
        locked, status=status, percent=percent, sets_measure=sets_measure
    )
    changes = _move_measure(locked, status=measure_status, percent=measure_percent)
    _progress_history(locked, user=user, unit=unit, update=update, changes=changes, files=len(checked))
    measure.refresh_from_db()
    return update


def finished_on_after(measure: Measure, status: str) -> dt.date | None:
    """The day ``measure`` finished once its status becomes ``status``: kept while it stays done, today when it
    turns done, none when it is reopened (a later 已完成 dates it again)."""
    if status != Measure.Status.DONE:
        return None
    if measure.status == Measure.Status.DONE and measure.finished_on is not None:
        return measure.finished_on
    return timezone.localdate()


SIGN_OFF_FIELDS = ["status", "signed_off_at", "finished_on", "version"]  # what 销号 changes (and audits)


def _check_can_sign_off(locked: Measure, *, reported_done_only: bool) -> None:
    if locked.signed_off_at is not None:
        raise ValidationError("这项措施已经销号。")
    if reported_done_only and locked.status != Measure.Status.DONE:
        raise ValidationError("该措施尚未报告完成，不能销号。")


@transaction.atomic
def sign_off_measures(
    *, measure_ids, user, comment: str = "", reported_done_only: bool = False
) -> Outcomes[Measure]:
    """销号: the office confirms measures are completed (one, or a batch); they leave every open list.

    The measures of the user's jurisdiction among ``measure_ids`` are locked in one query (id order); one
    signed off already (or, ``reported_done_only``, not reported 已完成: the review queue's batch) is
    refused, in Chinese, and the others signed off: their new state (one UPDATE), history and audit trail
    each in one statement, whatever their number. The measures found hold their new state afterwards."""
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以销号。")
    locked = (
        Measure.objects.in_scope(scope_of(user)).filter(pk__in=measure_ids).select_for_update(of=("self",))
    )
    outcomes = Outcomes(found={measure.pk: measure for measure in locked.order_by("pk")})
    passed = outcomes.passing(lambda m: _check_can_sign_off(m, reported_done_only=reported_done_only))
    if passed:
        _write_sign_offs(passed, user, comment)
    return outcomes


def _write_sign_offs(measures: list[Measure], user, comment: str) -> None:
    before = [copy.copy(measure) for measure in measures]
    now, today = timezone.now(), timezone.localdate()
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(
        status=Measure.Status.DONE,
        signed_off_at=now,
        finished_on=Coalesce("finished_on", Value(today)),
        version=F("version") + 1,
        updated_at=now,
    )
    for measure in measures:  # as the UPDATE left them (they are locked)
        measure.status, measure.signed_off_at = Measure.Status.DONE, now
        measure.finished_on = measure.finished_on or today
        measure.version += 1
        measure.updated_at = now
    HistoryEntry.objects.bulk_create(
        HistoryEntry(
            measure=measure,
            actor=user,
            action=HistoryEntry.Action.SIGN_OFF,
            changes={
                "status": [old.get_status_display(), str(Measure.Status.DONE.label)],
                "signed_off": [False, True],
            },
            comment=comment,
        )
        for old, measure in zip(before, measures, strict=True)
    )
    log_updates(list(zip(before, measures, strict=True)), fields=SIGN_OFF_FIELDS)


def sign_off_measure(*, measure: Measure, user, comment: str = "") -> Measure:
    """销号 of one measure (``sign_off_measures`` of it alone)."""
    outcomes = sign_off_measures(measure_ids=[measure.pk], user=user, comment=comment)
    return outcomes.one(measure.pk, missing=PermissionDenied("这项措施不在您的辖区内。"))


@transaction.atomic
def assign_unit(*, measure: Measure, unit, role: str, user, comment: str = "") -> Assignment:
    """The office adds (or confirms) a unit's role on a measure."""
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以调整责任单位。")
    if not in_user_scope(user, measure):
        raise PermissionDenied("这项措施不在您的辖区内。")
    assignment, created = Assignment.objects.update_or_create(
        measure=measure,
        unit=unit,
        role=role,
        defaults={"source": Assignment.Source.MANUAL, "confirmed": True},
    )
    HistoryEntry.objects.create(
        measure=measure,
        actor=user,
        action=HistoryEntry.Action.ASSIGNMENT,
        changes={"unit": [None if created else unit.name, f"{unit.name}（{assignment.get_role_display()}）"]},
        comment=comment,
    )
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment, user, comment: str = "") -> None:
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以调整责任单位。")
    if not in_user_scope(user, assignment.measure):
        raise PermissionDenied("这项措施不在您的辖区内。")
    HistoryEntry.objects.create(
        measure=assignment.measure,
        actor=user,
        action=HistoryEntry.Action.ASSIGNMENT,
        changes={"unit": [f"{assignment.unit.name}（{assignment.get_role_display()}）", None]},
        comment=comment,
    )
    assignment.delete()


def record_assignment_edit(
    *, assignment: Assignment, user, before: str | None, deleted: bool = False
) -> None:
    """History for an assignment changed in the admin (``before``: how it read before; None if new)."""
    after = None if deleted else f"{assignment.unit.name}（{assignment.get_role_display()}）"
    if before != after:
        HistoryEntry.objects.create(
            measure_id=assignment.measure_id,
            actor=user,
            action=HistoryEntry.Action.ASSIGNMENT,
            changes={"unit": [before, after]},
            comment="在管理后台修改",
        )
