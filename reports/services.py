"""The monthly report's life: draft → submitted → returned → resubmitted → accepted.

Each transition checks who may make it, writes in a transaction with the
report row locked (so a double click or two reviewers at once cannot apply it
twice) and records history. Saving a draft is not a transition: it keeps the
text under the same lock and version check, and records no history. A return
tells the unit's staff in the bell, in the same transaction. The unit may
withdraw (撤回) a submission the office has not reviewed yet, and edit it again. The office's review
takes one report or a batch (``review_reports``, the review queue's batch 通过): every report locked in one
query and written one statement per table, whatever their number; accepting or returning one report is
the same service applied to it.

Saving and submitting take the form's one-time token (``submission``): the same
form posted twice (back button, double click, retry) saves once; and the
evidence files (佐证材料), checked as a progress update's are (tasks.evidence).
"""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bluesky.audit_trail import log_updates
from bluesky.item_outcomes import Outcomes
from departments.models import UnitMembership
from departments.roles import is_office_admin, is_viewer, user_unit_ids
from departments.scopes import scope_of
from tasks.evidence import EvidenceRejected, check_all_evidence, store_evidence
from tasks.models import Measure
from tasks.permissions import can_read_unit_work

from .models import (
    MonthlyReport,
    MonthlyReportItem,
    Notification,
    ReportAttachment,
    ReportHistoryEntry,
    ReportReview,
)
from .workdays import WorkdayCalendar, first_of_month, report_due_date

State = MonthlyReport.State
SUBMITTABLE = {State.DRAFT, State.RETURNED}
REVIEWABLE = {State.SUBMITTED, State.RESUBMITTED}


def _check_unit_staff(user, unit) -> None:
    if is_viewer(user):
        raise PermissionDenied("查看账号不能填报。")
    if not is_office_admin(user) and unit.pk not in user_unit_ids(user):
        raise PermissionDenied("您不能填报其他单位的月报。")
    if is_office_admin(user) and not can_read_unit_work(user, unit.pk):
        raise PermissionDenied("该单位不在您的辖区内。")


def get_or_create_report(
    *, unit, period: dt.date, user=None, calendar: WorkdayCalendar | None = None
) -> MonthlyReport:
    """The unit's report for the month (created as a draft with its due date on first use)."""
    period = first_of_month(period)
    if user is not None:  # also when the report exists: another unit's staff never get it through here
        _check_unit_staff(user, unit)
    _check_not_future(period)
    report = MonthlyReport.objects.filter(unit=unit, period=period).first()
    if report:
        return report
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                unit=unit, period=period, due_date=report_due_date(period, calendar), created_by=user
            )
    except IntegrityError:  # created by a concurrent request
        return MonthlyReport.objects.get(unit=unit, period=period)


def period_is_open(period: dt.date, *, today: dt.date | None = None) -> bool:
    """A month can be reported on from its first day (this month's may be started early), not before."""
    return first_of_month(period) <= first_of_month(today or timezone.localdate())


def _check_not_future(period: dt.date) -> None:
    if not period_is_open(period):
        raise ValidationError(f"{period:%Y年%m月}还没有到，不能填报该月的月报。", code="future")


def _check_version(report: MonthlyReport, expected_version: int | None) -> None:
    if expected_version is not None and report.version != expected_version:
        raise ValidationError("该月报已被他人更新，请刷新页面后再操作。", code="stale")


def _lock(report: MonthlyReport, expected_version: int | None) -> MonthlyReport:
    locked = MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    _check_version(locked, expected_version)
    return locked


def _snapshot_items(report: MonthlyReport) -> None:
    """Freeze, at submission, every measure the unit carries as the unit reported it.

    A measure the unit drives shows the measure's status and percent; one it
    reports its own part of (an assisting unit's update: ``sets_measure`` false)
    shows that part's status and percent. The note is always the unit's own latest.
    """
    from tasks.models import ProgressUpdate

    measures = (
        Measure.objects.filter(assignments__unit=report.unit).distinct().values("pk", "status", "percent")
    )
    latest = ProgressUpdate.objects.filter(unit=report.unit).latest_values(
        "measure_id", "note", "status", "percent", "sets_measure"
    )
    items = []
    for m in measures:
        note, status, percent, sets_measure = latest.get(m["pk"], ("", m["status"], m["percent"], True))
        if sets_measure:
            status, percent = m["status"], m["percent"]
        items.append(
            MonthlyReportItem(report=report, measure_id=m["pk"], status=status, percent=percent, note=note)
        )
    report.items.all().delete()
    MonthlyReportItem.objects.bulk_create(items)


