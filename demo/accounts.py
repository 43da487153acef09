"""The three demo logins (office admin, unit staff, viewer) that ``load_demo`` prints for the user."""

from __future__ import annotations

from django.db import transaction

from departments import roles
from departments.models import Unit
from departments.services import ensure_role_groups

DEMO_PASSWORD = "bluesky-demo-2026"
DEMO_STAFF_UNITS = (("丰台区", "区生态环境局"), ("丰台区", "区城市管理委"), ("丰台区", "区交通委"))


@transaction.atomic
def ensure_demo_accounts(password: str = DEMO_PASSWORD) -> list[tuple[str, str, list[str]]]:
    """The three demo logins (office admin, unit staff, viewer); safe to run again.

    Returns (username, role, unit names) for the run command to print.
    """
    from django.contrib.auth import get_user_model

    from departments.models import UnitMembership

    groups = ensure_role_groups()
    User = get_user_model()
    accounts = [
        ("office", roles.OFFICE_ADMIN, "大气办管理员", True, []),
        ("staff", roles.UNIT_STAFF, "丰台区单位填报员", False, list(DEMO_STAFF_UNITS)),
        ("leader", roles.VIEWER, "区领导（查看）", True, []),
    ]
    out = []
    for username, group, full_name, is_staff, unit_keys in accounts:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(password)
        user.is_staff = is_staff
        user.save()
        user.groups.add(groups[group])
        names = []
        for district, name in unit_keys:
            unit = Unit.objects.filter(district=district, name=name).first()
            if unit:
                UnitMembership.objects.get_or_create(user=user, unit=unit)
                names.append(f"{district}{name}")
        out.append((username, group, names))
    return out
