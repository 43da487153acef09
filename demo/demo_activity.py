"""A few months of activity on the imported sample plans, so the demo's dashboards are populated.

``load_demo`` imports the five bundled plans (measures, units, assignments);
``generate_demo_activity`` then adds what people would have done over the
last ``months`` months: progress updates with notes, measures done, delayed
and signed off, monthly reports in every state with the office's reviews, and
the history of each step. The plans' import (导入时间) is dated to the first of
those months, so every unit owes each month's report and none before. Units
that carry measures but have nobody get a staff account (``demo-unit-<id>``).

Idempotent: a plan that already has progress is left alone, a unit-month
that already has a report is skipped, and every choice is seeded by the
object's id, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from departments import roles
from departments.models import Unit, UnitMembership
from departments.services import ensure_role_groups
from reports.models import MonthlyReport
from reports.workdays import WorkdayCalendar, previous_month, report_due_date
from tasks.models import Assignment, Measure, Plan, ProgressUpdate
from tasks.selectors import driving_units_among

from .generated_data import MARKER
from .simulated_activity import Cast, MeasureFacts, Simulation, months_between, write_progress, write_reports

DEMO_SEED = 2026
DEMO_STAFF_PREFIX = "demo-unit-"
DEMO_REVIEWER = "demo-office-reviewer"


@transaction.atomic
def generate_demo_activity(
    *, months: int = 3, seed: int = DEMO_SEED, today: dt.date | None = None, password: str | None = None
) -> dict[str, int]:
    """Add ``months`` months of progress, reports and reviews to the imported plans; returns what was added.

    ``password``: the password of staff accounts created here (default: they cannot sign in).
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    today = today or timezone.localdate()
    last = previous_month(today.replace(day=1))
    periods = months_between(_months_back(last, months - 1), last)
    plans = sample_plans()
    # The activity starts with the first month, so the plans count as imported then (Plan.created_at is
    # auto_now_add, hence the update): every unit owes every month of it (reports/reporting_units.py).
    # Only ever moved earlier, so a second run changes nothing.
    imported_at = timezone.make_aware(dt.datetime.combine(periods[0], dt.time(9)))
    plans.filter(created_at__gt=imported_at).update(created_at=imported_at)

    carriers, every_carrier = _carriers(plans)
    unit_ids = sorted({unit for pairs in carriers.values() for unit, _role in pairs})
    unit_names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    counts = {"staff_created": _staff_for_units_without(unit_ids, unit_names, password)}
    cast = Cast(staff=_staff_of(unit_ids), reviewers=_reviewers(), unit_names=unit_names)
    sim = Simulation(seed=seed, periods=periods, as_of=today, cast=cast)

    measures = {m.pk: m for m in Measure.objects.filter(pk__in=carriers).select_related("task")}
    stories = _new_measure_stories(sim, measures, carriers, every_carrier)
    counts.update(measures_updated=_apply_stories(measures, stories), **write_progress(stories, cast))

    unit_measures: dict[int, list[int]] = defaultdict(list)
    for measure_id, pairs in carriers.items():
        for unit_id in dict.fromkeys(unit for unit, _role in pairs):
            unit_measures[unit_id].append(measure_id)
    current = {pk: (m.status, m.percent) for pk, m in measures.items()}
    written = write_reports(
        _new_report_stories(sim, unit_ids, periods),
        sim=sim,
        unit_measures=unit_measures,
        measure_stories=stories,
        current_state=current,
    )
    counts["history"] = counts.get("history", 0) + written.pop("history")
    counts.update(written)
    return counts


def sample_plans():
    """The imported plans the demo works on: every plan from a file, except the generated data set's."""
    return Plan.objects.exclude(source_sha256="").exclude(source_name__startswith=MARKER + " ")


def _carriers(plans) -> tuple[dict[int, list[tuple[int, str]]], dict[int, list[tuple[int, str]]]]:
    """measure id → its (unit id, role) pairs: without group units (各街乡镇 …), and with them."""
    carriers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    every_carrier: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for measure_id, unit_id, role, kind in (
        Assignment.objects.filter(measure__task__plan__in=plans)
        .values_list("measure_id", "unit_id", "role", "unit__kind")
        .order_by("measure_id", "role", "unit_id")
    ):
        every_carrier[measure_id].append((unit_id, role))
        if kind != Unit.Kind.GROUP:
            carriers[measure_id].append((unit_id, role))
    return carriers, every_carrier


