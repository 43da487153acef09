"""Two districts and the city (issue #14): 丰台区 (A) and 西城区 (B) each with a plan, bureaus, a government and
an office account; the municipal plan with a municipal bureau; the municipal office; an office with no scope.

The Beijing jurisdictions come from departments' data migration (北京市 110000, 丰台区 110106, 西城区 110102);
made again here when a transactional test before this one emptied the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from departments.models import Jurisdiction, OfficeScope, Unit
from tasks.models import Measure
from tests.factories import (
    AssignmentFactory,
    ChapterFactory,
    MeasureFactory,
    PlanFactory,
    TaskFactory,
    UnitFactory,
    make_user,
    report,
)

OVERDUE = dt.date(2026, 1, 15)
LATER = dt.date(2026, 12, 31)
PERIOD = dt.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class District:
    jurisdiction: Jurisdiction
    plan: object
    bureau: Unit
    government: Unit
    overdue: Measure  # the bureau's, due in January, open
    on_track: Measure  # the government's, due at the year's end
    report: object  # the bureau's February report, submitted


@dataclass
class City:
    beijing: Jurisdiction
    a: District  # 丰台区
    b: District  # 西城区
    plan: object  # the municipal plan
    bureau: Unit  # 市生态环境局
    municipal_measure: Measure
    office_a: object
    viewer_a: object
    office_b: object
    office_city: object
    office_all: object  # an office account with no scope: sees everything, as before


def _measure(plan, unit, due, code):
    chapter = ChapterFactory(plan=plan)
    measure = MeasureFactory(
        task=TaskFactory(chapter=chapter, plan=plan),
        due_date=due,
        status=Measure.Status.IN_PROGRESS,
        code=code,
    )
    AssignmentFactory(measure=measure, unit=unit)
    return measure


def beijing() -> Jurisdiction:
    province, _ = Jurisdiction.objects.get_or_create(
        code="110000", defaults={"name": "北京市", "level": Jurisdiction.Level.PROVINCE}
    )
    return province


def _district(code: str, name: str) -> District:
    place, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": Jurisdiction.Level.DISTRICT, "parent": beijing()}
    )
    plan = PlanFactory(title=f"{name}大气污染防治行动计划", district=name, jurisdiction=place)
    bureau = UnitFactory(name="区生态环境局", district=name, jurisdiction=place)
    government = UnitFactory(
        name=f"{name}政府", district=name, jurisdiction=place, kind=Unit.Kind.DISTRICT_GOVERNMENT
    )
    return District(
        jurisdiction=place,
        plan=plan,
        bureau=bureau,
        government=government,
        overdue=_measure(plan, bureau, OVERDUE, f"{code}-1"),
        on_track=_measure(plan, government, LATER, f"{code}-2"),
        report=report(bureau, PERIOD, submitted=dt.date(2026, 3, 2)),
    )


def scoped_user(username: str, role: str, jurisdiction: Jurisdiction | None):
    user = make_user(username, role)
    if jurisdiction is not None:
        OfficeScope.objects.create(user=user, jurisdiction=jurisdiction)
    return user


@pytest.fixture
def city(db) -> City:
    a, b = _district("110106", "丰台区"), _district("110102", "西城区")
    city = beijing()
    plan = PlanFactory(title="北京市行动计划", level="municipal", district="", jurisdiction=city)
    bureau = UnitFactory(
        name="市生态环境局", district="", jurisdiction=city, kind=Unit.Kind.MUNICIPAL_DEPARTMENT
    )
    return City(
        beijing=city,
        a=a,
        b=b,
        plan=plan,
        bureau=bureau,
        municipal_measure=_measure(plan, bureau, LATER, "M-1"),
        office_a=scoped_user("office_ft", "office_admin", a.jurisdiction),
        viewer_a=scoped_user("leader_ft", "viewer", a.jurisdiction),
        office_b=scoped_user("office_xc", "office_admin", b.jurisdiction),
        office_city=scoped_user("office_bj", "office_admin", city),
        office_all=scoped_user("office_any", "office_admin", None),
    )
