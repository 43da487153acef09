"""The Celery worker and scheduler say they are alive; a worker's temporary files die with it.

A thread in each worker and beat process writes ``Heartbeat`` (the database: the web, the worker
and beat share it whatever the broker) every ``BLUESKY_HEARTBEAT_SECONDS``; /healthz
(bluesky/health.py) calls a heartbeat older than ``BLUESKY_HEARTBEAT_STALE_SECONDS`` down. A worker
that stops cleanly removes its own row, so it is reported down at once.

Each worker process also keeps its temporary files (LibreOffice conversions, OCR pages) in a folder
of its own, ``DATA_DIR/tmp/<host>-<pid>``; a worker that starts removes the folders of workers of
this host that are no longer running, so a worker killed mid-job leaves nothing behind for long.
The handlers are connected in bluesky/celery.py (Celery's signals are how a worker's life is hooked).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

log = logging.getLogger(__name__)
_stop = threading.Event()


def _process_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}"


def write_heartbeat(kind: str) -> None:
    from .models import Heartbeat

    try:
        Heartbeat.objects.update_or_create(
            process=_process_name(kind), defaults={"kind": kind, "seen_at": timezone.now()}
        )
    except DatabaseError as exc:  # the database is down: /healthz says so; beat again next time
        log.warning("heartbeat not written: %s", exc)
    finally:
        # No connection is kept between beats: none to go stale, none inherited by a forked pool process.
        connection.close()


def _beat_forever(kind: str) -> None:
    while True:
        write_heartbeat(kind)
        if _stop.wait(settings.BLUESKY_HEARTBEAT_SECONDS):
            return


def start_heartbeat(kind: str) -> None:
    threading.Thread(target=_beat_forever, args=(kind,), name=f"{kind}-heartbeat", daemon=True).start()


def stop_heartbeat(kind: str) -> None:
    from .models import Heartbeat

    _stop.set()
    close_old_connections()
    try:
        Heartbeat.objects.filter(process=_process_name(kind)).delete()
    except DatabaseError as exc:
        log.warning("heartbeat not removed: %s", exc)


def worker_temp_root() -> Path:
    return settings.DATA_DIR / "tmp"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_workers_temp_files() -> list[str]:
    """Remove the temporary folders of this host's workers that are no longer running; their names."""
    prefix = f"{socket.gethostname()}-"
    removed = []
    root = worker_temp_root()
    for folder in root.iterdir() if root.exists() else ():
        pid = folder.name.removeprefix(prefix)
        if folder.name.startswith(prefix) and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def use_own_temp_folder() -> Path:
    """This worker's temporary files go to a folder of its own (child processes inherit it)."""
    removed = remove_dead_workers_temp_files()
    if removed:
        log.info("removed the temporary files of stopped workers: %s", ", ".join(removed))
    folder = worker_temp_root() / f"{socket.gethostname()}-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)  # programs the jobs start (soffice, tesseract) too
    return folder
