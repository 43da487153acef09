"""Reading monthly reports: timeliness, a unit's months, the office's overview, a report's measures, the review queue.

Every function runs a fixed number of queries whatever the number of units,
measures or months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import gettext_lazy as _

from bluesky.links import link_maker
from departments.models import Unit
from tasks.models import Assignment, Measure, ProgressUpdate
from tasks.selectors import assignments_in_role_order, history_rows

from .models import MonthlyReport, MonthlyReportItem, ReportAttachment, ReportHistoryEntry, ReportReview
from .reporting_units import every_reporting_unit_owes, first_owed_months, owes
from .services import REVIEWABLE
from .workdays import WorkdayCalendar, first_of_month, previous_month, report_due_date

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
TIMELINESS_LABELS = {
    ON_TIME: _("按时报送"),
    LATE: _("逾期报送"),
    MISSING: _("未报送（已逾期）"),
    PENDING: _("待报送"),
}
NOT_OWED_LABEL = _("无需报送")
FROZEN_STATES = {MonthlyReport.State.SUBMITTED, MonthlyReport.State.RESUBMITTED, MonthlyReport.State.ACCEPTED}


def timeliness(*, due_date: dt.date, first_submitted_at: dt.datetime | None, today: dt.date) -> str:
    """On time if first submitted by the end of the due date (Beijing time); missing once the due date has passed."""
    if first_submitted_at is not None:
        return ON_TIME if timezone.localdate(first_submitted_at) <= due_date else LATE
    return MISSING if today > due_date else PENDING


def default_period(today: dt.date) -> dt.date:
    """The month a unit files for now: last month."""
    return previous_month(first_of_month(today))


def recent_periods(today: dt.date, count: int = 12, *, with_current: bool = False) -> list[dt.date]:
    """The ``count`` months up to last month, newest first; ``with_current`` puts this month (which may be
    reported early) in front of them."""
    periods = [default_period(today)]
    while len(periods) < count:
        periods.append(previous_month(periods[-1]))
    return [first_of_month(today), *periods] if with_current else periods


@dataclass
class MonthRow:
    unit: Unit
    period: dt.date
    due_date: dt.date
    report: MonthlyReport | None
    timeliness: str

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS_LABELS[self.timeliness]

    @property
    def state_label(self) -> str:
        return self.report.state_label if self.report else _("未创建")


def report_grid(
    *, units: list[Unit], periods: list[dt.date], today: dt.date, reporting: bool = False
) -> list[MonthRow]:
    """Every (unit, month) pair the unit owed a report for, with its report if there is one.

    A month the unit did not owe (before its first plan was imported, see
    reports/reporting_units.py) is left out — nothing was asked of it, so it is
    neither missing nor overdue — unless the unit filed a report for it anyway.
    ``reporting``: the units are ``reporting_units()``; when every one of them owes the earliest month, each
    unit's first owed month is not looked up. Three queries (four when a month has no report).
    """
    if reporting and every_reporting_unit_owes(min(periods)):
        first_owed = dict.fromkeys((unit.pk for unit in units), min(periods))
    else:
        first_owed = first_owed_months([unit.pk for unit in units])
    reports = {
        (r.unit_id, r.period): r
        for r in MonthlyReport.objects.filter(unit__in=units, period__in=periods).defer("summary")
    }
    calendar, due_dates = None, {}  # a month's due date is worked out once, not once per unit
    rows = []
    for unit in units:
        for period in periods:
            report = reports.get((unit.pk, period))
            if report is None and not owes(first_owed, unit.pk, period):
                continue
            if report is not None:
                due = report.due_date
            elif period in due_dates:
                due = due_dates[period]
            else:
                calendar = calendar or WorkdayCalendar.from_database()
                due = due_dates[period] = report_due_date(period, calendar)
            rows.append(
                MonthRow(
                    unit=unit,
                    period=period,
                    due_date=due,
                    report=report,
                    timeliness=timeliness(
                        due_date=due, first_submitted_at=report and report.first_submitted_at, today=today
                    ),
                )
            )
    return rows


def reporting_units(scope=None) -> list[Unit]:
    """Units (of jurisdiction ``scope``) that owe monthly reports from some month on (report_grid keeps the
    months each one owed)."""
    from .reporting_units import reporting_units as owing

    return list(owing().in_scope(scope))


@dataclass
class ReportLine:
    code: str  # the measure's
    short_text: str  # the measure's text as |truncatechars:80 shows it
    url: str  # the measure's page
    status_label: str
    percent: int | None
    note: str


LINES_PER_PAGE = 100  # a busy unit carries over 1,500 measures: its report shows them a hundred at a time
ALL_LINES = 100_000  # "显示全部" (to print the whole report): more lines than any unit carries


def _cut_to(length: int):
    """``|truncatechars:length`` for plain text, its translated ellipsis's length looked up once (Truncator
    translates it, and normalises the whole text, on every call: tens of microseconds a line)."""
    keep = calculate_truncate_chars_length(length, None)
    return lambda text: text if len(text) <= length else add_truncation_text(text[:keep])


def report_lines(report: MonthlyReport, page_number=None, *, every_line: bool = False) -> Page:
    """A page of the report's measures (LINES_PER_PAGE, in plan order; ``every_line``: all of them, one page,
    to print): frozen at submission, or (draft, returned) as they stand now with the unit's latest note on
    each. Two queries, three for a draft.

    Only what the page shows is read (code, text, status, percent, note: no model instances), and each
    status's label, the link and the cut are worked out once for the page, not once per line."""
    per_page = ALL_LINES if every_line else LINES_PER_PAGE
    if report.pk and report.state in FROZEN_STATES:
        rows = (
            MonthlyReportItem.objects.filter(report=report)
            .order_by("measure__task__plan_id", "measure__task__number", "measure__sequence")
            .values_list("measure_id", "measure__code", "measure__text", "status", "percent", "note")
        )
        page = Paginator(rows, per_page).get_page(page_number)
        shown = list(page.object_list)
    else:
        rows = (
            Measure.objects.filter(
                pk__in=Assignment.objects.filter(unit_id=report.unit_id).values("measure_id")
            )
            .order_by("task__plan_id", "task__number", "sequence")
            .values_list("pk", "code", "text", "status", "percent")
        )
        page = Paginator(rows, per_page).get_page(page_number)
        latest = ProgressUpdate.objects.filter(
            unit_id=report.unit_id, measure_id__in=[row[0] for row in page.object_list]
        ).latest_values("measure_id", "note")
        shown = [(*row, latest.get(row[0], ("",))[0]) for row in page.object_list]
    status_labels = {value: str(label) for value, label in Measure.Status.choices}
    link, cut = link_maker("measure_detail"), _cut_to(80)
    page.object_list = [
        ReportLine(code, cut(text), link(pk), status_labels.get(status, status), percent, note)
        for pk, code, text, status, percent, note in shown
    ]
    return page


