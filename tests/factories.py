"""factory_boy factories for the domain (units, people in roles, plans and measures), and the small builders
every test package shares: a unit's staff, a measure a unit carries, a monthly report, a measure marked done."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from departments import roles
from departments.models import Unit, UnitMembership
from reports.models import MonthlyReport
from reports.workdays import WorkdayCalendar, report_due_date
from tasks.models import Assignment, Chapter, Measure, Plan, ProgressUpdate, Task

DEMO_PASSWORD = "demo-Pass-2026"
NATIONAL = WorkdayCalendar({})  # national holidays only: the dates tests reason about
_ROLE_GROUPS = {"office_admin": roles.OFFICE_ADMIN, "unit_staff": roles.UNIT_STAFF, "viewer": roles.VIEWER}


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("district", "name")

    name = factory.Sequence(lambda n: f"测试单位{n}")
    district = "丰台区"
    kind = Unit.Kind.DISTRICT_BUREAU


def make_user(username: str, role: str = "unit_staff", units=()):
    """A user in one of the three roles (office_admin, unit_staff, viewer), member of ``units``."""
    from departments.services import ensure_role_groups

    ensure_role_groups()
    user = get_user_model().objects.create_user(username=username, password=DEMO_PASSWORD)
    user.groups.add(Group.objects.get(name=_ROLE_GROUPS[role]))
    if role in ("office_admin", "viewer"):  # viewers read the admin too, with view permissions only
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    for unit in units:
        UnitMembership.objects.create(user=user, unit=unit)
    return user


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"测试行动计划{n}")
    level = Plan.Level.DISTRICT
    district = "丰台区"
    year_start = 2026
    year_end = 2026
    # 导入时间: long before any month the tests look at, so its units owe every one of them
    # (reports/reporting_units.py). Pass created_at=… for a plan imported later.
    created_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2020, 1, 1, 9)))

    @classmethod
    def _create(cls, model_class, *args, created_at=None, **kwargs):
        plan = super()._create(model_class, *args, **kwargs)
        if created_at is not None:  # auto_now_add stamps now on insert; the update dates the import
            model_class.objects.filter(pk=plan.pk).update(created_at=created_at)
            plan.created_at = created_at
        return plan


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "测试章节"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    chapter = factory.SubFactory(ChapterFactory)
    plan = factory.SelfAttribute("chapter.plan")
    number = factory.Sequence(lambda n: n + 1)
    title = "测试重点任务"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    task = factory.SubFactory(TaskFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda m: f"{m.task.number}-{m.sequence}")
    text = "测试措施内容"
    deadline_text = "年底前"
    deadline_kind = Measure.DeadlineKind.DATED
    due_date = dt.date(2026, 12, 31)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    measure = factory.SubFactory(MeasureFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Assignment.Role.LEAD


# --- Builders shared by the test packages -------------------------------------------------------


def staff_user(username: str, unit, email: bool = True):
    user = make_user(username, "unit_staff", units=[unit])
    if email:
        user.email = f"{username}@example.cn"
        user.save(update_fields=["email"])
    return user


def measure_for(
    unit, due: dt.date | None, *, status=Measure.Status.IN_PROGRESS, role=Assignment.Role.LEAD, text="措施"
):
    measure = MeasureFactory(due_date=due, status=status, text=text)
    AssignmentFactory(measure=measure, unit=unit, role=role)
    return measure


def at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def report(unit, period, *, submitted: dt.date | None, returns: int = 0):
    due = report_due_date(period, NATIONAL)
    return MonthlyReport.objects.create(
        unit=unit,
        period=period,
        due_date=due,
        summary="小结",
        return_count=returns,
        state=MonthlyReport.State.SUBMITTED if submitted else MonthlyReport.State.DRAFT,
        first_submitted_at=at(submitted) if submitted else None,
        submitted_at=at(submitted) if submitted else None,
    )


def mark_done(measure, unit, author, on: dt.date):
    update = ProgressUpdate.objects.create(
        measure=measure,
        unit=unit,
        author=author,
        status=Measure.Status.DONE,
        percent=100,
        note=f"{on:%m月%d日}已完成",
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at(on))
    Measure.objects.filter(pk=measure.pk).update(status=Measure.Status.DONE, percent=100, finished_on=on)
