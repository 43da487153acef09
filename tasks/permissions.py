"""Who may read or change a measure: the measure side of departments/roles.py, in one place.

Staff read their units' measures (every unit's progress on them, so a lead
unit sees what its assisting units reported); viewers and the office read
every measure of their jurisdiction (departments/scopes.py: all of them for an
account without one). Office administrators change those; unit staff the ones
their units carry. ``measure_for`` is how a page loads a measure it is about
to show or change (a measure outside the account's jurisdiction is a 404, as if
it did not exist); the services check ``can_edit_measure`` again when they write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from departments.models import Unit
from departments.roles import can_read_everything, is_office_admin, is_unit_staff, user_unit_ids
from departments.scopes import scope_of

from .models import Assignment, Measure
from .selectors import measure_for_page


def can_read_measure(user, measure) -> bool:
    """Uses ``measure.assignments.all()``, so a prefetched measure costs no query."""
    if not user.is_authenticated:
        return False
    if can_read_everything(user):
        return in_user_scope(user, measure)
    units = user_unit_ids(user)
    return any(a.unit_id in units for a in measure.assignments.all())


def in_user_scope(user, measure) -> bool:
    """The measure is within the jurisdiction the user works for (one query, none for an unscoped account)."""
    scope = scope_of(user)
    return scope is None or Measure.objects.in_scope(scope).filter(pk=measure.pk).exists()


def can_edit_measure(user, measure) -> bool:
    """Office administrators edit every measure of their jurisdiction; unit staff only those their units carry."""
    if is_office_admin(user):
        return in_user_scope(user, measure)
    if not is_unit_staff(user):
        return False
    units = user_unit_ids(user)
    return bool(units) and measure.assignments.filter(unit_id__in=units).exists()


def readable_measures(user, measures: QuerySet) -> QuerySet:
    """The office and viewers see every measure of their jurisdiction; unit staff those their units carry."""
    if can_read_everything(user):
        return measures.in_scope(scope_of(user))
    return measures.filter(
        pk__in=Assignment.objects.filter(unit_id__in=user_unit_ids(user)).values("measure_id")
    )


def measure_for(user, pk: int, *, write: bool = False) -> Measure:
    """The measure page's measure (selectors.measure_for_page), or 404; 403 if the user may not read it
    (with ``write``: may not change it). Outside the office's or viewer's jurisdiction it is a 404."""
    try:
        measure = measure_for_page(pk)
    except Measure.DoesNotExist:
        raise Http404("没有这项措施。") from None
    if not can_read_measure(user, measure):
        if can_read_everything(user):
            raise Http404("没有这项措施。")
        raise PermissionDenied("这项措施不由您的单位承担。")
    if write and not can_edit_measure(user, measure):
        raise PermissionDenied("您没有权限更新这项措施。")
    return measure


def can_read_unit_work(user, unit_id: int) -> bool:
    """A unit's reports and progress: its own staff, and viewers and the office of its jurisdiction."""
    if not user.is_authenticated:
        return False
    if can_read_everything(user):
        scope = scope_of(user)
        return scope is None or Unit.objects.in_scope(scope).filter(pk=unit_id).exists()
    return unit_id in user_unit_ids(user)
