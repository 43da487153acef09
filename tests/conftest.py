"""Shared fixtures: sample documents, users in each role, service checks that never skip in CI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings

from tests import browser

# In CI the property tests replay the same examples every run (a red CI must mean a change broke
# something); locally they explore new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data" / "plans"
SAMPLE_FILES = {
    "fengtai": SAMPLES / "fengtai-2018-2020-task-breakdown.txt",
    "mentougou": SAMPLES / "mentougou-2023-action-plan-draft.txt",
    "beijing": SAMPLES / "beijing-2021-action-plan.txt",
    "xicheng": SAMPLES / "xicheng-2018-2020-three-year-plan.txt",
    "chaoyang": SAMPLES / "chaoyang-2018-2020-three-year-plan.txt",
}


def sample_bytes(name: str) -> bytes:
    return SAMPLE_FILES[name].read_bytes()


def service_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port nothing listens on (for a server of a test's own, or a service that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def failover_caches(redis_url: str) -> dict:
    """CACHES as production has them (bluesky/cache.py), on a given Redis: for tests that stop their own Redis."""
    return {
        "default": {
            "BACKEND": "bluesky.cache.FailoverRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bluesky_cache"},
    }


def require_service(url: str, what: str) -> None:
    """Skip locally when a service is missing; in CI a missing service is a failure, never a skip."""
    if service_reachable(url):
        return
    message = f"{what} is not reachable at {url}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run this test)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (zh-hans): a test that renders English (a request with English
    chosen, an override left open) must not leave it active for the next test in the same process."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    """The test client's sessions in the database on both CI passes, so that a page's query count is the same
    with and without Redis (with REDIS_URL, production keeps sessions in Redis too: cached_db). The several-hosts
    test starts real web processes, which read the settings from their environment, not from here."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _jobs_run_in_process():
    """Jobs run in the test's own process, whatever broker the settings name (REDIS_URL in CI).

    Only the tests that start a real worker (``start_celery_worker``) send jobs to Redis.
    """
    from bluesky.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


# A day late in a month, Beijing time: last month's report (due by the 3rd working day) is long past due.
LATE_IN_THE_MONTH = datetime.fromisoformat("2026-11-30T10:00:00+08:00")


@pytest.fixture
def late_in_the_month():
    """The clock set to LATE_IN_THE_MONTH (and running on from it) for a test whose figures depend on where in
    the month today falls: on the first working days of a month last month's report is not yet due, so a
    "missing" report is "pending", a past-due rate has no figure yet and the generated data has other
    deadlines passed. Yields that day."""
    with time_machine.travel(LATE_IN_THE_MONTH, tick=True):
        yield LATE_IN_THE_MONTH.date()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
    require_service(url, "Redis")
    return url


@pytest.fixture
def office_admin(db):
    from tests.factories import make_user

    return make_user("office", "office_admin")


@pytest.fixture
def viewer(db):
    from tests.factories import make_user

    return make_user("leader", "viewer")


def test_database_url() -> str:
    """The URL of the test database, for a worker process started by a test."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # not a test, despite its name


def _point_celery_at(app, **conf) -> None:
    """Change the app's broker/backend and drop what it built from the old ones (an earlier test may have
    sent through the in-memory broker: the connection pool and result backend are built once and cached)."""
    app.conf.update(conf)
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def jobs_queued_not_run():
    """Jobs go to a broker (in memory) and wait there, no worker: as in production, not run in the web process."""
    from bluesky.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    _point_celery_at(app, broker_url="memory://", task_always_eager=False)
    yield app
    _point_celery_at(app, **saved)


@pytest.fixture
def start_celery_worker(redis_url, transactional_db, tmp_path, settings):
    """A factory: start a real `celery worker` on Redis, pointed at the test database, and wait until it answers.

    ``start(pool="solo", extra_env=None)`` returns (process, log path). For the test, this process's Celery
    app sends to Redis, on a queue only these workers consume. Workers are stopped at the end.
    """
    from bluesky.celery import app

    # A queue of this test's own: other test runs may share the Redis server, and their workers (pointed at
    # their own test databases) must never take this test's jobs.
    queue = f"test-jobs-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    saved = {
        k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    _point_celery_at(
        app, broker_url=redis_url, result_backend=redis_url, task_always_eager=False, task_default_queue=queue
    )
    workers = []

    def start(*, pool: str = "solo", extra_env: dict | None = None):
        env = (
            os.environ
            | {
                "DATABASE_URL": test_database_url(),
                "REDIS_URL": redis_url,
                "BLUESKY_DATA_DIR": str(tmp_path),
                "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            }
            | (extra_env or {})
        )
        log = tmp_path / f"worker-{len(workers)}.log"
        name = f"test-{os.getpid()}-{uuid.uuid4().hex[:6]}@localhost"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bluesky",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            name,
            "-Q",
            queue,
        ]
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        workers.append(worker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(destination=[name], timeout=1):
                return worker, log
            assert worker.poll() is None, log.read_text()
        pytest.fail("the Celery worker did not answer within 60 s:\n" + log.read_text())

    try:
        yield start
    finally:
        stop_processes(workers)
        _point_celery_at(app, **saved)


def stop_processes(processes: list[subprocess.Popen]) -> None:
    """Ask every process a test started to stop, then kill those still running after 30 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """One solo worker."""
    worker, _ = start_celery_worker()
    return worker


@pytest.fixture
def chromium():
    """A headless Debian chromium (Playwright's sync API): see tests/browser.py. Missing chromium fails in CI."""
    browser.require_chromium()
    with browser.open_chromium() as launched:
        yield launched
