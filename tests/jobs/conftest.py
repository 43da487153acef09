"""Fixtures for the jobs' tests: a small world of units, staff and measures on fixed dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tasks.models import Milestone
from tests.factories import UnitFactory, make_user, staff_user


@dataclass
class World:
    env: object
    traffic: object
    alice: object  # staff of 区生态环境局
    bob: object  # staff of 区交通委
    office: object


@pytest.fixture
def world(db) -> World:
    env = UnitFactory(name="区生态环境局")
    traffic = UnitFactory(name="区交通委")
    office = make_user("office", "office_admin")
    office.email = "office@example.cn"
    office.save(update_fields=["email"])
    return World(
        env=env,
        traffic=traffic,
        alice=staff_user("alice", env),
        bob=staff_user("bob", traffic),
        office=office,
    )


def add_milestone(measure, date: dt.date, text: str = "完成方案"):
    return Milestone.objects.create(measure=measure, date=date, text=text)
