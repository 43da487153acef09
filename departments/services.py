"""Writing to the unit directory: role groups, the bundled directory, memberships."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles

# The apps whose models the roles are about.
_MANAGED_APPS = ("departments", "tasks", "reports", "importers")


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    """Create the three role groups and give them their permissions (safe to run again)."""
    perms = Permission.objects.filter(content_type__app_label__in=_MANAGED_APPS).select_related("content_type")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}
    groups[roles.OFFICE_ADMIN].permissions.set(perms)
    groups[roles.VIEWER].permissions.set([p for p in perms if p.codename.startswith("view_")])
    # Unit staff change their own units' work through the app's pages, which
    # check the unit scope; they get no model-wide permission that the admin
    # would honour for every unit.
    groups[roles.UNIT_STAFF].permissions.clear()
    return groups
