"""A Celery worker loads the URLconf as it starts (bluesky/celery.py → bluesky/warmup.py), so that no job pays
for importing every view the first time it needs a link (the bell's notices of a reminder run). The probe runs in a
fresh interpreter and sends the signal the worker sends at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from celery import signals
from bluesky.celery import app
before = "reports.notifications.views" in sys.modules
signals.worker_init.send(sender=None)
print(before, "reports.notifications.views" in sys.modules, "reports.dashboards.views" in sys.modules)
"""


def test_a_starting_worker_imports_the_views_through_the_urlconf(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bluesky.settings", "BLUESKY_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]
