"""With Redis down, sign-in keeps working (the cache falls back to the database) and /healthz says 503.

A real redis-server is started on a port of its own for this test and stopped half-way; the shared Redis
of the machine is never touched.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from bluesky.cache import FailoverRedisCache
from tests.conftest import failover_caches, free_port
from tests.factories import DEMO_PASSWORD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on the machine"),
]


@pytest.fixture
def own_redis():
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    url = f"redis://127.0.0.1:{port}/0"
    FailoverRedisCache._down_until = 0.0
    with override_settings(CACHES=failover_caches(url), REDIS_URL=url):
        yield proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(5)
    FailoverRedisCache._down_until = 0.0


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "office", "password": password})


def test_sign_in_works_and_failures_still_lock_while_redis_is_down(client, office_admin, own_redis):
    assert _sign_in(client, DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("healthz")).json()["redis"] == "ok"
    client.logout()

    own_redis.terminate()
    own_redis.wait(5)

    for _ in range(5):
        assert _sign_in(client, "wrong-password").status_code == 200  # a form error, never a 500
    locked = _sign_in(client, DEMO_PASSWORD)
    assert (
        locked.status_code == 200 and "锁定" in locked.content.decode()
    )  # the guard counted in the database
    cache.clear()  # the office clears the lock (in the fallback store)
    assert _sign_in(client, DEMO_PASSWORD).status_code == 302


def test_healthz_answers_503_and_names_redis_when_it_is_down(client, own_redis):
    healthy = client.get(reverse("healthz"))
    assert healthy.status_code == 200 and healthy.json()["database"] == "ok"
    own_redis.terminate()
    own_redis.wait(5)
    down = client.get(reverse("healthz"))
    assert down.status_code == 503
    assert down.json()["redis"].startswith("down") and down.json()["database"] == "ok"
