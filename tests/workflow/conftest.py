"""A small world for the workflow pages: two units, their staff, the office, a viewer, measures of each."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, Measure
from tests.factories import (
    AssignmentFactory,
    ChapterFactory,
    MeasureFactory,
    PlanFactory,
    TaskFactory,
    UnitFactory,
    make_user,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Four users per test: a fast hasher keeps the permission matrix quick (sign-in still checks passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "evidence") -> bytes:
    """A real one-page PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass
class World:
    unit_a: object
    unit_b: object
    staff_a: object
    staff_b: object
    office: object
    viewer: object
    measure_a: Measure  # unit A leads, unit B assists
    measure_b: Measure  # only unit B


@pytest.fixture
def world(db) -> World:
    unit_a = UnitFactory(name="区生态环境局")
    unit_b = UnitFactory(name="区城市管理委")
    plan = PlanFactory(title="丰台区蓝天保卫战行动计划", year_start=2026, year_end=2026)
    chapter = ChapterFactory(plan=plan, number=1, title="调整能源结构")
    task = TaskFactory(chapter=chapter, plan=plan, number=1, title="压减燃煤")
    measure_a = MeasureFactory(
        task=task, sequence=1, code="1-1", text="完成燃煤锅炉清洁能源改造", due_date=dt.date(2026, 12, 31)
    )
    measure_b = MeasureFactory(
        task=task, sequence=2, code="1-2", text="加强道路扬尘管控", due_date=dt.date(2026, 12, 31)
    )
    AssignmentFactory(measure=measure_a, unit=unit_a, role=Assignment.Role.LEAD)
    AssignmentFactory(measure=measure_a, unit=unit_b, role=Assignment.Role.ASSISTING)
    AssignmentFactory(measure=measure_b, unit=unit_b, role=Assignment.Role.LEAD)
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        staff_a=make_user("staff_a", "unit_staff", units=[unit_a]),
        staff_b=make_user("staff_b", "unit_staff", units=[unit_b]),
        office=make_user("office", "office_admin"),
        viewer=make_user("leader", "viewer"),
        measure_a=measure_a,
        measure_b=measure_b,
    )


@pytest.fixture
def period():
    """The month whose report is due now (last month's)."""
    from reports.selectors import default_period

    return default_period(timezone.localdate())


def report_url(world, period):
    """Unit A's report page for ``period``."""
    return reverse("reports:detail", args=[world.unit_a.pk, period.year, period.month])
