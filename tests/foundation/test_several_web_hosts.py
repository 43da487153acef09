"""Several web hosts behind one PostgreSQL and one Redis: two real gunicorn processes on two ports.

A person signed in through one host is signed in on the other (the session is in Redis and the
database), and what one host puts in the cache the other reads (here the sign-in lock-out: failures
counted on both hosts add up, so an attacker gains nothing by spreading guesses over the hosts).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid

import pytest
import redis
import requests

from tests.conftest import ROOT, stop_processes, test_database_url
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            # The web host itself (database, Redis): these hosts run without a worker or beat.
            if requests.get(f"{base}/healthz?scope=web", timeout=15).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    pytest.fail(f"{base} did not answer within 90 s:\n{log.read_text()}")


@pytest.fixture
def two_web_hosts(redis_url, tmp_path):
    """Two gunicorn processes (one worker each) on two ports, on the test database and the same Redis."""
    env = os.environ | {
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "BLUESKY_DATA_DIR": str(tmp_path),
        "DJANGO_DEBUG": "0",
    }
    hosts, processes = [], []
    try:
        for n in range(2):
            port = _free_port()
            log = tmp_path / f"web-{n}.log"
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "bluesky.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
            ]
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
            )
            processes.append(process)
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, process, log)
            hosts.append(base)
        yield hosts
    finally:
        stop_processes(processes)


def _sign_in(http: requests.Session, base: str, username: str, password: str) -> requests.Response:
    page = http.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return http.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )


def test_a_session_made_on_one_host_is_valid_on_the_other_and_lives_in_redis(two_web_hosts, redis_url):
    first, second = two_web_hosts
    user = make_user(f"host-{uuid.uuid4().hex[:8]}", "office_admin")

    on_first = requests.Session()
    signed_in = _sign_in(on_first, first, user.username, DEMO_PASSWORD)
    assert signed_in.status_code == 302, signed_in.text
    session_id = on_first.cookies["sessionid"]

    # A browser without the cookie is sent to sign in on the second host; with it, it is let in.
    assert requests.get(f"{second}/", timeout=10, allow_redirects=False).status_code == 302
    on_second = requests.get(
        f"{second}/", cookies={"sessionid": session_id}, timeout=10, allow_redirects=False
    )
    assert on_second.status_code == 200
    assert user.username in on_second.text

    stored = redis.Redis.from_url(redis_url).keys(f"*sessions.cached_db{session_id}")
    assert len(stored) == 1, "the session is not in Redis"

    # Signing out on the second host ends the session on the first.
    logout = requests.post(
        f"{second}/accounts/logout/",
        cookies={"sessionid": session_id, "csrftoken": on_first.cookies["csrftoken"]},
        data={"csrfmiddlewaretoken": on_first.cookies["csrftoken"]},
        headers={"Referer": f"{second}/"},
        timeout=10,
        allow_redirects=False,
    )
    assert logout.status_code == 302, logout.text
    assert on_first.get(f"{first}/", timeout=10, allow_redirects=False).status_code == 302


def test_sign_in_failures_counted_on_either_host_lock_the_account_on_both(two_web_hosts, redis_url):
    first, second = two_web_hosts
    user = make_user(f"guard-{uuid.uuid4().hex[:8]}", "unit_staff")

    for attempt in range(5):  # five failures, alternating between the hosts: the cache adds them up
        base = two_web_hosts[attempt % 2]
        assert _sign_in(requests.Session(), base, user.username, "wrong-password").status_code == 200

    for base in (first, second):
        refused = _sign_in(requests.Session(), base, user.username, DEMO_PASSWORD)
        assert refused.status_code == 200
        assert "登录失败次数过多" in refused.text
        assert "sessionid" not in refused.cookies
    assert redis.Redis.from_url(redis_url).keys("*login-guard:lock:*"), "the lock is not in Redis"
