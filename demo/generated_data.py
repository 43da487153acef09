"""A generated data set at a chosen scale, for benchmarks and query-count tests.

Issues 4–6 set their speed targets on 300 units, 5,000 measures and 12 months
of monthly reports; ``generate_data`` builds such a data set (or a small one
for tests) in seconds with bulk writes in one transaction:

- units across districts and kinds: municipal departments, each district's
  government, bureaus and streets/towns, each in its jurisdiction (北京市 or
  one of its districts, created by the migrations), plus a few groups (各街乡镇, 各区政府)
  with their members; staff (one or two per unit), two office administrators
  and a viewer;
- a municipal plan and one plan per district (carrying it out: 承接, most
  district measures linked to a municipal measure) → chapters → tasks → measures,
  with the deadline kinds real plans have (限期, 年底前, 6—9月, 按时间节点 with
  milestones, 长期实施, 定期) and due dates spread from the first month to nine
  months after ``as_of``; lead / responsible / assisting assignments, a few
  busy units carrying a hundred measures and streets a handful;
- months of progress updates with notes, measures done, delayed, overdue and
  signed off; monthly reports in every state (draft, submitted, returned,
  resubmitted, accepted; some late, some missing), reviews and the history of
  every step (see ``demo.simulated_activity``).

City scale (issue 14): ``CITY_SCALE`` — a municipal plan and the 16 district
plans, 1,500 units, 50,000 measures, 12 months (``generate_data --city``).

Double generation: a database holds one generated data set. Running again
with the same arguments changes nothing (``created`` is False); different
arguments raise ``GeneratedDataExists`` — use an empty database for another.
Same arguments give the same data (ids aside).
"""

# Long module: demo data, not domain code (nothing imports demo/): one builder per kind of row, written in
# bulk, in the order the rows depend on each other.
from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from departments import roles
from departments.models import Jurisdiction, Unit, UnitMembership
from departments.services import ensure_role_groups
from reports.models import MonthlyReport
from reports.workdays import WorkdayCalendar, previous_month, report_due_date
from tasks.models import Assignment, Chapter, HistoryEntry, Measure, MeasureLink, Milestone, Plan, Task

from . import generated_wording as wording
from .simulated_activity import (
    Cast,
    MeasureFacts,
    Simulation,
    bulk_insert,
    months_between,
    timestamps_as_given,
    write_progress,
    write_reports,
)

MARKER = "generate_data"
CITY_SCALE = {"units": 1500, "measures": 50000, "months": 12}
BEIJING_CODE = "110000"
OFFICE_USERNAMES = ("gen-office", "gen-office2")
VIEWER_USERNAME = "gen-leader"
Kind = Measure.DeadlineKind
Role = Assignment.Role


class GeneratedDataExists(Exception):
    """The database already holds a generated data set made with other arguments."""


@dataclass
class GenerationSummary:
    signature: str
    created: bool
    as_of: dt.date
    periods: list[dt.date]
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        head = "已生成" if self.created else "数据库中已有同样参数的生成数据，未做改动"
        months = f"{self.periods[0]:%Y-%m} … {self.periods[-1]:%Y-%m}"
        figures = "，".join(f"{k} {v}" for k, v in self.counts.items())
        return f"{head}（{self.signature}；月报月份 {months}；数据日期 {self.as_of}）：{figures}"


