"""A worker killed outright (SIGKILL, the whole worker) mid-job: after a restart the job completes once,
within a minute, and the dead worker's temporary files are removed when the new one starts."""

import os
import signal
import socket
import time

import pytest

from reports.jobs import build_monthly_ranking
from reports.models import MonthlyRanking
from tests.jobs.ranking_data import FEB, build_ranking_world
from tests.worker_logs import settled_log

pytestmark = pytest.mark.celery_worker


def test_a_job_whose_worker_was_killed_runs_once_after_a_restart_and_its_temp_files_go(
    start_celery_worker, tmp_path
):
    build_ranking_world()
    marker = tmp_path / "paused"  # the job writes its pid here when it pauses half-way through its file
    env = {"BLUESKY_TEST_PAUSE_WRITING": str(marker), "BLUESKY_VISIBILITY_TIMEOUT": "5"}
    worker, _ = start_celery_worker(pool="solo", extra_env=env)
    temp_folder = tmp_path / "tmp" / f"{socket.gethostname()}-{worker.pid}"
    assert temp_folder.is_dir()  # the worker's own temporary folder
    (temp_folder / "conversion.docx").write_bytes(b"half written")  # as LibreOffice leaves it when killed

    result = build_monthly_ranking.apply_async(args=[f"{FEB}"])
    deadline = time.monotonic() + 90
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline, "the job never reached its pause"
        time.sleep(0.1)
    assert int(marker.read_text().split(" ", 1)[0]) == worker.pid  # the solo worker runs the job itself
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert not MonthlyRanking.objects.exists() and temp_folder.exists()

    _, log = start_celery_worker(pool="solo", extra_env=env)
    pk = result.get(timeout=60)  # handed out again after the 5 s visibility timeout
    assert MonthlyRanking.objects.count() == 1 and MonthlyRanking.objects.get().pk == pk
    assert not temp_folder.exists()
    text = settled_log(log, succeeded=1)
    assert text.count("reports.jobs.build_monthly_ranking[") == 2 and text.count(" succeeded in ") == 1, text
