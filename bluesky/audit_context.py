"""The audit trail's request context: django-auditlog's middleware, with the client's address read safely.

django-auditlog records the left-most ``X-Forwarded-For`` entry (and ``X-Forwarded-Port``) as a change's
address: whatever the sender wrote there. bluesky records the address ``client_address`` vouches for
(the peer, or the right-most hop not one of ``BLUESKY_TRUSTED_PROXIES``), and a forwarded port only
from a trusted proxy.
"""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings

from .client_address import client_address, is_trusted_proxy


class AuditlogMiddleware(_AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request) or None

    @staticmethod
    def _get_remote_port(request) -> int | None:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            return None
        return _AuditlogMiddleware._get_remote_port(request)
