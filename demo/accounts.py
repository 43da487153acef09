"""The demo logins that ``load_demo`` prints for the user: the municipal office (北京市, sees every district and
ranks them), 丰台区's office, unit staff of 丰台区 and a 丰台区 leader (viewer)."""

from __future__ import annotations

from django.db import transaction

from departments import roles
from departments.models import Jurisdiction, OfficeScope, Unit
from departments.services import ensure_role_groups

DEMO_PASSWORD = "bluesky-demo-2026"
DEMO_STAFF_UNITS = (("丰台区", "区生态环境局"), ("丰台区", "区城市管理委"), ("丰台区", "区交通委"))
# The jurisdiction each office or leader login works for (GB/T 2260): it sees that and everything below.
DEMO_SCOPES = {"office": "110000", "fengtai": "110106", "leader": "110106"}


@transaction.atomic
def ensure_demo_accounts(password: str = DEMO_PASSWORD) -> list[tuple[str, str, list[str]]]:
    """The demo logins (office admins, unit staff, viewer) with their jurisdictions; safe to run again.

    Returns (username, role, unit names or jurisdiction) for the run command to print.
    """
    from django.contrib.auth import get_user_model

    from departments.models import UnitMembership

    groups = ensure_role_groups()
    User = get_user_model()
    accounts = [
        ("office", roles.OFFICE_ADMIN, "市大气办管理员", True, []),
        ("fengtai", roles.OFFICE_ADMIN, "丰台区大气办管理员", True, []),
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
        jurisdiction = Jurisdiction.objects.filter(code=DEMO_SCOPES.get(username, "")).first()
        if jurisdiction is not None:
            OfficeScope.objects.update_or_create(user=user, defaults={"jurisdiction": jurisdiction})
            names.append(f"辖区：{jurisdiction.name}")
        out.append((username, group, names))
    return out