def _repeated(report: MonthlyReport, submission) -> MonthlyReport | None:
    """The report, locked, when this very form (its one-time token) already saved or submitted it."""
    if submission is None:
        return None
    locked = MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    return locked if locked.last_submission == submission else None


def _checked_attachments(files) -> list:
    try:
        return check_all_evidence(files)
    except EvidenceRejected as exc:
        raise ValidationError({"files": str(exc)}) from exc


def _save_attachments(report: MonthlyReport, user, checked) -> None:
    for upload, extension in checked:
        attachment = ReportAttachment(report=report, uploaded_by=user)
        store_evidence(attachment, name=upload.name, data=upload.data, extension=extension)


@transaction.atomic
def save_report_draft(
    *,
    report: MonthlyReport,
    user,
    summary: str,
    expected_version: int | None = None,
    files=(),
    submission=None,
) -> MonthlyReport:
    """Keep the summary (and any evidence files) without submitting, while the unit may still submit (a
    draft or a returned report)."""
    _check_unit_staff(user, report.unit)
    _check_not_future(report.period)
    checked = _checked_attachments(files)
    if repeated := _repeated(report, submission):
        return repeated
    report = _lock(report, expected_version)
    if report.state not in SUBMITTABLE:
        raise ValidationError(f"月报当前状态为“{report.get_state_display()}”，不能再保存草稿。", code="state")
    report.summary = summary.strip()
    report.version += 1
    report.last_submission = submission
    report.save(update_fields=["summary", "version", "last_submission", "updated_at"])
    _save_attachments(report, user, checked)
    return report


@transaction.atomic
def submit_report(
    *,
    report: MonthlyReport,
    user,
    summary: str | None = None,
    expected_version: int | None = None,
    files=(),
    submission=None,
) -> MonthlyReport:
    _check_unit_staff(user, report.unit)
    _check_not_future(report.period)
    checked = _checked_attachments(files)
    if repeated := _repeated(report, submission):
        return repeated
    report = _lock(report, expected_version)
    if report.state not in SUBMITTABLE:
        raise ValidationError(f"月报当前状态为“{report.get_state_display()}”，不能再次报送。", code="state")
    if summary is not None:
        report.summary = summary.strip()
    if not report.summary:  # "incomplete": the draft holds no summary and none was given (the API's 409)
        raise ValidationError({"summary": ValidationError("请填写本月工作小结。", code="incomplete")})
    before = report.get_state_display()
    now = timezone.now()
    report.state = State.RESUBMITTED if report.state == State.RETURNED else State.SUBMITTED
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_at = now
    report.version += 1
    report.last_submission = submission
    report.save()
    _save_attachments(report, user, checked)
    _snapshot_items(report)
    ReportHistoryEntry.objects.create(
        report=report,
        actor=user,
        action=ReportHistoryEntry.Action.SUBMIT,
        changes={"state": [before, report.get_state_display()]},
        comment=report.summary[:500],
    )
    return report


@transaction.atomic
def withdraw_report(*, report: MonthlyReport, user, expected_version: int | None = None) -> MonthlyReport:
    """撤回: the unit takes back a submission the office has not reviewed yet, to edit and submit it again.

    A first submission goes back to a draft (and counts as not submitted: its timeliness is that of the
    next submission); a resubmission goes back to returned, as the office left it. Only the unit's own staff
    withdraw: the office returns a report instead."""
    _check_unit_staff(user, report.unit)
    if report.unit_id not in user_unit_ids(user):
        raise PermissionDenied("只有本单位可以撤回月报；大气办请使用“退回”。")
    report = MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if report.state not in REVIEWABLE:  # before the version: a second click finds it withdrawn already
        raise ValidationError(
            f"月报当前状态为“{report.get_state_display()}”，不能撤回；只有已报送、大气办尚未审核的月报可以撤回。",
            code="not_withdrawable",
        )
    report = _lock(report, expected_version)
    before = report.get_state_display()
    if report.state == State.RESUBMITTED:
        report.state = State.RETURNED
    else:
        report.state, report.first_submitted_at, report.submitted_at = State.DRAFT, None, None
    report.version += 1
    report.save()
    ReportHistoryEntry.objects.create(
        report=report,
        actor=user,
        action=ReportHistoryEntry.Action.WITHDRAW,
        changes={"state": [before, report.get_state_display()]},
    )
    return report


REVIEW_FIELDS = ["state", "return_count", "accepted_at", "version"]  # what a review changes (and audits)


