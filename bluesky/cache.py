"""A Redis cache that falls back to the database when Redis is down.

Sign-in counts its failures in the cache (departments/login_guard.py). With a plain
RedisCache, a stopped Redis turned every sign-in into an HTTP 500. Here every
cache call that meets a Redis error goes to the ``fallback`` cache (Django's
DatabaseCache, table ``bluesky_cache``) instead, and Redis is not tried again for
a few seconds, so an outage costs one failed connection per worker, not one per call.
What was counted in Redis before the outage is not seen during it: the guard starts
counting afresh, which is the safe side for users and still bounds an attacker.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
_PASSTHROUGH = (
    "get",
    "set",
    "add",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "has_key",
    "incr",
    "decr",
    "touch",
    "clear",
    "get_or_set",
)


class FailoverRedisCache(RedisCache):
    _down_until = 0.0

    def _fallback(self):
        return caches["fallback"]

    def _call(self, name, *args, **kwargs):
        if time.monotonic() < FailoverRedisCache._down_until:
            return getattr(self._fallback(), name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            FailoverRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            log.warning("Redis unavailable (%s); cache falls back to the database", exc)
            return getattr(self._fallback(), name)(*args, **kwargs)


def _passthrough(name):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _PASSTHROUGH:
    setattr(FailoverRedisCache, _name, _passthrough(_name))
