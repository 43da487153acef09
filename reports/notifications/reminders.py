"""Daily reminders: measure deadlines and milestones, overdue measures, monthly reports.

``run_reminders(on=day)`` does two steps, each safe to repeat:

1. **record and compose** (digests.py), under a database lock (PostgreSQL advisory lock,
   SQLite's write lock) — every reminder due on ``day`` and not recorded yet becomes a
   ``Reminder`` row, in the same INSERT as its place in its recipient's digest of the day:
   one ``Delivery`` per chosen channel (unique on recipient, channel, run_date), which also
   gathers the reminders recorded earlier and not yet sent. The reminder's unique key
   (recipient, subject, kind, due_date) makes a rerun, a retry or two beats at once record
   nothing new, and a second run finds the digests composed. Reminders that turn up after a
   person's digest of the day went out are recorded outside any digest and wait for the next
   day's;
2. **deliver** (deliveries.py) — each due delivery is claimed by a conditional UPDATE of its
   attempt counter (so only one process sends it), then sent through its
   channel. A failure is recorded on the delivery (state, last_error: the
   admin lists them by state) and retried with exponential backoff by
   ``deliver_due`` (the ``retry_deliveries`` job, every 10 minutes).

What is reminded, with ``N = BLUESKY_OVERDUE_ESCALATION_DAYS``:

=================  =======================================  ===================================
kind               when                                     to
=================  =======================================  ===================================
deadline_ahead     a measure or milestone due in 7, 3, 1 d  staff of the units that carry it
deadline_today     a measure or milestone due on the day    staff of the units that carry it
overdue            an open measure past its due date (once) staff of the units that carry it
overdue_escalated  still open N days after its due date     office administrators
report_ahead       2 working days before the report is due  staff of units that have not reported
report_today       on the report's due date                 staff of units that have not reported
reports_missing    after the due date (once a month)        office administrators
=================  =======================================  ===================================

Report reminders go only to units that owe the month's report
(reports/reporting_units.py): a plan imported this month asks nothing for last month.
An office administrator working for a jurisdiction (departments/scopes.py) is told only of its
jurisdiction: the overdue measures of its plans, the missing reports of its units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q

from departments.models import UnitMembership
from departments.roles import OFFICE_ADMIN
from reports.models import MonthlyReport, Reminder
from reports.reporting_units import units_owing_report
from reports.workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date
from tasks.models import Assignment, Measure, Milestone, overdue_q

from .deliveries import deliver_due
from .digests import not_recorded, record_and_compose

Kind = Reminder.Kind
DAYS_AHEAD = (7, 3, 1)
REPORT_WORKDAYS_AHEAD = 2


@dataclass(frozen=True)
class DueReminder:
    recipient_id: int
    subject: str
    kind: str
    due_date: dt.date
    text: str

    @property
    def key(self) -> tuple:
        return (self.recipient_id, self.subject, self.kind, self.due_date)


@dataclass
class RunSummary:
    run_date: dt.date
    due: int = 0  # reminders due on the day, new or not
    recorded: int = 0  # of which new in this run
    digests: int = 0  # deliveries composed
    sent: int = 0
    failed: int = 0
    new: list[DueReminder] = field(default_factory=list)


# --- What is due ------------------------------------------------------------------


def _unit_staff() -> dict[int, list[int]]:
    staff: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in UnitMembership.objects.filter(user__is_active=True).values_list(
        "unit_id", "user_id"
    ):
        staff[unit_id].append(user_id)
    return staff


def office_admins() -> dict[int, str | None]:
    """Office administrators → the path of the jurisdiction each works for (None: everything; a superuser
    sees everything whatever its scope row, as departments/scopes.py says)."""
    users = get_user_model().objects.filter(is_active=True)
    rows = (
        users.filter(Q(is_superuser=True) | Q(groups__name=OFFICE_ADMIN))
        .values_list("pk", "is_superuser", "office_scope__jurisdiction__path")
        .distinct()
    )
    return {pk: None if superuser else path for pk, superuser, path in sorted(rows)}


def admins_over(admins: dict[int, str | None], path: str | None) -> list[int]:
    """The office administrators whose jurisdiction holds ``path`` (a plan's or a unit's jurisdiction)."""
    return [pk for pk, scope in admins.items() if scope is None or (path or "").startswith(scope)]


def _staff_of_measures(measure_ids, staff) -> dict[int, set[int]]:
    recipients: dict[int, set[int]] = defaultdict(set)
    for measure_id, unit_id in Assignment.objects.filter(measure_id__in=measure_ids).values_list(
        "measure_id", "unit_id"
    ):
        recipients[measure_id].update(staff.get(unit_id, ()))
    return recipients


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _overdue_measure_reminders(m: dict, on: dt.date, users, escalate_after: int, admins) -> list[DueReminder]:
    """An open measure past its due date: its units' staff, and the office once it is ``escalate_after`` days late."""
    label = f"措施 {m['code']}「{_short(m['text'])}」"
    subject = f"measure:{m['pk']}"
    due = [
        DueReminder(
            user_id,
            subject,
            Kind.OVERDUE,
            m["due_date"],
            f"{label}已于 {m['due_date']:%Y-%m-%d} 到期，尚未完成，请尽快办理并填报进展。",
        )
        for user_id in users
    ]
    late = (on - m["due_date"]).days
    if late >= escalate_after:
        due.extend(
            DueReminder(
                user_id,
                subject,
                Kind.OVERDUE_ESCALATED,
                m["due_date"],
                f"{label}已逾期 {late} 天（{m['due_date']:%Y-%m-%d} 到期），责任单位尚未完成。",
            )
            for user_id in admins_over(admins, m["path"])  # the office of the plan's jurisdiction, and above
        )
    return due


