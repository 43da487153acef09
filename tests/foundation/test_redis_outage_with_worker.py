"""Redis stopped and started again under sign-ins and a queued job, with a real worker: no 500s, the job runs once.

A redis-server of this test's own (on a free port, appendonly in the test's folder, as a production Redis keeps
its data) is the cache and the broker of the test and of its worker; the machine's shared Redis is never stopped.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from bluesky.cache import FailoverRedisCache
from importers.models import PlanImport
from tests.conftest import _point_celery_at, failover_caches, free_port, sample_bytes
from tests.factories import DEMO_PASSWORD
from tests.worker_logs import settled_log

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on the machine"),
]


class OwnRedis:
    def __init__(self, folder):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "yes", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("own redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def own_redis(tmp_path):
    redis = OwnRedis(tmp_path)
    redis.start()
    FailoverRedisCache._down_until = 0.0
    with override_settings(CACHES=failover_caches(redis.url), REDIS_URL=redis.url):
        yield redis
    if redis.process.poll() is None:
        redis.stop()
    FailoverRedisCache._down_until = 0.0


def _sign_in(password):
    return Client().post(reverse("login"), {"username": "office", "password": password})


def _upload(client, name):
    upload = SimpleUploadedFile(f"{name}.txt", sample_bytes(name))
    return client.post(reverse("importers:upload"), {"file": upload, "district": ""})


def _wait_until_parsed(client, plan_import, log):
    """Poll the progress box as the browser does, until the worker has parsed the upload."""
    status_url = reverse("importers:parse_status", args=[plan_import.pk])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert client.get(status_url).status_code == 200
        plan_import.refresh_from_db()
        if plan_import.state != PlanImport.State.PARSING:
            return plan_import
        time.sleep(0.5)
    pytest.fail("the upload was never parsed:\n" + log.read_text())


def test_redis_down_under_sign_ins_and_a_queued_job_gives_no_500_and_the_job_runs_once(
    start_celery_worker, own_redis, office_admin
):
    from bluesky.celery import app
    from departments.services import load_unit_directory

    load_unit_directory()
    _point_celery_at(app, broker_url=own_redis.url, result_backend=own_redis.url)
    _, log = start_celery_worker(extra_env={"REDIS_URL": own_redis.url})
    office = Client()
    office.force_login(office_admin)
    assert _sign_in(DEMO_PASSWORD).status_code == 302
    first = PlanImport.objects.get(
        pk=int(_upload(office, "fengtai")["Location"].rstrip("/").rsplit("/", 1)[1])
    )
    assert _wait_until_parsed(office, first, log).state == PlanImport.State.PREVIEW

    own_redis.stop()
    statuses = [_sign_in(DEMO_PASSWORD).status_code for _ in range(3)]
    statuses += [_sign_in("wrong-password").status_code for _ in range(2)]
    assert statuses == [302, 302, 302, 200, 200]  # signed in, or told the password is wrong: never a 500
    assert office.get(reverse("healthz")).status_code == 503
    response = _upload(office, "beijing")  # queued while the broker is down
    assert response.status_code == 302
    waiting = PlanImport.objects.get(original_name="beijing.txt")
    assert waiting.state == PlanImport.State.PARSING and waiting.job_sent_at is None
    assert office.get(response["Location"]).status_code == 200  # 正在解析…

    own_redis.start()  # the same data folder: what Redis held is back
    parsed = _wait_until_parsed(office, waiting, log)  # the page's polling sends the job once Redis answers
    assert parsed.state == PlanImport.State.PREVIEW and parsed.parsed["counts"]["measures"] > 0
    assert _sign_in(DEMO_PASSWORD).status_code == 302
    text = settled_log(log, succeeded=2)
    assert text.count("importers.jobs.parse_upload[") == 4 and text.count(" succeeded in ") == 2, text
