"""Reading a real Celery worker's log: the worker writes "succeeded in" just after it stores the result, so a
test that has the result may read the log a moment too early."""

from __future__ import annotations

import time
from pathlib import Path


def settled_log(log: Path, *, succeeded: int, timeout: float = 20) -> str:
    """The log's text once it holds ``succeeded`` "succeeded in" lines (or ``timeout`` seconds have passed)."""
    deadline = time.monotonic() + timeout
    text = log.read_text()
    while text.count(" succeeded in ") < succeeded and time.monotonic() < deadline:
        time.sleep(0.2)
        text = log.read_text()
    return text
