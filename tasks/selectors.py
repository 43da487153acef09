"""Reading plans, measures, progress and history: named queries with a fixed number of SQL statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from bluesky.links import link_maker
from departments.roles import can_read_everything, user_unit_ids
from departments.scopes import scope_of

from .chapter_pages import MY_MEASURES_ORDER
from .models import Assignment, Chapter, HistoryEntry, Measure, Plan, ProgressUpdate
from .traffic_light import Light, measure_light


def plan_list(plans: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    """Every plan (of ``plans``) with its counts, in one query."""
    return (Plan.objects.all() if plans is None else plans).with_counts().order_by("-year_start", "title")


@dataclass
class UnitTag:
    """How a measure's units are shown: one tag per role and name as written (a group stays one tag)."""

    role: str
    label: str
    written_as: str
    confirmed: bool
    count: int


def unit_tags(assignments, role_labels: dict[str, str]) -> list[UnitTag]:
    """Group a measure's assignments ((role, written_as, confirmed, unit name) in role order) by role and the name
    the document used (各街乡镇 → one tag, 21 units).

    A name standing for one unit shows the unit's current name (区环保局 → 区生态环境局). ``role_labels``
    (``role_labels()``, translated once for a page of measures) name the roles.
    """
    tags: dict[tuple[str, str], UnitTag] = {}
    for role, written_as, confirmed, unit_name in assignments:
        written = written_as or unit_name
        tag = tags.get((role, written))
        if tag is None:
            tags[(role, written)] = UnitTag(role_labels.get(role, role), unit_name, written, confirmed, 1)
        else:
            tag.count += 1
            tag.label = written
            tag.confirmed = tag.confirmed and confirmed
    return list(tags.values())


def role_labels() -> dict[str, str]:
    """Each role's label, translated once (``Assignment.role_label`` costs tens of microseconds a call)."""
    return {value: str(label) for value, label in Assignment.Role.choices}


@dataclass
class PlanTree:
    chapters: list[Chapter]  # every chapter, with task_count and measure_count
    chapter: Chapter | None  # the one shown, with its task_list (chapter_tasks)


def plan_tree(plan: Plan, chapter_number: int | None = None) -> PlanTree:
    """A plan's chapters, and one chapter in full (the first with tasks unless asked): four queries.

    One chapter at a time keeps the page fast and readable however large the plan.
    """
    chapters = list(
        plan.chapters.order_by("number").annotate(
            task_count=Count("tasks", distinct=True),
            measure_count=Count("tasks__measures", distinct=True),
        )
    )
    chosen = next((c for c in chapters if c.number == chapter_number), None) or next(
        (c for c in chapters if c.task_count), None
    )
    if chosen is not None:
        chosen.task_list = chapter_tasks(chosen)
    return PlanTree(chapters, chosen)


def chapter_tasks(chapter: Chapter) -> list:
    """The chapter's tasks, each with ``measure_list``: its measures, each with ``url`` and ``unit_tags``. Three
    queries of plain rows: prefetched, a city chapter's hundreds of measures and units were a third of the page."""
    units: dict[int, list[tuple]] = {}
    assignments = Assignment.objects.filter(measure__task__chapter=chapter).order_by(ROLE_RANK, "id")
    for measure_id, *unit in assignments.values_list(
        "measure_id", "role", "written_as", "confirmed", "unit__name"
    ):
        units.setdefault(measure_id, []).append(unit)
    tasks = {task.pk: task for task in chapter.tasks.order_by("number")}
    for task in tasks.values():
        task.measure_list = []
    link, labels = link_maker("measure_detail"), role_labels()  # once for the chapter, not per measure
    shown = ("task_id", "code", "text", "deadline_text", "due_date", "deadline_guessed")
    for measure in Measure.objects.filter(task__chapter=chapter).order_by("sequence").only(*shown):
        measure.url = link(measure.pk)
        measure.unit_tags = unit_tags(units.get(measure.pk, ()), labels)
        tasks[measure.task_id].measure_list.append(measure)
    return list(tasks.values())


# --- My measures (我的任务) ------------------------------------------------------