def generate_data(
    *,
    units: int = 300,
    measures: int = 5000,
    months: int = 12,
    seed: int = 1,
    end_month: dt.date | None = None,
    today: dt.date | None = None,
    password: str | None = None,
) -> GenerationSummary:
    """Build the data set (see the module docstring). ``end_month``: the last month with reports.

    The data set is dated as of ``today`` (default: now), or, when ``end_month``
    is given, a week after that month's report fell due (if earlier than today),
    so that a fixed ``end_month`` gives the same data on any day.
    ``password``: a password for every generated user (default: none can sign in).
    """
    if units < 2 or measures < 1 or not 1 <= months <= 120:
        raise ValueError("需要至少 2 个单位、1 项措施，月份数在 1 到 120 之间。")
    today = today or timezone.localdate()
    calendar = WorkdayCalendar.from_database()
    if end_month is None:
        end_month = previous_month(today.replace(day=1))
        as_of = today
    else:
        end_month = end_month.replace(day=1)
        if end_month >= today.replace(day=1):
            raise ValueError("最后一个月报月份必须早于当前月份。")
        as_of = min(today, report_due_date(end_month, calendar) + dt.timedelta(days=7))
    periods = months_between(_months_back(end_month, months - 1), end_month)
    signature = (
        f"{MARKER} seed={seed} units={units} measures={measures} months={months} end={end_month:%Y-%m}"
    )

    existing = set(
        Plan.objects.filter(source_name__startswith=MARKER + " ").values_list("source_name", flat=True)
    )
    if existing == {signature}:
        return GenerationSummary(signature, False, as_of, periods, current_counts())
    if existing:
        raise GeneratedDataExists(
            f"数据库中已有另一套生成数据（{', '.join(sorted(existing))}），不能再生成一套；"
            "请换一个空数据库（设置 BLUESKY_DATA_DIR 或 DATABASE_URL）后再生成。"
        )
    with transaction.atomic():
        builder = _Builder(seed=seed, periods=periods, as_of=as_of, calendar=calendar, signature=signature)
        counts = builder.build(n_units=units, n_measures=measures, password=password)
    analyse_tables()
    return GenerationSummary(signature, True, as_of, periods, counts)


def analyse_tables() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load.

    Autovacuum would, minutes later; until then the planner takes the freshly filled tables for
    empty ones and picks nested loops over hundreds of thousands of rows (the dashboard took 63 s
    instead of 7 s on the 50,000-measure data set right after generating it).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def current_counts() -> dict[str, int]:
    from reports.models import MonthlyReportItem, ReportHistoryEntry, ReportReview
    from tasks.models import ProgressUpdate

    counts = {
        "units": Unit.objects.exclude(kind=Unit.Kind.GROUP).count(),
        "groups": Unit.objects.filter(kind=Unit.Kind.GROUP).count(),
        "users": get_user_model().objects.count(),
        "plans": Plan.objects.count(),
        "chapters": Chapter.objects.count(),
        "tasks": Task.objects.count(),
        "measures": Measure.objects.count(),
        "milestones": Milestone.objects.count(),
        "assignments": Assignment.objects.count(),
        "progress_updates": ProgressUpdate.objects.count(),
        "reports": MonthlyReport.objects.count(),
        "report_items": MonthlyReportItem.objects.count(),
        "reviews": ReportReview.objects.count(),
        "history": HistoryEntry.objects.count() + ReportHistoryEntry.objects.count(),
    }
    for state, n in MonthlyReport.objects.values_list("state").annotate(n=Count("id")).order_by():
        counts[f"reports_{state}"] = n
    return counts


