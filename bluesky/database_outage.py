"""A lost database connection answers a Chinese 503 page, not a 500; the next request reconnects.

When PostgreSQL drops a connection mid-request (a restart, a failover, ``pg_terminate_backend``),
the write in progress is rolled back by the database (services write in one transaction), and
Django raises OperationalError or InterfaceError. This middleware turns that into "数据库暂时不可用"
(503, with Retry-After) and closes the broken connection so the next request opens a fresh one.
The page is rendered without the request's context: it must not need the database.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        for connection in connections.all(initialized_only=True):
            connection.close()  # a broken connection is dropped; Django opens a new one on the next query
        message = _("数据库暂时无法连接，您刚才的操作没有保存。请稍后重试。")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