def _coming_deadline_reminders(
    subject: str, label: str, date: dt.date, days: int, users
) -> list[DueReminder]:
    """A measure or milestone due today (``days`` 0) or in ``days`` days, for its units' staff."""
    if days == 0:
        return [
            DueReminder(user_id, subject, Kind.DEADLINE_TODAY, date, f"{label}今天（{date:%Y-%m-%d}）到期。")
            for user_id in users
        ]
    return [
        DueReminder(
            user_id,
            f"{subject}:{days}d",
            Kind.DEADLINE_AHEAD,
            date,
            f"{label}将于 {date:%Y-%m-%d} 到期（还有 {days} 天）。",
        )
        for user_id in users
    ]


def _deadline_reminders(on: dt.date, staff, escalate_after: int, admins: dict) -> list[DueReminder]:
    days_until = {on + dt.timedelta(days=d): d for d in (*DAYS_AHEAD, 0)}
    open_measures = Measure.objects.in_force().open()
    measures = list(
        open_measures.filter(Q(due_date__in=days_until) | overdue_q(on)).values(
            "pk", "code", "text", "due_date", path=F("task__plan__jurisdiction__path")
        )
    )
    milestones = list(
        Milestone.objects.filter(date__in=days_until, measure__in=open_measures).values(
            "pk", "date", "text", "measure_id", "measure__code"
        )
    )
    recipients = _staff_of_measures(
        {m["pk"] for m in measures} | {m["measure_id"] for m in milestones}, staff
    )
    due: list[DueReminder] = []
    for m in measures:
        days = days_until.get(m["due_date"])
        if days is None:  # overdue
            due += _overdue_measure_reminders(m, on, recipients[m["pk"]], escalate_after, admins)
        else:
            label = f"措施 {m['code']}「{_short(m['text'])}」"
            due += _coming_deadline_reminders(
                f"measure:{m['pk']}", label, m["due_date"], days, recipients[m["pk"]]
            )
    for ms in milestones:
        label = f"措施 {ms['measure__code']} 的时间节点「{_short(ms['text'], 40)}」"
        due += _coming_deadline_reminders(
            f"milestone:{ms['pk']}", label, ms["date"], days_until[ms["date"]], recipients[ms["measure_id"]]
        )
    return due