def _months_back(month: dt.date, n: int) -> dt.date:
    for _ in range(n):
        month = previous_month(month)
    return month


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` positive, unevenly sized shares."""
    sizes = [1] * parts
    weights = [rng.random() + 0.3 for _ in range(parts)]
    for index in rng.choices(range(parts), weights=weights, k=total - parts):
        sizes[index] += 1
    return sizes


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass
class _UnitSpec:
    name: str
    kind: str
    district: str
    weight: float  # how much this unit tends to carry
    unit: Unit | None = None

    @property
    def key(self) -> str:
        return f"{self.district}/{self.name}"


@dataclass
class _MeasureSpec:
    plan_index: int
    task: Task
    sequence: int
    fields: dict
    carriers: dict[int, str]  # unit id → role
    milestones: list[tuple[dt.date, str]]

    @property
    def key(self) -> str:
        return f"{self.plan_index}:{self.fields['code']}"


class _Builder:
    def __init__(self, *, seed, periods, as_of, calendar, signature):
        self.seed, self.periods, self.as_of, self.calendar, self.signature = (
            seed,
            periods,
            as_of,
            calendar,
            signature,
        )
        self.rng = random.Random(f"{seed}:generate")
        self.counts: Counter = Counter()

    def build(self, *, n_units: int, n_measures: int, password: str | None) -> dict[str, int]:
        municipal, districts = self._plan_units(n_units)
        self._save_units(municipal, districts)
        cast = self._create_people(municipal + [u for specs in districts.values() for u in specs], password)
        measure_specs = self._create_plans(municipal, districts, n_measures)
        self._ensure_everyone_carries(measure_specs, municipal, districts)

        sim = Simulation(seed=self.seed, periods=self.periods, as_of=self.as_of, cast=cast)
        stories = [
            sim.measure_story(
                MeasureFacts(
                    spec.key,
                    spec.fields["deadline_kind"],
                    spec.fields["due_date"],
                    tuple(spec.carriers.items()),
                )
            )
            for spec in measure_specs
        ]
        created_on = dt.datetime.combine(self.periods[0], dt.time(9), tzinfo=sim.tz)
        # Imported as the first generated month began (Plan.created_at is auto_now_add, hence the update):
        # a unit owes the report of every month from its plan's import on (reports/reporting_units.py),
        # so every unit owes every generated month — and none before, which has no reports.
        Plan.objects.filter(source_name=self.signature).update(created_at=created_on)
        measure_rows = self._insert_measures(measure_specs, stories, created_on)
        self._write_children(measure_specs, measure_rows, cast, sim)
        self._link_to_municipal(measure_specs, measure_rows, cast, created_on)

        by_measure = {row.pk: story for row, story in zip(measure_rows, stories)}
        self.counts.update(write_progress(by_measure, cast))
        self._write_reports(sim, measure_specs, measure_rows, by_measure)
        return dict(self.counts)

    def _insert_measures(self, measure_specs, stories, created_on: dt.datetime) -> list[Measure]:
        """The measures, each as its story leaves it (status, percent, sign-off, version, last change)."""
        measure_rows = [
            Measure(
                task=spec.task,
                sequence=spec.sequence,
                status=story.status,
                percent=story.percent,
                signed_off_at=story.signed_off_at,
                finished_on=story.finished_on,
                version=story.version,
                updated_at=story.last_change or created_on,
                **spec.fields,
            )
            for spec, story in zip(measure_specs, stories)
        ]
        with timestamps_as_given(Measure):
            bulk_insert(Measure, measure_rows)
        self.counts["measures"] = len(measure_rows)
        return measure_rows

    def _write_reports(self, sim: Simulation, measure_specs, measure_rows, by_measure: dict) -> None:
        """Every unit's monthly reports over the generated months, and their counts by state."""
        unit_measures: dict[int, list[int]] = defaultdict(list)
        for spec, row in zip(measure_specs, measure_rows):
            for unit_id in spec.carriers:
                unit_measures[unit_id].append(row.pk)
        unit_keys = {spec.unit.pk: spec.key for spec in self.all_units if spec.unit.pk in unit_measures}
        due_dates = {p: report_due_date(p, self.calendar) for p in self.periods}
        outcomes = sim.report_outcomes(unit_keys, due_dates)
        report_stories = [
            sim.report_story(
                unit_id=unit,
                unit_key=unit_keys[unit],
                period=period,
                due_date=due_dates[period],
                outcome=outcome,
            )
            for (unit, period), outcome in outcomes.items()
        ]
        written = write_reports(
            report_stories, sim=sim, unit_measures=unit_measures, measure_stories=by_measure
        )
        self.counts["history"] += written.pop("history")
        self.counts.update(written)
        states = (
            MonthlyReport.objects.filter(unit_id__in=unit_keys).values_list("state").annotate(n=Count("id"))
        )
        for state, n in states.order_by():
            self.counts[f"reports_{state}"] = n
        self.counts["reports_missing"] = sum(1 for o in outcomes.values() if o in ("missing", "draft"))

    # --- units and people ---------------------------------------------------------

    def _plan_units(self, n_units: int) -> tuple[list[_UnitSpec], dict[str, list[_UnitSpec]]]:
        rng = self.rng
        n_municipal = min(len(wording.MUNICIPAL_DEPARTMENTS), max(1, round(n_units * 0.05)))
        municipal = [
            _UnitSpec(name, Unit.Kind.MUNICIPAL_DEPARTMENT, "", 1 / (rank + 1) ** 0.8)
            for rank, name in enumerate(wording.MUNICIPAL_DEPARTMENTS[:n_municipal])
        ]
        rest = n_units - n_municipal
        n_districts = min(len(wording.DISTRICTS), max(1, rest // 18))
        quotas = [rest // n_districts + (i < rest % n_districts) for i in range(n_districts)]
        districts = {}
        for district, quota in zip(wording.DISTRICTS, quotas):
            specs = [_UnitSpec(f"{district}政府", Unit.Kind.DISTRICT_GOVERNMENT, district, 0.25)]
            n_bureaus = min(len(wording.DISTRICT_BUREAUS), round((quota - 1) * 0.6))
            specs += [
                _UnitSpec(name, Unit.Kind.DISTRICT_BUREAU, district, 1 / (rank + 1) ** 0.9)
                for rank, name in enumerate(wording.DISTRICT_BUREAUS[:n_bureaus])
            ]
            specs += [
                _UnitSpec(name, Unit.Kind.STREET_TOWN, district, 0.06 + rng.random() * 0.06)
                for name in wording.street_names(rng, quota - len(specs))
            ]
            districts[district] = specs[:quota]
        self.all_units = municipal + [u for specs in districts.values() for u in specs]
        return municipal, districts

    def _jurisdictions(self) -> dict[str, Jurisdiction]:
        """A district label ("" for municipal) → its Beijing jurisdiction (none when the migrations' rows are gone)."""
        beijing = Jurisdiction.objects.filter(code=BEIJING_CODE).first()
        if beijing is None:
            return {}
        return {"": beijing} | {j.name: j for j in Jurisdiction.objects.filter(parent=beijing)}

    def _save_units(self, municipal, districts) -> None:
        """Create the units (reusing any already in the database) and the groups with their members."""
        self.jurisdiction_of = self._jurisdictions()
        wanted = {(s.district, s.name): s for s in self.all_units}
        groups = {
            ("", "各区政府"): [
                s for specs in districts.values() for s in specs if s.kind == Unit.Kind.DISTRICT_GOVERNMENT
            ]
        }
        for district, specs in districts.items():
            streets = [s for s in specs if s.kind == Unit.Kind.STREET_TOWN]
            if streets:
                groups[(district, "各街乡镇")] = streets
        names = {name for _d, name in [*wanted, *groups]}
        existing = {(u.district, u.name): u for u in Unit.objects.filter(name__in=names)}
        Unit.objects.bulk_create(
            [
                Unit(
                    name=s.name,
                    kind=s.kind,
                    district=s.district,
                    jurisdiction=self.jurisdiction_of.get(s.district),
                )
                for key, s in wanted.items()
                if key not in existing
            ]
            + [
                Unit(
                    name=name,
                    kind=Unit.Kind.GROUP,
                    district=district,
                    jurisdiction=self.jurisdiction_of.get(district),
                )
                for (district, name) in groups
                if (district, name) not in existing
            ]
        )
        saved = {(u.district, u.name): u for u in Unit.objects.filter(name__in=names)}
        for key, spec in wanted.items():
            spec.unit = saved[key]
        Through = Unit.members.through
        Through.objects.bulk_create(
            [
                Through(from_unit_id=saved[key].pk, to_unit_id=member.unit.pk)
                for key, members in groups.items()
                for member in members
            ],
            ignore_conflicts=True,
        )
        self.counts["units"] = len(wanted)
        self.counts["groups"] = len(groups)

    def _create_people(self, specs: list[_UnitSpec], password: str | None) -> Cast:
        User = get_user_model()
        hashed = make_password(password)  # hashed once: hashing per user would take minutes
        users, unit_of = self._unit_staff(specs, hashed)
        office = [
            User(
                username=name,
                password=hashed,
                last_name="大气办",
                first_name=f"审核员{i}",
                is_staff=True,
                email=f"{name}@example.org",
            )
            for i, name in enumerate(OFFICE_USERNAMES, start=1)
        ]
        viewer = User(
            username=VIEWER_USERNAME,
            password=hashed,
            last_name="领导",
            first_name="查看",
            is_staff=True,
            email=f"{VIEWER_USERNAME}@example.org",
        )
        User.objects.bulk_create(users + office + [viewer])
        by_name = {
            u.username: u
            for u in User.objects.filter(username__in=[*unit_of, *OFFICE_USERNAMES, VIEWER_USERNAME])
        }
        _grant_roles(by_name, unit_of)
        staff: dict[int, list[int]] = defaultdict(list)
        for username, unit in unit_of.items():
            staff[unit.pk].append(by_name[username].pk)
        self.counts["users"] = len(by_name)
        return Cast(
            staff={unit: tuple(ids) for unit, ids in staff.items()},
            reviewers=tuple(by_name[n].pk for n in OFFICE_USERNAMES),
            unit_names={s.unit.pk: s.name for s in specs},
        )

    def _unit_staff(self, specs: list[_UnitSpec], hashed: str) -> tuple[list, dict]:
        """One or two staff accounts per unit (unsaved), and username → unit."""
        User = get_user_model()
        rng = random.Random(f"{self.seed}:people")
        users, unit_of = [], {}
        for index, spec in enumerate(specs, start=1):
            for letter in "ab"[: 2 if index % 3 == 0 else 1]:
                family, given = wording.person_name(rng)
                username = f"gen-{index:04d}{letter}"
                users.append(
                    User(
                        username=username,
                        password=hashed,
                        last_name=family,
                        first_name=given,
                        email=f"{username}@example.org",
                    )
                )
                unit_of[username] = spec.unit
        return users, unit_of

    # --- plans, chapters, tasks, measures -------------------------------------------

    def _create_plans(self, municipal, districts, n_measures: int) -> list[_MeasureSpec]:
        rng = self.rng
        year_start, year_end = self.periods[0].year, max(self.as_of.year + 1, self.periods[0].year)
        plan_defs = [(None, municipal)] + [(d, specs) for d, specs in districts.items()]
        municipal_share = max(1, round(n_measures * 0.1)) if len(plan_defs) > 1 else n_measures
        district_total = n_measures - municipal_share
        weights = [len(specs) for _d, specs in plan_defs[1:]]
        shares = [municipal_share] + self._proportional(district_total, weights)
        plans = self._plan_rows(plan_defs, year_start, year_end)
        layout = self._chapters_and_tasks(plans, shares, rng)

        specs = []
        pools = {
            index: self._pools(district, municipal, districts)
            for index, (district, _s) in enumerate(plan_defs)
        }
        for plan_index, task, n in layout:
            for sequence in range(1, n + 1):
                fields, milestones = self._deadline(rng)
                fields.update(
                    code=f"{task.number}-{sequence}",
                    text=wording.measure_text(rng),
                    needs_review=rng.random() < 0.02,
                )
                specs.append(
                    _MeasureSpec(
                        plan_index, task, sequence, fields, self._carriers(rng, pools[plan_index]), milestones
                    )
                )
        self.plan_defs = plan_defs
        return specs

    def _plan_rows(self, plan_defs, year_start: int, year_end: int) -> list[Plan]:
        """One plan for the city (municipal) and one per district, saved."""
        plans = []
        for index, (district, _specs) in enumerate(plan_defs):
            if district is None:
                title = f"北京市大气污染防治{year_start}—{year_end}年行动计划（生成数据）"
                fields = {
                    "level": Plan.Level.MUNICIPAL,
                    "district": "",
                    "issuing_body": "北京市人民政府办公厅",
                    "doc_number": f"京政办发〔{year_start}〕{index + 3}号",
                }
            else:
                title = f"{district}打赢蓝天保卫战行动计划（{year_start}—{year_end}年，生成数据）"
                fields = {
                    "level": Plan.Level.DISTRICT,
                    "district": district,
                    "issuing_body": f"北京市{district}人民政府",
                    "doc_number": f"{district[:-1]}政发〔{year_start}〕{index + 10}号",
                }
            plans.append(
                Plan(
                    title=title,
                    year_start=year_start,
                    year_end=year_end,
                    issue_date=dt.date(year_start, 1, 15),
                    goals="细颗粒物（PM2.5）年均浓度持续下降；重污染天数明显减少。",
                    source_name=self.signature,
                    jurisdiction=self.jurisdiction_of.get(fields["district"]),
                    **fields,
                )
            )
        Plan.objects.bulk_create(plans)
        self.plans = plans
        return plans

    def _chapters_and_tasks(self, plans: list[Plan], shares: list[int], rng) -> list[tuple[int, Task, int]]:
        """Each plan's chapters and tasks, saved; answers (plan index, task, measures it gets) per task."""
        chapters, task_rows, layout = [], [], []
        for plan, share in zip(plans, shares):
            if share == 0:
                continue
            n_chapters = max(1, min(len(wording.CHAPTER_TITLES), share // 25, share))
            n_tasks = min(share, max(n_chapters, math.ceil(share / 3)))
            titles = rng.sample(wording.CHAPTER_TITLES, n_chapters)
            tasks_per_chapter = _split(n_tasks, n_chapters, rng)
            measures_per_task = _split(share, n_tasks, rng)
            number = 0
            for chapter_number, (title, n_chapter_tasks) in enumerate(
                zip(titles, tasks_per_chapter), start=1
            ):
                chapter = Chapter(plan=plan, number=chapter_number, title=title)
                chapters.append(chapter)
                for _ in range(n_chapter_tasks):
                    task = Task(
                        chapter=chapter, plan=plan, number=number + 1, title=rng.choice(wording.TASK_TOPICS)
                    )
                    task_rows.append(task)
                    layout.append((plans.index(plan), task, measures_per_task[number]))
                    number += 1
        bulk_insert(Chapter, chapters)
        bulk_insert(Task, task_rows)  # bulk_create takes each task's chapter id from its saved chapter
        self.counts.update(plans=len(plans), chapters=len(chapters), tasks=len(task_rows))
        return layout

    @staticmethod
    def _proportional(total: int, weights: list[int]) -> list[int]:
        if not weights:
            return []
        raw = [total * w / sum(weights) for w in weights]
        shares = [math.floor(r) for r in raw]
        for index in sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)[
            : total - sum(shares)
        ]:
            shares[index] += 1
        return shares

    def _pools(self, district, municipal, districts) -> dict[str, list[tuple[_UnitSpec, float]]]:
        """Who may carry a plan's measures in each role, and how likely (units × weights)."""
        if district is None:
            others = [s for specs in districts.values() for s in specs if s.kind != Unit.Kind.STREET_TOWN]
            return {
                Role.LEAD: [(s, s.weight**0.6) for s in municipal],
                Role.RESPONSIBLE: [(s, s.weight) for s in others] or [(s, 1.0) for s in municipal],
                Role.ASSISTING: [(s, s.weight) for s in municipal],
            }
        own = districts[district]
        return {
            Role.LEAD: [(s, s.weight) for s in own if s.kind != Unit.Kind.STREET_TOWN],
            # Responsibility and help are spread more evenly than the lead.
            Role.RESPONSIBLE: [(s, s.weight**0.4) for s in own],
            # Municipal departments assist a district's measures only now and then.
            Role.ASSISTING: [(s, s.weight**0.3) for s in own] + [(s, 0.01) for s in municipal[:3]],
        }

    def _carriers(
        self, rng: random.Random, pools: dict[str, list[tuple[_UnitSpec, float]]]
    ) -> dict[int, str]:
        wanted = {
            Role.LEAD: 1 if rng.random() < 0.88 else 2,
            Role.RESPONSIBLE: rng.choices([0, 1, 2, 3], weights=[45, 40, 11, 4])[0],
            Role.ASSISTING: rng.choices([0, 1, 2, 3], weights=[40, 30, 20, 10])[0],
        }
        carriers: dict[int, str] = {}
        for role, count in wanted.items():
            specs, weights = zip(*pools[role])
            for _ in range(count * 3):  # a few tries to find units not already on the measure
                if count == 0:
                    break
                spec = rng.choices(specs, weights=weights)[0]
                if spec.unit.pk not in carriers:
                    carriers[spec.unit.pk] = role
                    count -= 1
        return carriers

    def _deadline(self, rng: random.Random) -> tuple[dict, list[tuple[dt.date, str]]]:
        lo, hi = self.periods[0], self.as_of + dt.timedelta(days=270)
        soon = rng.random() < 0.05  # some fall due within the next 30 days
        day = (
            self.as_of + dt.timedelta(days=rng.randint(1, 30))
            if soon
            else lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        )
        kind = rng.choices(
            [Kind.DATED, Kind.PLAN_END, Kind.WINDOW, Kind.MILESTONES, Kind.ONGOING, Kind.RECURRING],
            weights=[52, 10, 6, 10, 18, 4],
        )[0]
        fields = {
            "deadline_kind": kind,
            "due_date": None,
            "window_start": None,
            "window_end": None,
            "deadline_guessed": False,
            "deadline_note": "",
        }
        milestones: list[tuple[dt.date, str]] = []
        if kind == Kind.DATED:
            milestones = _dated(rng, fields, day=day, soon=soon, lo=lo)
        elif kind == Kind.PLAN_END:
            due = dt.date(day.year, 12, 31)
            guessed = rng.random() < 0.3
            fields.update(
                due_date=due,
                deadline_text="年底前",
                deadline_guessed=guessed,
                deadline_note=f"多年计划的“年底前”，推定为{due.year}年" if guessed else "",
            )
        elif kind == Kind.WINDOW:
            start, end = dt.date(day.year, 6, 1), dt.date(day.year, 9, 30)
            fields.update(due_date=end, window_start=start, window_end=end, deadline_text="6—9月")
        elif kind == Kind.MILESTONES:
            milestones = _by_milestones(rng, fields, day=day, lo=lo, hi=hi)
        elif kind == Kind.ONGOING:
            fields.update(deadline_text=rng.choice(["长期实施", "长期坚持"]))
        else:
            fields.update(deadline_text=rng.choice(["每月", "每季度"]), deadline_note="定期开展")
        return fields, milestones

    def _ensure_everyone_carries(self, specs: list[_MeasureSpec], municipal, districts) -> None:
        """Every unit carries at least one measure (as assisting where the draw gave it none)."""
        carried = {unit for spec in specs for unit in spec.carriers}
        by_plan: dict[int, list[_MeasureSpec]] = defaultdict(list)
        for spec in specs:
            by_plan[spec.plan_index].append(spec)
        plan_of_district = {district: index for index, (district, _s) in enumerate(self.plan_defs)}
        rng = random.Random(f"{self.seed}:fill")
        for unit in self.all_units:
            if unit.unit.pk in carried:
                continue
            candidates = by_plan.get(plan_of_district.get(unit.district or None), []) or specs
            for spec in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
                spec.carriers.setdefault(unit.unit.pk, Role.ASSISTING)

    # --- 承接: the district plans carry out the municipal plan ------------------------

    def _link_to_municipal(
        self, specs: list[_MeasureSpec], rows: list[Measure], cast: Cast, decided_at
    ) -> None:
        """Each district plan carries out the municipal plan; seven in ten district measures carry out a
        municipal measure (most links confirmed by the office, the rest still proposed)."""
        municipal = [row for spec, row in zip(specs, rows) if spec.plan_index == 0]
        if not municipal or len(self.plans) < 2:
            return
        Plan.objects.filter(pk__in=[p.pk for p in self.plans[1:]]).update(carries_out=self.plans[0])
        rng = random.Random(f"{self.seed}:links")
        links = []
        for spec, row in zip(specs, rows):
            if spec.plan_index == 0 or rng.random() >= 0.7:
                continue
            confirmed = rng.random() < 0.85 and bool(cast.reviewers)
            links.append(
                MeasureLink(
                    measure=row,
                    upper=rng.choice(municipal),
                    similarity=round(rng.uniform(0.3, 0.9), 2),
                    state=MeasureLink.State.CONFIRMED if confirmed else MeasureLink.State.PROPOSED,
                    decided_by_id=rng.choice(cast.reviewers) if confirmed else None,
                    decided_at=decided_at if confirmed else None,
                )
            )
        bulk_insert(MeasureLink, links)
        self.counts["links"] = len(links)

    # --- assignments, milestones and the office's own edits -------------------------

    def _write_children(
        self, specs: list[_MeasureSpec], rows: list[Measure], cast: Cast, sim: Simulation
    ) -> None:
        rng = random.Random(f"{self.seed}:children")
        assignments, milestones, history = [], [], []
        for spec, row in zip(specs, rows):
            manual = rng.random() < 0.01 and cast.reviewers
            for unit_id, role in spec.carriers.items():
                inferred = rng.random() < 0.03
                assignments.append(
                    Assignment(
                        measure=row,
                        unit_id=unit_id,
                        role=role,
                        written_as=cast.unit_names.get(unit_id, ""),
                        source=Assignment.Source.INFERRED if inferred else Assignment.Source.STATED,
                        confirmed=not inferred,
                    )
                )
            if manual:
                # The office reassigned one unit on this measure: the assignment and its history.
                last = assignments[-1]
                last.source, last.confirmed = Assignment.Source.MANUAL, True
                at = sim.moment(self.periods[0] + dt.timedelta(days=rng.randint(0, 25)), rng)
                history.append(
                    HistoryEntry(
                        measure=row,
                        actor_id=rng.choice(cast.reviewers),
                        action=HistoryEntry.Action.ASSIGNMENT,
                        changes={"unit": [None, f"{last.written_as}（{Assignment.Role(last.role).label}）"]},
                        comment="根据职责调整，增加责任单位。",
                        created_at=at,
                    )
                )
            milestones += [Milestone(measure=row, date=d, text=t[:100]) for d, t in spec.milestones]
        bulk_insert(Assignment, assignments)
        bulk_insert(Milestone, milestones)
        with timestamps_as_given(HistoryEntry):
            bulk_insert(HistoryEntry, history)
        self.counts.update(assignments=len(assignments), milestones=len(milestones), history=len(history))


def _grant_roles(by_name: dict, unit_of: dict) -> None:
    """The generated people's roles (staff of their unit, office, viewer) and unit memberships, in bulk."""
    groups = ensure_role_groups()
    UserGroup = get_user_model().groups.through
    UserGroup.objects.bulk_create(
        [UserGroup(user_id=by_name[n].pk, group_id=groups[roles.UNIT_STAFF].pk) for n in unit_of]
        + [UserGroup(user_id=by_name[n].pk, group_id=groups[roles.OFFICE_ADMIN].pk) for n in OFFICE_USERNAMES]
        + [UserGroup(user_id=by_name[VIEWER_USERNAME].pk, group_id=groups[roles.VIEWER].pk)]
    )
    UnitMembership.objects.bulk_create(
        [UnitMembership(user_id=by_name[n].pk, unit_id=unit.pk) for n, unit in unit_of.items()]
    )


def _dated(
    rng: random.Random, fields: dict, *, day: dt.date, soon: bool, lo: dt.date
) -> list[tuple[dt.date, str]]:
    """A dated deadline (采暖季前, a month's end, or a day soon) into ``fields``; answers its milestones."""
    milestones = []
    if rng.random() < 0.1:
        due = dt.date(day.year, 11, 15)
        text = f"{day.year}年采暖季前（11月15日前）"
    else:
        due = day if soon else _month_end(day.year, day.month)
        text = (
            f"{due.year}年{due.month}月{due.day}日前"
            if soon
            else (f"{due.month}月底前" if rng.random() < 0.2 else f"{due.year}年{due.month}月底前")
        )
        if rng.random() < 0.12 and due - dt.timedelta(days=100) > lo:
            back = due - dt.timedelta(days=90)
            step = _month_end(back.year, back.month)
            milestones.append((step, f"{step.year}年{step.month}月底前完成实施方案"))
    fields.update(due_date=due, deadline_text=text)
    return milestones


def _by_milestones(
    rng: random.Random, fields: dict, *, day: dt.date, lo: dt.date, hi: dt.date
) -> list[tuple[dt.date, str]]:
    """A deadline 按时间节点 (two to four month ends) into ``fields``; answers its milestones."""
    days = sorted(
        {
            _month_end(d.year, d.month)
            for d in (
                lo + dt.timedelta(days=rng.randint(0, (hi - lo).days)) for _ in range(rng.randint(2, 3))
            )
        }
        | {_month_end(day.year, day.month)}
    )
    fields.update(due_date=days[-1], deadline_text="按时间节点完成")
    return [(d, f"{d.year}年{d.month}月底前完成第{i}阶段任务") for i, d in enumerate(days, start=1)]
