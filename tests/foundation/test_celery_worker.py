"""A real Celery worker process on Redis runs a job against the test database."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bluesky.celery import app
from importers import services
from importers.jobs import apply_plan_import
from importers.models import PlanImport
from tasks.models import Plan
from tests.conftest import sample_bytes

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(redis_url, transactional_db, tmp_path):
    """Start `celery worker` on Redis, pointed at the test database; point this process's app at Redis."""
    env = os.environ | {
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "BLUESKY_DATA_DIR": str(tmp_path),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "bluesky", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(timeout=1):
                break
            assert worker.poll() is None, log.read_text()
        else:
            pytest.fail("the Celery worker did not answer within 60 s:\n" + log.read_text())
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        app.conf.update(saved)


def test_a_real_worker_imports_a_plan_through_redis(celery_worker_process, settings, tmp_path):
    plan_import = services.preview_upload(data=sample_bytes("fengtai"), filename="fengtai.txt")
    assert plan_import.state == PlanImport.State.PREVIEW
    assert not Plan.objects.exists()

    result = apply_plan_import.delay(plan_import.pk)
    plan_id = result.get(timeout=60)

    plan = Plan.objects.get(pk=plan_id)
    assert plan.tasks.count() == 34
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.APPLIED
    # The job is safe to run again: it recognises the import was applied.
    assert apply_plan_import.delay(plan_import.pk).get(timeout=60) == plan_id
    assert Plan.objects.count() == 1
