"""A database connection lost mid-request: a Chinese 503 page (not a 500), nothing half written, the next request works."""

import json
import threading
import time

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from bluesky.database_outage import DatabaseUnavailableMiddleware
from importers import services
from importers.models import PlanImport
from tasks.models import Chapter, Measure, Plan, Task
from tests.conftest import sample_bytes


def _never_called(request):
    raise AssertionError("the middleware answers exceptions, it does not call the view here")


def test_a_lost_connection_is_answered_by_a_chinese_503_page():
    request = RequestFactory().post("/imports/1/")
    middleware = DatabaseUnavailableMiddleware(_never_called)
    response = middleware.process_exception(
        request, OperationalError("server closed the connection unexpectedly")
    )
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert 'data-error="503"' in body and "数据库暂时无法连接，您刚才的操作没有保存" in body


def test_the_api_gets_the_same_message_as_json():
    request = RequestFactory().get("/api/measures/")
    response = DatabaseUnavailableMiddleware(_never_called).process_exception(
        request, OperationalError("gone")
    )
    assert response.status_code == 503 and "数据库暂时无法连接" in json.loads(response.content)["detail"]


def test_other_errors_are_left_to_django():
    request = RequestFactory().get("/")
    assert DatabaseUnavailableMiddleware(_never_called).process_exception(request, ValueError("x")) is None


def _terminate_when_blocked(dsn: dict, victim_pid: int, locked: threading.Event, done: list):
    """Hold a lock on the measures table; when the victim waits on it (mid-write), terminate its connection."""
    with psycopg2.connect(**dsn) as guard:
        with guard.cursor() as cursor:
            cursor.execute("LOCK TABLE tasks_measure IN SHARE ROW EXCLUSIVE MODE")
            locked.set()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [victim_pid])
                row = cursor.fetchone()
                if row and row[0] == "Lock":
                    cursor.execute("SELECT pg_terminate_backend(%s)", [victim_pid])
                    done.append(True)
                    break
                time.sleep(0.05)
        guard.rollback()  # the lock goes with the transaction


@pytest.mark.django_db(transaction=True)
def test_a_connection_terminated_mid_import_leaves_no_half_plan_and_answers_503(client, office_admin):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a connection mid-write needs PostgreSQL (DATABASE_URL=postgres://…)")
    from departments.services import load_unit_directory

    load_unit_directory()
    plan_import = services.preview_upload(data=sample_bytes("fengtai"), filename="fengtai.txt")
    client.force_login(office_admin)
    url = reverse("importers:preview", args=[plan_import.pk])
    form = {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    connection.ensure_connection()
    victim = connection.connection.get_backend_pid()  # the test client's requests use this connection
    settings = connection.settings_dict
    dsn = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
    }
    locked, done = threading.Event(), []
    guard = threading.Thread(target=_terminate_when_blocked, args=(dsn, victim, locked, done))
    guard.start()
    assert locked.wait(30)

    response = client.post(url, form)  # the plan, its chapters and tasks are written, then the measures block

    guard.join(60)
    assert done, "the import never reached the measures"
    assert response.status_code == 503 and "数据库暂时无法连接" in response.content.decode()
    # The transaction died with the connection: no plan, chapter, task or measure of it remains.
    assert not Plan.objects.exists() and not Chapter.objects.exists() and not Task.objects.exists()
    assert not Measure.objects.exists()
    assert PlanImport.objects.get().state == PlanImport.State.PREVIEW

    again = client.post(url, form)  # Django reconnects: the office simply tries again
    plan = Plan.objects.get()
    assert again.status_code == 302 and again["Location"] == reverse("plan_detail", args=[plan.pk])
    assert plan.tasks.count() == 34
