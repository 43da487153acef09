"""Writing to the unit directory: role groups, the bundled directory, memberships."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles
from .directory import UnitDirectory, UnitKey
from .jurisdictions import JurisdictionIndex, load_jurisdictions
from .models import Jurisdiction, Unit, UnitAlias
from .unit_files import RowError, UnitFileError, parse_unit_table, read_table

# The apps whose models the roles are about: the project's own, people and API tokens
# (the office manages accounts), and the job schedule.
_MANAGED_APPS = (
    "departments",
    "tasks",
    "reports",
    "importers",
    "auth",
    "django_celery_beat",
    "auditlog",
)
# Accounts, API tokens (whose keys the admin shows in full) and job schedules are the office's alone: a
# viewer who could read a token could act as its owner through the API.
_VIEWER_HIDDEN_APPS = ("auth", "django_celery_beat", "auditlog")
# What would let the office raise privileges (edit roles and permissions themselves) or erase authorship
# (delete accounts: they are deactivated instead). Superusers keep all of it.
_OFFICE_WITHHELD = frozenset(
    {
        "add_group",
        "change_group",
        "delete_group",
        "add_permission",
        "change_permission",
        "delete_permission",
        "delete_user",
        # The audit log is read, never edited.
        "add_logentry",
        "change_logentry",
        "delete_logentry",
    }
)


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    """Create the three role groups and give them their permissions (safe to run again)."""
    perms = Permission.objects.filter(content_type__app_label__in=_MANAGED_APPS).select_related(
        "content_type"
    )
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ROLE_GROUPS}
    groups[roles.OFFICE_ADMIN].permissions.set([p for p in perms if p.codename not in _OFFICE_WITHHELD])
    groups[roles.VIEWER].permissions.set(
        [
            p
            for p in perms
            if p.codename.startswith("view_")
            and p.content_type.app_label not in _VIEWER_HIDDEN_APPS
            and p.codename != "view_apitoken"
        ]
    )
    # Unit staff change their own units' work through the app's pages, which
    # check the unit scope; they get no model-wide permission that the admin
    # would honour for every unit.
    groups[roles.UNIT_STAFF].permissions.clear()
    return groups


@transaction.atomic
def load_unit_directory(
    directory: UnitDirectory | None = None, *, jurisdiction_of: dict[UnitKey, Jurisdiction] | None = None
) -> dict[str, int]:
    """Load the bundled unit directory (or ``directory``) into the database; safe to run again.

    Units already present keep what the office changed in the admin (kind,
    active flag); only missing units, aliases and group members are added.
    Each unit of ``jurisdiction_of`` is pointed at its jurisdiction; without it (the bundled
    Beijing directory) a unit without one gets the Beijing jurisdiction its district label names.
    """
    directory = directory or UnitDirectory.from_yaml()
    unit_records, alias_records, group_records = directory.records()
    existing = {(u.district, u.name): u for u in Unit.objects.all()}
    new_units = [
        Unit(name=r.name, district=r.district, kind=r.kind)
        for r in unit_records
        if (r.district, r.name) not in existing
    ] + [
        Unit(name=g.name, district=g.district, kind=Unit.Kind.GROUP)
        for g in group_records
        if (g.district, g.name) not in existing
    ]
    Unit.objects.bulk_create(new_units)
    by_key = {(u.district, u.name): u for u in Unit.objects.all()}
    have_alias = set(UnitAlias.objects.values_list("unit_id", "name"))
    new_aliases = []
    for a in alias_records:
        unit = by_key[(a.district, a.unit)]
        if (unit.pk, a.name) not in have_alias:
            have_alias.add((unit.pk, a.name))
            new_aliases.append(
                UnitAlias(
                    unit=unit,
                    name=a.name,
                    kind=UnitAlias.Kind.FORMER if a.former else UnitAlias.Kind.ALIAS,
                    renamed_on=a.renamed_on if a.former else None,
                )
            )
    UnitAlias.objects.bulk_create(new_aliases)
    Membership = Unit.members.through
    have_member = set(Membership.objects.values_list("from_unit_id", "to_unit_id"))
    new_members = []
    for g in group_records:
        group = by_key[(g.district, g.name)]
        for key in g.members:
            member = by_key[(key.district, key.name)]
            if (group.pk, member.pk) not in have_member:
                have_member.add((group.pk, member.pk))
                new_members.append(Membership(from_unit=group, to_unit=member))
    Membership.objects.bulk_create(new_members)
    linked = _link_jurisdictions(by_key, jurisdiction_of)
    return {
        "units": len(new_units),
        "aliases": len(new_aliases),
        "members": len(new_members),
        "linked": linked,
    }


def _link_jurisdictions(by_key: dict[tuple[str, str], Unit], jurisdiction_of) -> int:
    """Point units at their jurisdictions (keeping the district label its mirror); how many changed."""
    if jurisdiction_of is None:
        # The bundled directory is Beijing's: make sure its divisions are there (a flushed test database has none).
        load_jurisdictions(province="11")
        beijing = Jurisdiction.objects.get(code="110000")
        by_label = {j.district_label: j for j in Jurisdiction.objects.within(beijing).exclude(level="street")}
        jurisdiction_of = {
            UnitKey(unit.name, unit.district): by_label[unit.district]
            for unit in by_key.values()
            if unit.jurisdiction_id is None and unit.district in by_label
        }
    changed = []
    for key, jurisdiction in jurisdiction_of.items():
        unit = by_key.get((key.district, key.name))
        if unit is not None and unit.jurisdiction_id != jurisdiction.pk:
            unit.jurisdiction = jurisdiction
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["jurisdiction"])
    return len(changed)


@transaction.atomic
def load_units(*, data: bytes, filename: str, dry_run: bool = False) -> dict[str, int]:
    """Load a unit directory table (.xlsx/.csv, see departments/unit_files.py); safe to run again.

    All or nothing: any problem raises ``UnitFileError`` listing every row and column at fault, and
    nothing is written. ``dry_run`` checks and counts what would change, then rolls back.
    """
    parsed = parse_unit_table(read_table(data=data, filename=filename), index=JurisdictionIndex())
    if parsed.errors:
        raise UnitFileError(parsed.errors)
    try:
        directory = UnitDirectory.from_records(parsed.units, parsed.aliases, parsed.groups)
    except ValueError as exc:
        raise UnitFileError([RowError(0, "", str(exc))]) from exc
    counts = load_unit_directory(directory, jurisdiction_of=parsed.jurisdiction_of)
    counts["rows"] = len(parsed.units) + len(parsed.groups)
    if dry_run:
        transaction.set_rollback(True)
    return counts
