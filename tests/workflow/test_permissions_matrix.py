"""The same permissions everywhere: staff read and write only their units' work, viewers read everything and
write nothing, the office does everything, anonymous users are sent to sign in.

Unit A staff meet unit B's objects through forged ids in URLs and in form fields; every refusal must leave
the database exactly as it was.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import MonthlyReport, MonthlyReportItem, ReportReview
from reports.services import get_or_create_report, submit_report
from tasks.models import Assignment, Evidence, HistoryEntry, Measure, ProgressUpdate
from tasks.services import UploadedFile, record_progress

from .conftest import png_bytes

pytestmark = pytest.mark.django_db
PERIOD = dt.date(2025, 9, 1)


@pytest.fixture
def objects(world):
    """Unit B's evidence and submitted report, next to the world's measures."""
    update = record_progress(
        measure=world.measure_b,
        user=world.staff_b,
        status="in_progress",
        note="B 的进展",
        files=[UploadedFile("b.png", png_bytes())],
    )
    report_b = submit_report(
        report=get_or_create_report(unit=world.unit_b, period=PERIOD, user=world.staff_b),
        user=world.staff_b,
        summary="B 的月报",
    )
    return {
        "measure_a": world.measure_a.pk,
        "measure_b": world.measure_b.pk,
        "evidence_b": update.evidence.get().pk,
        "report_b": report_b.pk,
        "unit_a": world.unit_a.pk,
        "unit_b": world.unit_b.pk,
        "assignment_a": world.measure_a.assignments.get(unit=world.unit_a).pk,
    }


def snapshot():
    """Everything a refused request must not change."""
    return (
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        HistoryEntry.objects.count(),
        MonthlyReport.objects.count(),
        MonthlyReportItem.objects.count(),
        ReportReview.objects.count(),
        sorted(Assignment.objects.values_list("measure_id", "unit_id", "role")),
        sorted(Measure.objects.values_list("pk", "status", "version", "signed_off_at")),
        sorted(MonthlyReport.objects.values_list("pk", "state", "version", "summary")),
    )


def login(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))


# --- Pages and downloads (GET) -----------------------------------------------------

READS = {
    # name: (url builder, {actor: expected status})
    "my measures": (
        lambda o: reverse("my_measures"),
        {"staff_a": 200, "staff_b": 200, "viewer": 200, "office": 200},
    ),
    "unit B's measure": (
        lambda o: reverse("measure_detail", args=[o["measure_b"]]),
        {"staff_a": 403, "staff_b": 200, "viewer": 200, "office": 200},
    ),
    "a measure that does not exist": (
        lambda o: reverse("measure_detail", args=[999999]),
        {"staff_a": 404, "viewer": 404, "office": 404},
    ),
    "unit B's evidence": (
        lambda o: reverse("evidence_download", args=[o["evidence_b"]]),
        {"staff_a": 403, "staff_b": 200, "viewer": 200, "office": 200},
    ),
    "evidence that does not exist": (
        lambda o: reverse("evidence_download", args=[999999]),
        {"staff_a": 404, "office": 404},
    ),
    "unit B's report": (
        lambda o: reverse("reports:detail", args=[o["unit_b"], 2025, 9]),
        {"staff_a": 403, "staff_b": 200, "viewer": 200, "office": 200},
    ),
    "a report of month 13": (
        lambda o: reverse("reports:detail", args=[o["unit_b"], 2025, 13]),
        {"staff_b": 404},
    ),
    "report list": (
        lambda o: reverse("reports:list"),
        {"staff_a": 200, "staff_b": 200, "viewer": 200, "office": 200},
    ),
    "review queue": (
        lambda o: reverse("reports:review_queue"),
        {"staff_a": 403, "staff_b": 403, "viewer": 200, "office": 200},
    ),
}
READ_CASES = [
    (page, actor, status) for page, (_, expected) in READS.items() for actor, status in expected.items()
]


@pytest.mark.parametrize(("page", "actor", "status"), READ_CASES, ids=[f"{p}-{a}" for p, a, _ in READ_CASES])
def test_reads(client, world, objects, page, actor, status):
    login(client, world, actor)
    before = snapshot()
    response = client.get(READS[page][0](objects))
    assert response.status_code == status
    assert snapshot() == before


@pytest.mark.parametrize("page", list(READS))
def test_anonymous_users_are_sent_to_sign_in(client, world, objects, page):
    response = client.get(READS[page][0](objects))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_report_page_never_creates_a_report_on_get(client, world, objects):
    client.force_login(world.office)
    client.get(reverse("reports:detail", args=[objects["unit_a"], 2025, 8]))
    assert not MonthlyReport.objects.filter(unit_id=objects["unit_a"]).exists()


# --- Forms (POST) -------------------------------------------------------------------


def progress(o, measure, unit):
    return (
        reverse("measure_progress", args=[o[measure]]),
        {
            "status": "done",
            "note": "伪造的进展",
            "version": 2 if measure == "measure_b" else 1,
            "unit": o[unit],
            "files": [SimpleUploadedFile("x.png", png_bytes())],
        },
    )


WRITES = {
    "progress on unit B's measure": (
        lambda o: progress(o, "measure_b", "unit_b"),
        {"staff_a": 403, "viewer": 403, "staff_b": 302, "office": 302},
    ),
    "progress on a shared measure in the other unit's name (forged unit field)": (
        lambda o: progress(o, "measure_a", "unit_b"),
        {"staff_a": 403},
    ),
    "progress on the shared measure as unit A by B's staff": (
        lambda o: progress(o, "measure_a", "unit_a"),
        {"staff_b": 403, "viewer": 403},
    ),
    "sign-off of unit B's measure": (
        lambda o: (reverse("measure_sign_off", args=[o["measure_b"]]), {}),
        {"staff_a": 403, "staff_b": 403, "viewer": 403, "office": 302},
    ),
    "adding a unit to a measure": (
        lambda o: (
            reverse("assignment_add", args=[o["measure_a"]]),
            {"assign-unit": o["unit_b"], "assign-role": "lead"},
        ),
        {"staff_a": 403, "staff_b": 403, "viewer": 403, "office": 302},
    ),
    "removing a unit from a measure": (
        lambda o: (reverse("assignment_remove", args=[o["measure_a"], o["assignment_a"]]), {}),
        {"staff_a": 403, "staff_b": 403, "viewer": 403, "office": 302},
    ),
    "removing an assignment through another measure's URL": (
        lambda o: (reverse("assignment_remove", args=[o["measure_b"], o["assignment_a"]]), {}),
        {"office": 404},
    ),
    "submitting unit B's report": (
        lambda o: (reverse("reports:detail", args=[o["unit_b"], 2025, 8]), {"summary": "伪造", "version": 1}),
        {"staff_a": 403, "viewer": 403, "staff_b": 302, "office": 302},
    ),
    "a report for a month not yet begun": (
        lambda o: (reverse("reports:detail", args=[o["unit_b"], 2099, 1]), {"summary": "未来", "version": 1}),
        {"staff_b": 400},
    ),  # refused on the page itself, with the typed text kept (test_report_future_month.py)
    "reviewing unit B's report": (
        lambda o: (reverse("reports:review", args=[o["report_b"]]), {"decision": "accept", "version": 2}),
        {"staff_a": 403, "staff_b": 403, "viewer": 403, "office": 302},
    ),
}
WRITE_CASES = [
    (form, actor, status) for form, (_, expected) in WRITES.items() for actor, status in expected.items()
]


@pytest.mark.parametrize(
    ("form", "actor", "status"), WRITE_CASES, ids=[f"{f}-{a}" for f, a, _ in WRITE_CASES]
)
def test_writes(client, world, objects, form, actor, status):
    login(client, world, actor)
    url, data = WRITES[form][0](objects)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == status
    if status == 302:
        assert snapshot() != before, "an allowed write must write"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("form", list(WRITES))
def test_anonymous_posts_are_sent_to_sign_in_and_write_nothing(client, world, objects, form):
    url, data = WRITES[form][0](objects)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert snapshot() == before