# 牵头, 主责, 协办: the order units are named in (alphabetical order of the codes would put 协办 first).
ROLES_IN_ORDER = (Assignment.Role.LEAD, Assignment.Role.RESPONSIBLE, Assignment.Role.ASSISTING)
ROLE_RANK = Case(
    When(role=Assignment.Role.LEAD, then=Value(0)),
    When(role=Assignment.Role.RESPONSIBLE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def assignments_in_role_order() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("unit").order_by(ROLE_RANK, "id")


DUE_WINDOWS = {
    "overdue": _("已逾期"),
    "7": _("7天内到期"),
    "30": _("30天内到期"),
    "90": _("90天内到期"),
    "none": _("无固定期限"),
}
SIGNED_OFF = "signed_off"


@dataclass(frozen=True)
class MeasureFilters:
    """What the 我的任务 page is narrowed to; empty values mean "all"."""

    plan_id: int | None = None
    unit_id: int | None = None
    role: str = ""
    status: str = ""
    due: str = ""
    q: str = ""


@dataclass
class MeasureRow:
    measure: Measure
    roles: list[str]  # the user's (or the filtered unit's) roles on the measure: 牵头/主责/协办
    light: Light


@dataclass
class ChapterGroup:
    chapter: Chapter
    rows: list[MeasureRow] = field(default_factory=list)


@dataclass
class PlanGroup:
    plan: Plan
    chapters: list[ChapterGroup] = field(default_factory=list)


def _scope_unit_ids(user, unit_id: int | None) -> frozenset[int] | None:
    """The units whose measures the user sees (None: every measure)."""
    if can_read_everything(user):
        return frozenset({unit_id}) if unit_id else None
    own = user_unit_ids(user)
    return own & {unit_id} if unit_id else own


def measures_for_user(*, user, filters: MeasureFilters, today: dt.date) -> QuerySet[Measure]:
    """The measures the user's units carry (office and viewers: every measure of their jurisdiction), filtered.

    Ordered by plan, chapter, task and sequence for grouping; assignments (with
    units) are prefetched so rows cost no further query.
    """
    # A withdrawn plan's measures are nobody's task (the plan page still shows them, read-only).
    measures = Measure.objects.in_force().select_related("task__chapter", "task__plan")
    if can_read_everything(user):
        measures = measures.in_scope(scope_of(user))
    scope = _scope_unit_ids(user, filters.unit_id)
    if scope is not None or filters.role:
        carried = Assignment.objects.all()
        if scope is not None:
            carried = carried.filter(unit_id__in=scope)
        if filters.role:
            carried = carried.filter(role=filters.role)
        measures = measures.filter(pk__in=carried.values("measure_id"))
    if filters.plan_id:
        measures = measures.filter(task__plan_id=filters.plan_id)
    if filters.status == SIGNED_OFF:
        measures = measures.filter(signed_off_at__isnull=False)
    elif filters.status:
        measures = measures.filter(status=filters.status)
    if filters.due == "overdue":
        measures = measures.overdue(on=today)
    elif filters.due in ("7", "30", "90"):
        measures = measures.due_between(today, today + dt.timedelta(days=int(filters.due)))
    elif filters.due == "none":
        measures = measures.filter(due_date__isnull=True)
    if filters.q:
        measures = measures.filter(
            Q(text__icontains=filters.q) | Q(code__icontains=filters.q) | Q(task__title__icontains=filters.q)
        )
    return measures.prefetch_related(Prefetch("assignments", queryset=assignments_in_role_order())).order_by(
        *MY_MEASURES_ORDER
    )


def measure_rows(measures, *, user, today: dt.date, unit_id: int | None = None) -> list[MeasureRow]:
    """Rows with the roles of the user's units (or of ``unit_id``) and the traffic light."""
    units = frozenset({unit_id}) if unit_id else user_unit_ids(user)
    rows = []
    for measure in measures:
        roles = [a.get_role_display() for a in measure.assignments.all() if a.unit_id in units]
        rows.append(
            MeasureRow(
                measure=measure, roles=list(dict.fromkeys(roles)), light=measure_light(measure, today=today)
            )
        )
    return rows


def group_by_plan_and_chapter(rows: list[MeasureRow]) -> list[PlanGroup]:
    """Rows (already ordered by plan and chapter) → plan groups → chapter groups."""
    groups: list[PlanGroup] = []
    for row in rows:
        task = row.measure.task
        if not groups or groups[-1].plan.pk != task.plan_id:
            groups.append(PlanGroup(plan=task.plan))
        chapters = groups[-1].chapters
        if not chapters or chapters[-1].chapter.pk != task.chapter_id:
            chapters.append(ChapterGroup(chapter=task.chapter))
        chapters[-1].rows.append(row)
    return groups


# --- One measure ------------------------------------------------------------------


def measure_for_page(pk: int) -> Measure:
    """A measure with its plan, chapter, task, units and milestones (three queries); DoesNotExist if none."""
    return (
        Measure.objects.select_related("task__chapter", "task__plan")
        .prefetch_related(
            Prefetch("assignments", queryset=assignments_in_role_order()),
            "milestones",
        )
        .get(pk=pk)
    )


def driving_unit_ids(measure: Measure) -> frozenset[int]:
    """The units whose progress updates set the measure's status and percent.

    The 牵头单位 answer for the measure as a whole; a measure without one is
    driven by its 主责单位, and one with neither by every unit carrying it. The
    others (协办, or 主责 beside a 牵头) report their own part. Reads
    ``measure.assignments.all()``, so a prefetch costs no query.
    """
    return driving_units_among((a.unit_id, a.role) for a in measure.assignments.all())


def driving_units_among(carriers) -> frozenset[int]:
    """``driving_unit_ids`` from (unit id, role) pairs: for the generators, which have no saved measure yet."""
    by_role: dict[str, set[int]] = {role: set() for role in Assignment.Role.values}
    for unit_id, role in carriers:
        by_role[role].add(unit_id)
    leads, responsible = by_role[Assignment.Role.LEAD], by_role[Assignment.Role.RESPONSIBLE]
    return frozenset(leads or responsible or set().union(*by_role.values()))


@dataclass(frozen=True)
class FilingUnit:
    """A unit the user may report for on a measure, as the progress form presents it."""

    unit_id: int
    name: str
    role: str  # its foremost role on the measure: 牵头 / 主责 / 协办
    drives: bool  # its updates set the measure's status and percent


def filing_units(measure: Measure, unit_ids) -> list[FilingUnit]:
    """``unit_ids`` (those the user may report for) in role order, with their role and whether they drive.

    Reads the prefetched assignments (``measure_for_page``): no query.
    """
    driving = driving_unit_ids(measure)
    units: dict[int, FilingUnit] = {}
    for a in sorted(measure.assignments.all(), key=lambda a: (ROLES_IN_ORDER.index(a.role), a.pk)):
        if a.unit_id in unit_ids and a.unit_id not in units:
            units[a.unit_id] = FilingUnit(
                a.unit_id, a.unit.name, a.get_role_display(), drives=a.unit_id in driving
            )
    return list(units.values())


def driving_role(measure: Measure) -> str:
    """The role label of the units that drive the measure (牵头 or 主责; empty when every unit drives)."""
    roles = {a.role for a in measure.assignments.all()}
    for role in (Assignment.Role.LEAD, Assignment.Role.RESPONSIBLE):
        if role in roles:
            return str(Assignment.Role(role).label)
    return ""


def progress_form_initial(measure: Measure, unit: FilingUnit | None, latest: list[ProgressUpdate]) -> dict:
    """Where the progress form starts for ``unit``: the measure's status and percent for a driving unit;
    for any other its own latest report (``latest``: each unit's latest update), since it reports its part."""
    if unit is None or unit.drives:
        return {"status": measure.status, "percent": measure.percent}
    own = next((p for p in latest if p.unit_id == unit.unit_id), None)
    if own is None:
        return {"status": Measure.Status.NOT_STARTED, "percent": None}
    return {"status": own.status, "percent": own.percent}


def latest_progress_by_unit(measure: Measure) -> list[ProgressUpdate]:
    """Each unit's most recent progress update on the measure, with author and evidence (two queries)."""
    latest_ids = [
        pk for (pk,) in ProgressUpdate.objects.filter(measure=measure).latest_values("unit_id", "pk").values()
    ]
    return list(
        ProgressUpdate.objects.filter(pk__in=latest_ids)
        .select_related("unit", "author")
        .prefetch_related("evidence")
        .order_by("unit__name")
    )


def recent_progress(measure: Measure, limit: int = 30) -> list[ProgressUpdate]:
    """The measure's latest progress updates of every unit, newest first, with evidence (two queries)."""
    return list(
        ProgressUpdate.objects.filter(measure=measure)
        .select_related("unit", "author")
        .prefetch_related("evidence")[:limit]
    )


# --- History ----------------------------------------------------------------------

_CHANGE_LABELS = {
    "status": "状态",
    "percent": "完成百分比",
    "unit": "责任单位",
    "signed_off": "销号",
    "state": "月报状态",
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    entry: HistoryEntry
    changes: list[Change]


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def history(*, measure: Measure | None = None, plan=None, limit: int = 100) -> list[HistoryRow]:
    """A measure's history entries, or a plan's own (withdrawal, restore, edits, revisions), newest first,
    each change as label: before → after (one query)."""
    entries = (
        HistoryEntry.objects.filter(plan=plan)
        if plan is not None
        else HistoryEntry.objects.filter(measure=measure)
    )
    return history_rows(entries.select_related("actor")[:limit])


def history_rows(entries) -> list[HistoryRow]:
    """History entries (a measure's, or reports.ReportHistoryEntry: the same fields) as rows for _history.html."""
    rows = []
    for entry in entries:
        changes = [
            Change(label=_CHANGE_LABELS.get(key, key), before=_shown(pair[0]), after=_shown(pair[1]))
            for key, pair in (entry.changes or {}).items()
            if isinstance(pair, (list, tuple)) and len(pair) == 2
        ]
        rows.append(HistoryRow(entry=entry, changes=changes))
    return rows
