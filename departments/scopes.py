"""Which jurisdiction an account works for (issue #14): the scope pages, API and rankings follow.

``scope_of(user)`` is the one place that answers it. ``None`` means "sees everything": a
superuser, or an office/viewer account with no ``OfficeScope`` row (how every account worked
before jurisdictions existed).
"""

from __future__ import annotations

from .models import Jurisdiction, OfficeScope


def scope_of(user) -> Jurisdiction | None:
    """The jurisdiction ``user`` sees (it and everything below it), or None for everything."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    scope = OfficeScope.objects.filter(user=user).select_related("jurisdiction").first()
    return scope.jurisdiction if scope else None
