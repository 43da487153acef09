"""Who may read a measure and its evidence: the read side of departments/roles.py.

Staff read their units' measures (every unit's progress on them, so a lead
unit sees what its assisting units reported); viewers and the office read
everything. Writing is checked by the services (roles.can_edit_measure).
"""
from __future__ import annotations

from departments.roles import can_read_everything, user_unit_ids


def can_read_measure(user, measure) -> bool:
    """Uses ``measure.assignments.all()``, so a prefetched measure costs no query."""
    if not user.is_authenticated:
        return False
    if can_read_everything(user):
        return True
    units = user_unit_ids(user)
    return any(a.unit_id in units for a in measure.assignments.all())


def can_read_unit_work(user, unit_id: int) -> bool:
    """A unit's reports and progress: its own staff, viewers and the office."""
    return user.is_authenticated and (can_read_everything(user) or unit_id in user_unit_ids(user))
