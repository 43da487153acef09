"""Who may do what: the three roles of bluesky and the unit scope of a user.

Roles are Django auth groups (created by a data migration, permissions
attached), so the office can manage people in the admin:

- 大气办管理员 (office administrators): see and manage everything;
- 单位填报员 (unit staff): see everything their units carry, change only that;
- 领导查看 (viewers): read everything, change nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

OFFICE_ADMIN = "大气办管理员"
UNIT_STAFF = "单位填报员"
VIEWER = "领导查看"
ROLE_GROUPS = (OFFICE_ADMIN, UNIT_STAFF, VIEWER)


def _group_names(user) -> set[str]:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    cached = getattr(user, "_bluesky_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._bluesky_group_names = cached
    return cached


def is_office_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or OFFICE_ADMIN in _group_names(user)))


def is_viewer(user) -> bool:
    return VIEWER in _group_names(user) and not is_office_admin(user)


def is_unit_staff(user) -> bool:
    """Unit staff (viewers never write, even if also in the staff group)."""
    return UNIT_STAFF in _group_names(user) and not is_viewer(user)


def can_read_everything(user) -> bool:
    return is_office_admin(user) or is_viewer(user)


def user_unit_ids(user) -> frozenset[int]:
    """The units a user works for (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_bluesky_unit_ids", None)
    if cached is None:
        cached = frozenset(user.unit_memberships.values_list("unit_id", flat=True))
        user._bluesky_unit_ids = cached
    return cached
