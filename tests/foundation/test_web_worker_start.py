"""A web worker is ready before its first request (bluesky/wsgi.py → bluesky/warmup.py).

Loading gunicorn's entry point imports every view through the URLconf,
compiles the project's templates and freezes the start-up heap, so neither
the first request nor the garbage collector's full collections pay for them.
The probe runs in a fresh interpreter, as a worker would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import bluesky.wsgi
from django.template import engines
loaders = engines["django"].engine.template_loaders
cached = [key for loader in loaders for key in getattr(loader, "get_template_cache", {})]
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "views_imported": all(m in sys.modules for m in ("reports.dashboards.views", "tasks.views", "importers.views")),
    "templates": cached,
}))
"""


def _start_worker() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bluesky.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_loading_the_wsgi_application_imports_views_compiles_templates_and_freezes_the_heap():
    worker = _start_worker()
    assert worker["views_imported"]
    assert {"base.html", "dashboards/overview.html", "tasks/measure_detail.html"} <= set(worker["templates"])
    # Almost everything alive after start-up is out of the collector's reach.
    assert worker["frozen"] > 10 * worker["tracked"]
