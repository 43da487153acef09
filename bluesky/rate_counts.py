"""Counting events over a sliding window in Django's cache (sign-in failures, reset e-mails).

Each key holds the times of its recent events; entries older than the window drop out.
The cache is Redis in production, so every web worker sees the same counts.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def recent(key: str, window: int, now: float | None = None) -> list[float]:
    """The times of the events under ``key`` within the last ``window`` seconds, oldest first."""
    now = time.time() if now is None else now
    return [t for t in cache.get(key, []) if t > now - window]


def count(key: str, window: int, now: float | None = None) -> int:
    """Record one event under ``key`` and return how many fall within the window, this one included."""
    now = time.time() if now is None else now
    events = [*recent(key, window, now), now]
    cache.set(key, events, window)
    return len(events)
