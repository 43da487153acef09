"""Run the programs some readers need (LibreOffice, pdftoppm, tesseract) safely.

A legacy Word file or a scanned PDF is read by a program outside Python. An
upload must not be able to hold a worker forever or leave processes behind, so
every program runs in its own process group with a time limit, and on timeout
the whole group is killed (``soffice`` starts ``soffice.bin`` behind a launcher,
which a plain ``subprocess.run(timeout=…)`` would leave running).

The caller passes the Chinese errors to raise when the program is missing or
too slow. Which binary to run and the limits are Django settings (``BLUESKY_SOFFICE``,
``BLUESKY_TESSERACT``, …, see ``bluesky/settings.py``), so a test can point a
reader at a missing program and see the message a server without it gives.
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass

from .errors import PlanImportError


@dataclass
class ToolResult:
    returncode: int
    stdout: bytes
    stderr: bytes


def setting(name: str, default):
    """A Django setting, or ``default`` when Django is not configured (readers stay usable alone)."""
    from django.conf import settings

    if not settings.configured:
        return default
    return getattr(settings, name, default)


def run_tool(
    command: list[str],
    *,
    timeout: float,
    missing: PlanImportError,
    timed_out: PlanImportError,
    cwd: str | None = None,
    env: dict | None = None,
) -> ToolResult:
    """Run ``command``; raise ``missing`` if it is not installed, ``timed_out`` (children killed) past ``timeout``."""
    if timeout <= 0:
        raise timed_out
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed as one on timeout
        )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as err:
        raise missing from err
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        _kill_group(process)
        process.wait()
        raise timed_out from err
    except BaseException:  # interrupted (e.g. KeyboardInterrupt): do not leave it running
        _kill_group(process)
        process.wait()
        raise
    _kill_group(process)  # a launcher may have exited while its children still run
    return ToolResult(process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