def _missing_text(period: dt.date, due_date: dt.date, names: list[str]) -> str:
    text = f"{period:%Y年%m月}月报已于 {due_date:%Y-%m-%d} 截止，共 {len(names)} 个单位未报送：{'、'.join(names)}"
    return text if len(text) <= 480 else text[:470] + f"…等 {len(names)} 个单位"


def _report_reminders(on: dt.date, staff, admins: dict, calendar: WorkdayCalendar) -> list[DueReminder]:
    """The report on last month: reminders before and on its due date, the missing list after it."""
    period = previous_month(first_of_month(on))
    due_date = report_due_date(period, calendar)
    ahead = calendar.workdays_before(due_date, REPORT_WORKDAYS_AHEAD)
    if on not in (ahead, due_date) and on <= due_date:
        return []
    units = list(units_owing_report(period).values_list("pk", "name", "jurisdiction__path"))
    reports = {
        r["unit_id"]: r
        for r in MonthlyReport.objects.filter(period=period).values("unit_id", "state", "first_submitted_at")
    }
    month = f"{period:%Y-%m}"
    due: list[DueReminder] = []
    if on > due_date:
        # Each office hears of the missing reports of its own jurisdiction.
        missing = [
            (n, path) for pk, n, path in units if reports.get(pk, {}).get("first_submitted_at") is None
        ]
        for user_id in admins:
            names = [n for n, path in missing if admins_over({user_id: admins[user_id]}, path)]
            if names:
                text = _missing_text(period, due_date, names)
                due.append(DueReminder(user_id, f"reports:{month}", Kind.REPORTS_MISSING, due_date, text))
        return due
    kind = Kind.REPORT_TODAY if on == due_date else Kind.REPORT_AHEAD
    waiting = {MonthlyReport.State.DRAFT, MonthlyReport.State.RETURNED}
    for pk, name, _path in units:
        report = reports.get(pk)
        if report is not None and report["state"] not in waiting:
            continue
        text = (
            f"{name} {period:%Y年%m月}月报今天（{due_date:%Y-%m-%d}）截止，请及时报送。"
            if kind == Kind.REPORT_TODAY
            else f"{name} {period:%Y年%m月}月报将于 {due_date:%Y-%m-%d} 截止，请及时报送。"
        )
        due += [
            DueReminder(user_id, f"report:{pk}:{month}", kind, due_date, text)
            for user_id in staff.get(pk, ())
        ]
    return due


def due_reminders(*, on: dt.date, calendar: WorkdayCalendar | None = None) -> list[DueReminder]:
    """Every reminder due on ``on``, whether or not it was already sent; one per key."""
    calendar = calendar or WorkdayCalendar.from_database()
    staff, admins = _unit_staff(), office_admins()
    escalate_after = settings.BLUESKY_OVERDUE_ESCALATION_DAYS
    found = _deadline_reminders(on, staff, escalate_after, admins) + _report_reminders(
        on, staff, admins, calendar
    )
    return list({r.key: r for r in found}.values())


# --- Record, compose, deliver -----------------------------------------------------------


def run_reminders(
    *, on: dt.date, dry_run: bool = False, calendar: WorkdayCalendar | None = None
) -> RunSummary:
    """The daily job: record what is due on ``on``, compose the digests, send them."""
    due = due_reminders(on=on, calendar=calendar)
    summary = RunSummary(run_date=on, due=len(due))
    if dry_run:
        summary.new = not_recorded(due)
        summary.recorded = len(summary.new)
        return summary
    summary.recorded, summary.digests = record_and_compose(due, run_date=on)
    summary.sent, summary.failed = deliver_due()
    return summary
