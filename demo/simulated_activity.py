"""Simulated months of work: progress updates on measures, monthly reports and the office's review.

Shared by the generated data set (``demo.generated_data``) and the demo
(``demo.demo_activity``). The simulation is pure Python: it turns the facts
of a measure (deadline, carrying units) or of a unit-month (due date) into a
*story* — dated events — and the ``write_*`` functions turn stories into rows
with bulk_create.

Every random choice is drawn from a generator seeded by the run's seed and the
object's stable key, so one measure or one unit-month always gets the same
story whatever else is generated: the demo relies on this to be idempotent,
and the benchmarks to be reproducible.

Stories respect the workflow's rules (draft → submitted → returned →
resubmitted → accepted; a return has a reason; 无法按期完成 has a reason;
only done measures are signed off) and never date anything after ``as_of``.
"""

# Long module: demo data, not domain code: the simulation of a measure's progress and of a unit's monthly
# reports reads as one story, told in order.
from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from reports.models import MonthlyReport, MonthlyReportItem, ReportHistoryEntry, ReportReview
from reports.workdays import next_month
from tasks.models import Assignment, HistoryEntry, Measure, ProgressUpdate
from tasks.selectors import driving_units_among
from tasks.services import reporter_label

from . import generated_wording as wording

Status = Measure.Status
Kind = Measure.DeadlineKind
State = MonthlyReport.State
BATCH = 2000

# How often, per month, a carrying unit files progress on a measure, by its role.
_UPDATE_RATE = {"lead": 0.55, "responsible": 0.3, "assisting": 0.08}

# Report outcomes of a unit-month, and how likely each is.
MISSING, DRAFT, SUBMITTED, RETURNED, RESUBMITTED = "missing", "draft", "submitted", "returned", "resubmitted"
ACCEPTED, ACCEPTED_LATE, RETURNED_FIXED = "accepted", "accepted_late", "returned_fixed"
_SETTLED = {
    ACCEPTED: 76,
    ACCEPTED_LATE: 9,
    RETURNED_FIXED: 7,
    MISSING: 4,
    DRAFT: 2,
    RETURNED: 1,
    SUBMITTED: 1,
}
_RECENT = {
    ACCEPTED: 70,
    ACCEPTED_LATE: 6,
    RETURNED_FIXED: 4,
    SUBMITTED: 8,
    RESUBMITTED: 4,
    RETURNED: 4,
    MISSING: 4,
}
_LATEST = {
    ACCEPTED: 30,
    SUBMITTED: 24,
    DRAFT: 12,
    MISSING: 8,
    RETURNED: 9,
    RESUBMITTED: 8,
    ACCEPTED_LATE: 5,
    RETURNED_FIXED: 4,
}
# The latest month always shows every state: the first units (by key) get these outcomes.
LATEST_ROTATION = (ACCEPTED, SUBMITTED, RETURNED, RESUBMITTED, DRAFT, MISSING, ACCEPTED_LATE, RETURNED_FIXED)