def _check_reviewable(
    report: MonthlyReport, decision: str, comment: str, expected_version: int | None
) -> None:
    _check_version(report, expected_version)
    if report.state not in REVIEWABLE:
        raise ValidationError(f"月报当前状态为“{report.get_state_display()}”，无需审核。", code="state")
    if decision == ReportReview.Decision.RETURN and not comment:
        raise ValidationError({"comment": "退回时请写明原因。"})


@transaction.atomic
def review_reports(
    *, report_ids, user, decision: str, comment: str = "", expected_version: int | None = None
) -> Outcomes[MonthlyReport]:
    """通过 or 退回 each report: the office's review, one report or a batch, in a few queries whatever their number.

    The reports of the user's jurisdiction among ``report_ids`` are locked in one query (id order); one the
    unit withdrew or another reviewer reviewed meanwhile is refused, in Chinese, and the others reviewed:
    their reviews, their new state (one UPDATE), their history and their audit trail each in one statement.
    The reports found hold their new state afterwards."""
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以审核月报。")
    comment = comment.strip()
    locked = (
        MonthlyReport.objects.in_scope(scope_of(user))
        .filter(pk__in=report_ids)
        .select_related("unit")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    outcomes = Outcomes(found={report.pk: report for report in locked})
    reviewed = outcomes.passing(lambda report: _check_reviewable(report, decision, comment, expected_version))
    if reviewed:
        _write_reviews(reviewed, user, decision, comment)
    return outcomes


def _write_reviews(reports: list[MonthlyReport], user, decision: str, comment: str) -> None:
    """The reviews, the reports' new state, their history and audit trail: one statement each."""
    before = [copy.copy(report) for report in reports]
    ReportReview.objects.bulk_create(
        [ReportReview(report=report, reviewer=user, decision=decision, comment=comment) for report in reports]
    )
    now, returning = timezone.now(), decision == ReportReview.Decision.RETURN
    state = State.RETURNED if returning else State.ACCEPTED
    moved = {"return_count": F("return_count") + 1} if returning else {"accepted_at": now}
    MonthlyReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        state=state, version=F("version") + 1, updated_at=now, **moved
    )
    for report in reports:  # as the UPDATE left them (they are locked)
        report.state, report.version = state, report.version + 1
        if returning:
            report.return_count += 1
        else:
            report.accepted_at = now
    action = ReportHistoryEntry.Action.RETURN if returning else ReportHistoryEntry.Action.ACCEPT
    ReportHistoryEntry.objects.bulk_create(
        ReportHistoryEntry(
            report=report,
            actor=user,
            action=action,
            changes={"state": [old.get_state_display(), report.get_state_display()]},
            comment=comment,
        )
        for old, report in zip(before, reports, strict=True)
    )
    log_updates(list(zip(before, reports, strict=True)), fields=REVIEW_FIELDS)
    for report in reports:  # after the audit's diff: a save's own updated_at is not in its audit entry either
        report.updated_at = now


def _review(
    report: MonthlyReport, user, decision: str, comment: str, expected_version: int | None
) -> MonthlyReport:
    outcomes = review_reports(
        report_ids=[report.pk],
        user=user,
        decision=decision,
        comment=comment,
        expected_version=expected_version,
    )
    return outcomes.one(report.pk, missing=PermissionDenied("该单位不在您的辖区内。"))


def _notify_staff_of_return(report: MonthlyReport, *, reviewer, reason: str) -> None:
    """Every active member of the unit finds the return, with the office's reason, in the bell."""
    url = reverse("reports:detail", args=[report.unit_id, report.period.year, report.period.month])
    title = f"{report.unit.name} {report.period:%Y年%m月}月报已被大气办退回，请修改后重新报送"
    body = f"退回意见：{reason}"
    staff = (
        UnitMembership.objects.filter(unit_id=report.unit_id, user__is_active=True)
        .exclude(user=reviewer)
        .values_list("user_id", flat=True)
    )
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, title=title[:200], body=body, url=url) for user_id in staff]
    )


@transaction.atomic
def return_report(
    *, report: MonthlyReport, user, comment: str, expected_version: int | None = None
) -> MonthlyReport:
    report = _review(report, user, ReportReview.Decision.RETURN, comment, expected_version)
    _notify_staff_of_return(report, reviewer=user, reason=comment.strip())
    return report


@transaction.atomic
def accept_report(
    *, report: MonthlyReport, user, comment: str = "", expected_version: int | None = None
) -> MonthlyReport:
    return _review(report, user, ReportReview.Decision.ACCEPT, comment, expected_version)
