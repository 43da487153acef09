"""Write a generated report file so that it is either complete or absent, never half written.

The bytes go to a hidden ``.part`` file next to the target, are synced to
disk, and are renamed over the target in one step (``os.replace``): a reader
sees the old file or the new one, and a worker killed mid-write leaves the
target untouched. A per-target ``flock`` keeps two writers from sharing the
``.part`` file; a retry after a kill reuses (truncates) the same ``.part``, so
nothing is left behind once it succeeds.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage


def _pause_for_tests(part: Path) -> None:
    """Test-only (BLUESKY_TEST_PAUSE_WRITING): pause once, half-way through a write, so a test can kill us here."""
    marker = settings.BLUESKY_TEST_PAUSE_WRITING
    if not marker or os.path.exists(marker):
        return
    Path(marker).write_text(f"{os.getpid()} {part}")
    time.sleep(120)


def save_atomically(storage: Storage, name: str, data: bytes) -> str:
    """Store ``data`` under ``name`` (replacing what is there) and return the name."""
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # object storages upload whole objects anyway
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(part, "wb") as out:
            half = len(data) // 2
            out.write(data[:half])
            out.flush()
            _pause_for_tests(part)
            out.write(data[half:])
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    return name


def write_file_atomically(path: Path, data: bytes) -> None:
    """The same for a plain path (``--out FILE``)."""
    part = path.with_name(f".{path.name}.part")
    with open(part, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, path)