def _choose(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@contextmanager
def timestamps_as_given(*models):
    """Let bulk writes keep the simulated times in auto_now/auto_now_add fields.

    Django would stamp them with the current time; generated history must be
    dated when it happened. The fields' flags are restored on exit.
    """
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first`` to ``last`` inclusive."""
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


# --- Facts in, stories out ------------------------------------------------------


@dataclass(frozen=True)
class MeasureFacts:
    key: str  # stable across runs: seeds this measure's story
    deadline_kind: str
    due_date: dt.date | None
    carriers: tuple[tuple[int, str], ...]  # (unit id, role)
    # The units whose updates set the measure, when not those of ``carriers`` (e.g. a group unit leads).
    drivers: frozenset[int] | None = None


@dataclass(frozen=True)
class Update:
    at: dt.datetime
    unit_id: int
    author_id: int
    status: str
    percent: int | None
    note: str
    delay_reason: str = ""
    role: str = Assignment.Role.LEAD  # the unit's role on the measure
    sets_measure: bool = True  # a driving unit's update (see tasks.selectors.driving_unit_ids)


@dataclass
class MeasureStory:
    updates: list[Update] = field(default_factory=list)
    signed_off_at: dt.datetime | None = None
    signed_off_by: int | None = None

    @property
    def status(self) -> str:
        return self.state_at(None)[0]

    @property
    def percent(self) -> int | None:
        return self.state_at(None)[1]

    @property
    def version(self) -> int:
        return 1 + len(self.updates) + (self.signed_off_at is not None)

    @property
    def finished_on(self) -> dt.date | None:
        """The day the measure finished (as tasks.services.finished_on_after records it): its driving units'
        已完成 that closed it, else the day it was signed off; None while it is not finished."""
        if self.status == Status.DONE:
            done = next(u for u in reversed(self.updates) if u.sets_measure)
            return done.at.date()
        return self.signed_off_at.date() if self.signed_off_at else None

    @property
    def last_change(self) -> dt.datetime | None:
        return self.signed_off_at or (self.updates[-1].at if self.updates else None)

    def state_at(self, when: dt.datetime | None) -> tuple[str, int | None]:
        """The measure's status and percent at ``when`` (None: now): its driving units' last update."""
        updates = self.updates
        if when is not None:
            updates = updates[: bisect.bisect_right([u.at for u in updates], when)]
        update = next((u for u in reversed(updates) if u.sets_measure), None)
        if update is None:
            return Status.NOT_STARTED, None
        return update.status, update.percent

    def note_at(self, unit_id: int, when: dt.datetime) -> str:
        for update in reversed(self.updates):
            if update.at <= when and update.unit_id == unit_id:
                return update.note
        return ""


@dataclass(frozen=True)
class ReportEvent:
    kind: str  # create, submit, return, resubmit, accept
    at: dt.datetime


@dataclass
class ReportStory:
    unit_id: int
    period: dt.date
    due_date: dt.date
    outcome: str
    author_id: int | None
    events: list[ReportEvent]


@dataclass(frozen=True)
class Cast:
    """Who acts: staff of each unit, the office's reviewers, unit names (for history comments)."""

    staff: dict[int, tuple[int, ...]]
    reviewers: tuple[int, ...]
    unit_names: dict[int, str]


class Simulation:
    def __init__(self, *, seed: int, periods: list[dt.date], as_of: dt.date, cast: Cast):
        if not periods:
            raise ValueError("at least one month is needed")
        self.seed, self.periods, self.as_of, self.cast = seed, periods, as_of, cast
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.latest_moment = dt.datetime.combine(as_of, dt.time(18, 0), tzinfo=self.tz)

    def rng(self, *key) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    def moment(self, day: dt.date, rng: random.Random) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=self.tz)

    # --- measures -------------------------------------------------------------

    def measure_story(self, facts: MeasureFacts) -> MeasureStory:
        rng = self.rng("measure", facts.key)
        as_of, due = self.as_of, facts.due_date
        ongoing = due is None or facts.deadline_kind in (Kind.ONGOING, Kind.RECURRING)
        outcome = _measure_outcome(rng, due=due, as_of=as_of, ongoing=ongoing)
        reporters = [(unit, role) for unit, role in facts.carriers if self.cast.staff.get(unit)]
        driving = driving_units_among(facts.carriers) if facts.drivers is None else facts.drivers
        # Only a driving unit (the 牵头, else the 主责) moves the measure: without one to act, nothing happens.
        leads = [r for r in reporters if r[0] in driving]
        if outcome == Status.NOT_STARTED or not leads:
            return MeasureStory()

        start = self.periods[rng.randint(0, (len(self.periods) - 1) // 3)]
        cutoff = as_of  # updates happen before this day
        final_day = None
        if outcome == Status.DONE:
            final_day = max(due + dt.timedelta(days=rng.randint(-75, 10)), start)
            if final_day >= as_of:  # finished ahead of a deadline still to come: some day of the past weeks
                final_day = max(start, as_of - dt.timedelta(days=rng.randint(1, 75)))
            cutoff = final_day
        elif outcome == Status.DELAYED:
            final_day = max(start, as_of - dt.timedelta(days=rng.randint(1, 60)))
            cutoff = final_day

        days: list[tuple[dt.date, int, str]] = []
        for month in months_between(start, cutoff):
            for unit, role in reporters:
                if rng.random() < _UPDATE_RATE.get(role, 0.1):
                    day = month + dt.timedelta(days=rng.randint(0, 27))
                    if day < cutoff:
                        days.append((day, unit, role))
        if final_day is not None:
            days.append((final_day, *rng.choice(leads)))
        elif not any(unit in driving for _day, unit, _role in days):
            # Only a driving unit moves the measure: one of them reports at least once.
            last = max(start, as_of - dt.timedelta(days=rng.randint(1, 40)))
            days.append((min(last, as_of - dt.timedelta(days=1)), *rng.choice(leads)))
        events = sorted((self.moment(day, rng), unit, role) for day, unit, role in days)
        updates = self._updates(rng, events, outcome=outcome, with_percent=not ongoing, driving=driving)
        story = MeasureStory(updates=updates)
        if outcome == Status.DONE and self.cast.reviewers and rng.random() < 0.55:
            signed = updates[-1].at + dt.timedelta(days=rng.randint(2, 20))
            if signed <= self.latest_moment:
                story.signed_off_at, story.signed_off_by = signed, rng.choice(self.cast.reviewers)
        return story

    def _updates(
        self, rng: random.Random, events, *, outcome: str, with_percent: bool, driving
    ) -> list[Update]:
        """The measure's progress updates at ``events`` (moment, unit, role), climbing to ``outcome``."""
        final_percent = {
            Status.DONE: 100,
            Status.IN_PROGRESS: rng.randint(4, 18) * 5,
            Status.DELAYED: rng.randint(2, 14) * 5,
        }.get(outcome)
        updates = []
        for index, (at, unit, role) in enumerate(events):
            last = index == len(events) - 1
            if with_percent:
                status = outcome if last else Status.IN_PROGRESS
                percent = (
                    final_percent
                    if last
                    else max(5, round(final_percent * (index + 1) / len(events) / 5) * 5)
                )
                percent = min(percent, final_percent if status == Status.DONE else min(final_percent, 95))
            else:
                status, percent = Status.ONGOING, None
            note = (
                "工程已完工并通过验收，相关佐证材料已上传。"
                if status == Status.DONE
                else wording.progress_note(rng, percent)
            )
            updates.append(
                Update(
                    at=at,
                    unit_id=unit,
                    author_id=rng.choice(self.cast.staff[unit]),
                    status=status,
                    percent=percent,
                    note=note,
                    delay_reason=rng.choice(wording.DELAY_REASONS) if status == Status.DELAYED else "",
                    role=role,
                    sets_measure=unit in driving,
                )
            )
        return updates

    # --- monthly reports --------------------------------------------------------

    def report_outcomes(
        self, unit_keys: dict[int, str], due_dates: dict[dt.date, dt.date]
    ) -> dict[tuple, str]:
        """(unit id, period) → outcome; the latest month rotates through every state first."""
        outcomes = {}
        ordered = sorted(unit_keys, key=lambda unit: unit_keys[unit])
        latest = self.periods[-1]
        for period in self.periods:
            recent = due_dates[period] + dt.timedelta(days=14) > self.as_of
            for index, unit in enumerate(ordered):
                rng = self.rng("report", unit_keys[unit], period.isoformat())
                if not self.cast.staff.get(unit):
                    outcome = MISSING
                elif period == latest:
                    outcome = (
                        LATEST_ROTATION[index] if index < len(LATEST_ROTATION) else _choose(rng, _LATEST)
                    )
                else:
                    outcome = _choose(rng, _RECENT if recent else _SETTLED)
                outcomes[(unit, period)] = outcome
        return outcomes

    def report_story(
        self, *, unit_id: int, unit_key: str, period: dt.date, due_date: dt.date, outcome: str
    ) -> ReportStory:
        rng = self.rng("report-story", unit_key, period.isoformat())
        author = rng.choice(self.cast.staff[unit_id]) if self.cast.staff.get(unit_id) else None
        story = ReportStory(unit_id, period, due_date, outcome, author, [])
        if outcome == MISSING:
            return story
        opens = dt.datetime.combine(next_month(period), dt.time(8, 30), tzinfo=self.tz)
        late = outcome == ACCEPTED_LATE or (outcome != ACCEPTED and rng.random() < 0.1)
        submit_day = (
            due_date + dt.timedelta(days=rng.randint(1, 8))
            if late
            else due_date - dt.timedelta(days=rng.randint(0, 2))
        )
        submit = max(self.moment(submit_day, rng), opens + dt.timedelta(hours=1))
        created = max(opens, submit - dt.timedelta(hours=rng.randint(2, 60)))
        steps = {
            DRAFT: (),
            SUBMITTED: ("submit",),
            ACCEPTED: ("submit", "accept"),
            ACCEPTED_LATE: ("submit", "accept"),
            RETURNED: ("submit", "return"),
            RESUBMITTED: ("submit", "return", "resubmit"),
            RETURNED_FIXED: ("submit", "return", "resubmit", "accept"),
        }[outcome]
        events, at = [ReportEvent("create", created)], submit
        for step in steps:
            events.append(ReportEvent(step, at))
            at += dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
        story.events = self._fit_before_as_of(events, opens)
        return story

    def _fit_before_as_of(self, events: list[ReportEvent], opens: dt.datetime) -> list[ReportEvent]:
        """Squeeze a story that would run past ``as_of`` into the time between the month's end and then."""
        last = events[-1].at
        if last <= self.latest_moment:
            return events
        start = min(events[0].at, opens)
        span = max((self.latest_moment - start).total_seconds(), len(events) * 60.0)
        full = max((last - start).total_seconds(), 1.0)
        squeezed, previous = [], None
        for event in events:
            at = start + dt.timedelta(seconds=(event.at - start).total_seconds() * span / full)
            if previous is not None and at <= previous:
                at = previous + dt.timedelta(minutes=1)
            squeezed.append(ReportEvent(event.kind, at))
            previous = at
        return squeezed


# --- Stories to rows --------------------------------------------------------------


def _batched(objects: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(objects), size):
        yield objects[start : start + size]


def bulk_insert(model, objects: list) -> None:
    for batch in _batched(objects):
        model.objects.bulk_create(batch)


def progress_rows(
    measure_id: int,
    story: MeasureStory,
    cast: Cast,
    *,
    before: tuple[str, int | None] = (Status.NOT_STARTED, None),
):
    """The ProgressUpdate and HistoryEntry rows of one measure's story."""
    updates, history = [], []
    status, percent = before
    for u in story.updates:
        updates.append(
            ProgressUpdate(
                measure_id=measure_id,
                unit_id=u.unit_id,
                author_id=u.author_id,
                status=u.status,
                percent=u.percent,
                note=u.note,
                delay_reason=u.delay_reason,
                sets_measure=u.sets_measure,
                created_at=u.at,
            )
        )
        changes = {}
        if u.sets_measure and u.status != status:
            changes["status"] = [str(Status(status).label), str(Status(u.status).label)]
        if u.sets_measure and u.percent != percent:
            changes["percent"] = [percent, u.percent]
        reporter = reporter_label(
            cast.unit_names.get(u.unit_id, ""), Assignment.Role(u.role).label, sets_measure=u.sets_measure
        )
        history.append(
            HistoryEntry(
                measure_id=measure_id,
                actor_id=u.author_id,
                action=HistoryEntry.Action.PROGRESS,
                changes=changes,
                comment=f"{reporter}：{u.note}"[:500],
                created_at=u.at,
            )
        )
        if u.sets_measure:
            status, percent = u.status, u.percent
    if story.signed_off_at is not None:
        history.append(
            HistoryEntry(
                measure_id=measure_id,
                actor_id=story.signed_off_by,
                action=HistoryEntry.Action.SIGN_OFF,
                changes={
                    "status": [str(Status(status).label), str(Status.DONE.label)],
                    "signed_off": [False, True],
                },
                comment="经核查，措施已完成，予以销号。",
                created_at=story.signed_off_at,
            )
        )
    return updates, history


def write_progress(stories: dict[int, MeasureStory], cast: Cast) -> dict[str, int]:
    """Insert the progress updates and history of many measures' stories."""
    updates, history = [], []
    for measure_id, story in stories.items():
        u, h = progress_rows(measure_id, story, cast)
        updates += u
        history += h
    with timestamps_as_given(ProgressUpdate, HistoryEntry):
        bulk_insert(ProgressUpdate, updates)
        bulk_insert(HistoryEntry, history)
    return {"progress_updates": len(updates), "history": len(history)}


_STATE_AFTER = {
    "submit": State.SUBMITTED,
    "return": State.RETURNED,
    "resubmit": State.RESUBMITTED,
    "accept": State.ACCEPTED,
}
_HISTORY_ACTION = {
    "submit": ReportHistoryEntry.Action.SUBMIT,
    "resubmit": ReportHistoryEntry.Action.SUBMIT,
    "return": ReportHistoryEntry.Action.RETURN,
    "accept": ReportHistoryEntry.Action.ACCEPT,
}


def write_reports(
    stories: Iterable[ReportStory],
    *,
    sim: Simulation,
    unit_measures: dict[int, list[int]],
    measure_stories: dict[int, MeasureStory],
    current_state: dict[int, tuple[str, int | None]] | None = None,
) -> dict[str, int]:
    """Insert monthly reports with their items (a snapshot at the last submission), reviews and history.

    ``current_state`` gives the status of measures that have no simulated story
    (the demo leaves measures with real progress alone).
    """
    current_state = current_state or {}
    reports, children = [], []
    for story in stories:
        if story.outcome == MISSING:
            continue
        rng = sim.rng("report-text", story.unit_id, story.period.isoformat())
        measures = unit_measures.get(story.unit_id, [])
        report = MonthlyReport(
            unit_id=story.unit_id,
            period=story.period,
            due_date=story.due_date,
            state=State.DRAFT,
            created_by_id=story.author_id,
            updated_at=story.events[-1].at,
            version=1,
        )

        reviews, history, snapshot_at = _play_report_events(
            report,
            story,
            rng,
            sim,
            done_at=lambda at: _done_count(measures, at, measure_stories, current_state),
        )
        if report.state == State.DRAFT:
            report.summary = "" if rng.random() < 0.5 else "本月工作小结（草稿）：各项措施按计划推进。"
        items = []
        if snapshot_at is not None:
            for measure_id in measures:
                status, percent = _measure_state(measure_id, snapshot_at, measure_stories, current_state)
                story_of_measure = measure_stories.get(measure_id)
                note = story_of_measure.note_at(story.unit_id, snapshot_at) if story_of_measure else ""
                items.append(
                    MonthlyReportItem(measure_id=measure_id, status=status, percent=percent, note=note)
                )
        reports.append(report)
        children.append((items, reviews, history))
    return _insert_reports(reports, children)


def _play_report_events(report: MonthlyReport, story: ReportStory, rng, sim: Simulation, *, done_at):
    """Walk ``report`` through its story's events (submit, return, accept …); answers its reviews, its history
    and when its items were last frozen (the last submission; None if never submitted)."""
    reviews, history, snapshot_at = [], [], None
    for event in story.events:
        if event.kind == "create":
            continue
        before = str(State(report.state).label)
        report.state = _STATE_AFTER[event.kind]
        report.version += 1
        comment = ""
        if event.kind in ("submit", "resubmit"):
            done, of = done_at(event.at)
            report.summary = rng.choice(wording.REPORT_SUMMARIES).format(n=of, d=done)
            report.first_submitted_at = report.first_submitted_at or event.at
            report.submitted_at, snapshot_at = event.at, event.at
            comment, actor = report.summary, story.author_id
        else:
            actor = rng.choice(sim.cast.reviewers)
            if event.kind == "return":
                comment = rng.choice(wording.RETURN_REASONS)
                report.return_count += 1
                decision = ReportReview.Decision.RETURN
            else:
                comment = rng.choice(wording.ACCEPT_COMMENTS)
                report.accepted_at = event.at
                decision = ReportReview.Decision.ACCEPT
            reviews.append(
                ReportReview(reviewer_id=actor, decision=decision, comment=comment, created_at=event.at)
            )
        history.append(
            ReportHistoryEntry(
                actor_id=actor,
                action=_HISTORY_ACTION[event.kind],
                changes={"state": [before, str(State(report.state).label)]},
                comment=comment[:500],
                created_at=event.at,
            )
        )
    return reviews, history, snapshot_at


def _done_count(measures: list[int], at: dt.datetime, measure_stories, current_state) -> tuple[int, int]:
    """(How many of ``measures`` were done at ``at``, how many there are): the report's summary says so."""
    done = sum(1 for m in measures if _measure_state(m, at, measure_stories, current_state)[0] == Status.DONE)
    return done, len(measures)


def _insert_reports(reports: list[MonthlyReport], children: list[tuple]) -> dict[str, int]:
    """Insert the reports, then their items, reviews and history (each list in bulk); answers the counts."""
    with timestamps_as_given(MonthlyReport, ReportReview, ReportHistoryEntry):
        bulk_insert(MonthlyReport, reports)
        all_items, all_reviews, all_history = [], [], []
        for report, (items, reviews, history) in zip(reports, children):
            for row in (*items, *reviews, *history):
                row.report = report
            all_items += items
            all_reviews += reviews
            all_history += history
        bulk_insert(MonthlyReportItem, all_items)
        bulk_insert(ReportReview, all_reviews)
        bulk_insert(ReportHistoryEntry, all_history)
    return {
        "reports": len(reports),
        "report_items": len(all_items),
        "reviews": len(all_reviews),
        "history": len(all_history),
    }


def _measure_state(measure_id, when, measure_stories, current_state) -> tuple[str, int | None]:
    story = measure_stories.get(measure_id)
    if story is not None:
        return story.state_at(when)
    return current_state.get(measure_id, (Status.NOT_STARTED, None))


def _measure_outcome(rng: random.Random, *, due: dt.date | None, as_of: dt.date, ongoing: bool) -> str:
    """Where a measure's story ends, drawn by how its deadline stands on ``as_of``."""
    if ongoing:
        return _choose(rng, {Status.ONGOING: 9, Status.NOT_STARTED: 1})
    if due < as_of:
        return _choose(
            rng, {Status.DONE: 62, Status.DELAYED: 12, Status.IN_PROGRESS: 20, Status.NOT_STARTED: 6}
        )
    if due <= as_of + dt.timedelta(days=30):
        return _choose(
            rng, {Status.DONE: 30, Status.IN_PROGRESS: 55, Status.NOT_STARTED: 10, Status.DELAYED: 5}
        )
    return _choose(rng, {Status.DONE: 12, Status.IN_PROGRESS: 60, Status.NOT_STARTED: 24, Status.DELAYED: 4})