def report_reviews(report: MonthlyReport) -> list[ReportReview]:
    if not report.pk:
        return []
    return list(
        ReportReview.objects.filter(report=report).select_related("reviewer").order_by("-created_at", "-id")
    )


def report_history(report: MonthlyReport, limit: int = 100):
    """The report's history (reports.ReportHistoryEntry), newest first, as the measure page shows its own."""
    if not report.pk:
        return []
    return history_rows(ReportHistoryEntry.objects.filter(report=report).select_related("actor")[:limit])


def report_attachments(report: MonthlyReport) -> list[ReportAttachment]:
    """The report's evidence files (佐证材料), in upload order."""
    if not report.pk:
        return []
    return list(report.attachments.select_related("uploaded_by"))


# --- The office's review queue ---------------------------------------------------

QUEUE_LIMIT = 50  # measures to sign off shown, oldest first; the office works through the queue from the top


def with_attachment_counts(reports: list[MonthlyReport]) -> list[MonthlyReport]:
    """The reports, each with ``attachment_count`` (its evidence files), in one query for the lot."""
    counts = dict(
        ReportAttachment.objects.filter(report__in=reports)
        .values("report")
        .annotate(n=Count("id"))
        .values_list("report", "n")
    )
    for report in reports:
        report.attachment_count = counts.get(report.pk, 0)
    return reports


def reports_to_review(scope=None) -> QuerySet[MonthlyReport]:
    """Submitted and resubmitted reports (of jurisdiction ``scope``), oldest submission first (the page shows
    them a page at a time)."""
    return (
        MonthlyReport.objects.in_scope(scope)
        .filter(state__in=REVIEWABLE)
        .select_related("unit")
        .order_by("submitted_at", "id")
    )


def measures_to_sign_off(limit: int = QUEUE_LIMIT, scope=None) -> list[Measure]:
    """Measures of plans in force (of jurisdiction ``scope``) reported 已完成 that the office has not signed off.

    Only what the review queue shows is loaded (code, text, the plan's title): a plan row carries its goals."""
    return list(
        Measure.objects.in_force()
        .in_scope(scope)
        .awaiting_sign_off()
        .select_related("task__plan")
        .only("code", "text", "task__plan__title")
        .prefetch_related(Prefetch("assignments", queryset=assignments_in_role_order()))
        .order_by("updated_at", "id")[:limit]
    )


def measures_to_sign_off_count(scope=None) -> int:
    return Measure.objects.in_force().in_scope(scope).awaiting_sign_off().count()


def report_timeliness_label(report: MonthlyReport, *, today: dt.date) -> str:
    """How the report page names the report's timeliness; a month the unit did not owe and left
    unreported is 无需报送, not 未报送 (reports/reporting_units.py: one query)."""
    if report.pk is None and not owes(first_owed_months([report.unit_id]), report.unit_id, report.period):
        return NOT_OWED_LABEL
    return TIMELINESS_LABELS[
        timeliness(due_date=report.due_date, first_submitted_at=report.first_submitted_at, today=today)
    ]
