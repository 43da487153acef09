"""Reading the unit directory."""

from __future__ import annotations

from .directory import GROUP_KIND, AliasRecord, GroupRecord, UnitDirectory, UnitKey, UnitRecord
from .models import Unit, UnitAlias


def unit_directory() -> UnitDirectory:
    """The directory the importer resolves names against, from the active units in the database.

    Three queries whatever the size. Built leniently: a clash the office made
    in the admin is listed in ``.problems`` instead of stopping every import.
    """
    members: dict[int, list[UnitKey]] = {}
    for from_id, name, district in Unit.members.through.objects.filter(
        from_unit__is_active=True, to_unit__is_active=True
    ).values_list("from_unit_id", "to_unit__name", "to_unit__district"):
        members.setdefault(from_id, []).append(UnitKey(name, district))
    units, groups = [], []
    for unit_id, name, kind, district in Unit.objects.filter(is_active=True).values_list(
        "id", "name", "kind", "district"
    ):
        if kind == GROUP_KIND:
            groups.append(GroupRecord(name, district, tuple(members.get(unit_id, ()))))
        else:
            units.append(UnitRecord(name, kind, district))
    aliases = [
        AliasRecord(name, unit_name, district, former=kind == UnitAlias.Kind.FORMER, renamed_on=renamed_on)
        for name, unit_name, district, kind, renamed_on in UnitAlias.objects.filter(
            unit__is_active=True
        ).values_list("name", "unit__name", "unit__district", "kind", "renamed_on")
    ]
    return UnitDirectory.from_records(units, aliases, groups, strict=False)
