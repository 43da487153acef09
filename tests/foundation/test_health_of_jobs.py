"""/healthz reports the Celery worker and the scheduler (beat) by their heartbeats, and answers 503 without them."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from bluesky.health import EAGER
from bluesky.models import Heartbeat
from tests.conftest import ROOT, test_database_url

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get(reverse("healthz"))
    return response.status_code, response.json()


def test_without_a_broker_the_jobs_are_said_to_run_in_the_web_process(client):
    status, report = _health(client)
    assert status == 200 and report["worker"] == EAGER and report["beat"] == EAGER


def test_no_worker_or_beat_heartbeat_is_a_503_naming_them(client, jobs_queued_not_run):
    status, report = _health(client)
    assert status == 503 and report["status"] == "down"
    assert report["worker"] == "down: no heartbeat" and report["beat"] == "down: no heartbeat"
    assert report["database"] == "ok"
    web_only = client.get(reverse("healthz"), {"scope": "web"})  # what the load balancer asks
    assert web_only.status_code == 200 and web_only.json()["worker"] == "down: no heartbeat"


def test_fresh_heartbeats_are_healthy_and_old_ones_stale(client, jobs_queued_not_run, settings):
    settings.BLUESKY_HEARTBEAT_STALE_SECONDS = 60
    now = timezone.now()
    Heartbeat.objects.create(process="worker:a", kind="worker", seen_at=now - dt.timedelta(seconds=5))
    Heartbeat.objects.create(process="beat:a", kind="beat", seen_at=now - dt.timedelta(seconds=10))
    status, report = _health(client)
    assert status == 200 and report["worker"] == "ok" and report["beat"] == "ok"

    Heartbeat.objects.filter(kind="beat").update(seen_at=now - dt.timedelta(minutes=5))
    status, report = _health(client)
    assert status == 503 and report["worker"] == "ok" and report["beat"].startswith("stale: last heartbeat 3")


def _start_beat(redis_url, tmp_path, settings, env_extra):
    env = os.environ | {
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "BLUESKY_DATA_DIR": str(tmp_path),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env_extra,
    }
    log = tmp_path / "beat.log"
    command = [sys.executable, "-m", "celery", "-A", "bluesky", "beat", "--loglevel=INFO"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT), log


def _wait_for(client, check, what, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, report = _health(client)
        if check(status, report):
            return report
        time.sleep(0.5)
    pytest.fail(f"/healthz never showed {what}: {report}\n" + log.read_text())


@pytest.mark.celery_worker
def test_a_real_worker_and_beat_keep_healthz_green_and_their_loss_turns_it_503(
    client, start_celery_worker, redis_url, tmp_path, settings
):
    fast = {"BLUESKY_HEARTBEAT_SECONDS": "1"}
    worker, worker_log = start_celery_worker(extra_env=fast)
    beat, beat_log = _start_beat(redis_url, tmp_path, settings, fast)
    try:
        report = _wait_for(client, lambda s, r: s == 200 and r["beat"] == "ok", "beat up", beat_log)
        assert report["worker"] == "ok" and report["database"] == "ok"
        # The web process's own cache: Redis in the PostgreSQL + Redis pass, none on the SQLite pass.
        assert report["redis"] == ("ok" if settings.REDIS_URL else "not configured")

        worker.terminate()  # a clean stop removes the worker's heartbeat: down at once
        worker.wait(30)
        status, report = _health(client)
        assert status == 503 and report["worker"] == "down: no heartbeat" and report["beat"] == "ok"

        settings.BLUESKY_HEARTBEAT_STALE_SECONDS = 3
        os.kill(beat.pid, signal.SIGKILL)  # killed outright: its heartbeat goes stale
        beat.wait(10)
        report = _wait_for(client, lambda s, r: r["beat"].startswith("stale"), "beat stale", beat_log)
        assert report["status"] == "down"
    finally:
        if beat.poll() is None:
            beat.kill()
            beat.wait(10)
