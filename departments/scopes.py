"""Which jurisdiction an account works for (issue #14): the scope pages, API and rankings follow.

``scope_of(user)`` is the one place that answers it. ``None`` means "sees everything": a
superuser, or an office/viewer account with no ``OfficeScope`` row (how every account worked
before jurisdictions existed). Signing in loads the scope with the user
(``login_guard.LockoutModelBackend.get_user``), so asking costs no query on a page.

A municipal office drills into a district: ``chosen_scope(user, code)`` is the district asked for when it
lies within the account's jurisdiction, the account's own scope otherwise; ``scope_choices`` lists them.
"""

from __future__ import annotations

from .models import Jurisdiction, OfficeScope
from .roles import can_read_everything


def jurisdiction_by_code(code: str | None) -> Jurisdiction | None:
    """The jurisdiction of a GB/T 2260 code given on a command line (None for none given); ValueError if unknown."""
    if not code:
        return None
    found = Jurisdiction.objects.filter(code=code.strip()).first()
    if found is None:
        raise ValueError(f"没有行政区划代码 {code}（先运行 load_jurisdictions）。")
    return found


def scope_of(user) -> Jurisdiction | None:
    """The jurisdiction ``user`` sees (it and everything below it), or None for everything."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    try:
        return user.office_scope.jurisdiction  # a missing row is cached on the user too: one query at most
    except OfficeScope.DoesNotExist:
        return None


def reading_scope(user) -> Jurisdiction | None:
    """The jurisdiction an office or viewer account reads by (None: no narrowing, also for unit staff, who read
    by their units). The scope is asked first: an account without one costs no query for its roles."""
    scope = scope_of(user)
    return scope if scope is not None and can_read_everything(user) else None


def scope_choices(user) -> list[Jurisdiction]:
    """The jurisdictions an account may narrow its pages to: the districts (and cities) within its own."""
    scope = scope_of(user)
    below = Jurisdiction.objects.exclude(level=Jurisdiction.Level.STREET).exclude(parent=None)
    if scope is not None:
        below = below.within(scope).exclude(pk=scope.pk)
    return list(below.order_by("code"))


def chosen_scope(user, code: str | None) -> Jurisdiction | None:
    """The jurisdiction a page shows: ``code`` if it lies within the account's own scope, else that scope."""
    scope = scope_of(user)
    if code:
        chosen = Jurisdiction.objects.filter(code=code)
        if scope is not None:
            chosen = chosen.within(scope)
        return chosen.first() or scope
    return scope