def _new_measure_stories(sim: Simulation, measures: dict, carriers, every_carrier) -> dict:
    """A story for each measure of a plan nobody has reported on yet (and gets some): measure id → story.

    By plan, not by measure: a measure left without progress by the first run (its story drew 未启动) is
    part of a plan whose activity has been written; drawn again on a later day, its deadline would stand
    differently and the second run would move it.
    """
    started = set(
        ProgressUpdate.objects.filter(measure_id__in=measures).values_list(
            "measure__task__plan_id", flat=True
        )
    )
    stories = {}
    for pk, measure in measures.items():
        if measure.task.plan_id in started:
            continue
        story = sim.measure_story(
            MeasureFacts(
                f"demo-measure-{pk}",
                measure.deadline_kind,
                measure.due_date,
                tuple(carriers[pk]),
                # The rule on every carrier: a group unit (各街乡镇 …) that leads still drives the measure,
                # though nobody files for it here.
                drivers=driving_units_among(every_carrier[pk]),
            )
        )
        if story.updates:
            stories[pk] = story
    return stories


def _apply_stories(measures: dict, stories: dict) -> int:
    """Each measure as its story leaves it (status, percent, sign-off, version); returns how many changed."""
    changed = []
    for pk, story in stories.items():
        measure = measures[pk]
        measure.status, measure.percent, measure.signed_off_at, measure.finished_on = (
            story.status,
            story.percent,
            story.signed_off_at,
            story.finished_on,
        )
        measure.version += story.version - 1
        measure.updated_at = story.last_change
        changed.append(measure)
    Measure.objects.bulk_update(
        changed,
        ["status", "percent", "signed_off_at", "finished_on", "version", "updated_at"],
        batch_size=500,
    )
    return len(changed)


def _new_report_stories(sim: Simulation, unit_ids: list[int], periods: list[dt.date]) -> list:
    """A report story for each unit and month that has no report yet."""
    calendar = WorkdayCalendar.from_database()
    due_dates = {p: report_due_date(p, calendar) for p in periods}
    unit_keys = {unit: f"demo-unit-{unit}" for unit in unit_ids}
    existing = set(
        MonthlyReport.objects.filter(unit_id__in=unit_ids, period__in=periods).values_list(
            "unit_id", "period"
        )
    )
    return [
        sim.report_story(
            unit_id=unit, unit_key=unit_keys[unit], period=period, due_date=due_dates[period], outcome=outcome
        )
        for (unit, period), outcome in sim.report_outcomes(unit_keys, due_dates).items()
        if (unit, period) not in existing
    ]


def _months_back(month: dt.date, n: int) -> dt.date:
    for _ in range(n):
        month = previous_month(month)
    return month


def _staff_for_units_without(unit_ids: list[int], unit_names: dict[int, str], password: str | None) -> int:
    """One staff account for every unit that carries measures but has no member."""
    User = get_user_model()
    staffed = set(UnitMembership.objects.filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    missing = [unit for unit in unit_ids if unit not in staffed]
    if not missing:
        return 0
    hashed = make_password(password)
    wanted = {f"{DEMO_STAFF_PREFIX}{unit}": unit for unit in missing}
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, password=hashed, first_name=f"{unit_names[unit]}填报员"[:150])
            for name, unit in wanted.items()
            if name not in have
        ]
    )
    users = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    group = ensure_role_groups()[roles.UNIT_STAFF]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=group.pk) for pk in users.values()], ignore_conflicts=True
    )
    UnitMembership.objects.bulk_create(
        [UnitMembership(user_id=users[name], unit_id=unit) for name, unit in wanted.items()],
        ignore_conflicts=True,
    )
    return len(wanted) - len(have)


def _staff_of(unit_ids: list[int]) -> dict[int, tuple[int, ...]]:
    staff: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in (
        UnitMembership.objects.filter(unit_id__in=unit_ids)
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id")
    ):
        staff[unit_id].append(user_id)
    return {unit: tuple(users) for unit, users in staff.items()}


def _reviewers() -> tuple[int, ...]:
    """The office administrators who review; one is created if there is none yet."""
    User = get_user_model()
    ids = tuple(
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=roles.OFFICE_ADMIN))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    if ids:
        return ids
    reviewer, created = User.objects.get_or_create(
        username=DEMO_REVIEWER, defaults={"first_name": "大气办审核员", "is_staff": True}
    )
    if created:
        reviewer.set_unusable_password()
        reviewer.save(update_fields=["password"])
    reviewer.groups.add(ensure_role_groups()[roles.OFFICE_ADMIN])
    return (reviewer.pk,)
