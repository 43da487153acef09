"""End to end: a real Celery worker on Redis builds the monthly ranking; a worker killed mid-write leaves no half file."""

import os
import signal
import time

import pytest

from reports.jobs import build_monthly_ranking
from reports.models import MonthlyRanking
from tests.jobs.ranking_data import FEB, build_ranking_world
from tests.jobs.test_monthly_ranking import check_workbook_against_database
from tests.worker_logs import settled_log

pytestmark = pytest.mark.celery_worker


def test_the_worker_builds_the_ranking_file(start_celery_worker):
    build_ranking_world()
    start_celery_worker()

    pk = build_monthly_ranking.apply_async(args=[f"{FEB}"]).get(timeout=120)

    ranking = MonthlyRanking.objects.get(pk=pk)
    assert ranking.rows.count() == 5
    check_workbook_against_database(ranking.file.path, ranking)


def test_a_worker_killed_mid_write_leaves_no_half_file_and_the_job_completes_once(
    start_celery_worker, settings, tmp_path
):
    build_ranking_world()
    marker = tmp_path / "paused"  # the job writes its pid here when it pauses half-way through the file
    _, log = start_celery_worker(pool="prefork", extra_env={"BLUESKY_TEST_PAUSE_WRITING": str(marker)})

    result = build_monthly_ranking.apply_async(args=[f"{FEB}"])
    deadline = time.monotonic() + 90
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline, "the job never reached its pause:\n" + log.read_text()
        time.sleep(0.1)
    pid, part = marker.read_text().split(" ", 1)
    final = settings.MEDIA_ROOT / "rankings" / "ranking-2026-02.xlsx"
    # Mid-write: half the bytes are in the hidden .part file, the real file does not exist, nothing is in the database.
    assert os.path.getsize(part) > 0 and not final.exists()
    assert not MonthlyRanking.objects.exists()

    os.kill(int(pid), signal.SIGKILL)  # the pool process running the job, as the OOM killer would

    # acks_late + reject_on_worker_lost: the job goes back to the queue and a fresh pool process completes it.
    pk = result.get(timeout=120)
    ranking = MonthlyRanking.objects.get(pk=pk)
    assert MonthlyRanking.objects.count() == 1 and ranking.rows.count() == 5
    check_workbook_against_database(ranking.file.path, ranking)
    assert sorted(p.name for p in final.parent.iterdir()) == [
        ".ranking-2026-02.xlsx.lock",
        "ranking-2026-02.xlsx",
    ]
    text = settled_log(log, succeeded=1)
    assert "SIGKILL" in text or "signal 9" in text, text
    assert text.count("reports.jobs.build_monthly_ranking[") and text.count(" succeeded in ") == 1, text
