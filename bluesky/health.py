"""/healthz: what the load balancer and docker's health check ask — is every part this app needs up?

Answers 200 with a JSON report when the database and (where configured) Redis answer, 503 when one
does not, so a dead Redis is seen by monitoring instead of hiding behind an "ok". The scheduler's
last run (django_celery_beat) is reported for the operator, not judged: beat may be stopped on purpose.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down" for a health check
        return f"down: {type(exc).__name__}"
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


def _beat_last_run() -> str | None:
    from django.db.models import Max
    from django_celery_beat.models import PeriodicTask

    try:
        last = PeriodicTask.objects.aggregate(last=Max("last_run_at"))["last"]
    except Exception:
        return None
    return last.isoformat() if last else None


def healthz(request):
    checks = {"database": _database(), "redis": _redis()}
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    if checks["database"] == "ok":
        checks["beat_last_run"] = _beat_last_run()
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
