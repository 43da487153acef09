"""Shared fixtures: sample documents, users in each role, service checks that never skip in CI."""
from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data" / "plans"
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


def require_service(url: str, what: str) -> None:
    """Skip locally when a service is missing; in CI a missing service is a failure, never a skip."""
    if service_reachable(url):
        return
    message = f"{what} is not reachable at {url}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run this test)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
