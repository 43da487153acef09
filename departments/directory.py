"""The unit directory as a plain object: map a unit name as written to the unit(s) it means.

Plans write units in many ways: 区城管委 and 区城市管理委 are one unit, 区环保局
is the pre-2019 name of 区生态环境局, 各街乡镇 stands for every street and town
of the district, and 区交通委 means a different unit in 丰台区 than in 朝阳区.
``UnitDirectory.resolve`` turns any of these into canonical names.

The directory is pure (no Django models) so the importer and its tests can
use it without a database. It is built either from the bundled data file
(``UnitDirectory.from_yaml()``, departments/data/units.yaml, whose header
documents the format) or from plain records (``UnitDirectory.from_records``),
which is what ``departments.selectors.unit_directory()`` makes of the database rows;
``records()`` gives the records back, which is how the app loads the bundled
file into the database.
"""

# Long module: the directory's matching rules (aliases, renames, groups, districts) are one algorithm and
# are tested as one (tests/departments/test_directory.py).
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED_UNITS_FILE = Path(__file__).resolve().parent / "data" / "units.yaml"

UNIT_KINDS = (
    "municipal_department",
    "district_government",
    "district_bureau",
    "street_town",
    "enterprise",
    "other",
)
GROUP_KIND = "group"


@dataclass(frozen=True, order=True)
class UnitKey:
    """A unit's identity: its canonical name within its district ("" = municipal)."""

    name: str
    district: str = ""


@dataclass(frozen=True)
class UnitRecord:
    """One unit (a row of departments.Unit that is not a group)."""

    name: str
    kind: str
    district: str = ""


@dataclass(frozen=True)
class AliasRecord:
    """Another name of a unit or group (a row of departments.UnitAlias).

    ``former`` marks a name the unit had before a rename (曾用名), on
    ``renamed_on`` when known.
    """

    name: str
    unit: str  # canonical name of the unit or group, in the same district
    district: str = ""
    former: bool = False
    renamed_on: dt.date | None = None


@dataclass(frozen=True)
class GroupRecord:
    """A name standing for several units (a departments.Unit of kind group and its members)."""

    name: str
    district: str = ""
    members: tuple[UnitKey, ...] = ()


@dataclass(frozen=True)
class ResolvedName:
    """What a unit name as written means.

    ``canonical`` lists the canonical names it stands for: one unit, the
    members of a group where they are known, or the group's own name where
    they are not; ``units`` gives the same with their districts. For an
    unknown name ``known`` is False and ``canonical`` holds the cleaned name.
    """

    written: str
    name: str  # the canonical name of the unit or group matched (the cleaned name if unknown)
    district: str  # the district of the match ("" for municipal or unknown)
    canonical: tuple[str, ...]
    units: tuple[UnitKey, ...]
    kind: str  # a UNIT_KINDS value, "group", or "" if unknown
    known: bool
    is_group: bool = False
    note: str = ""  # the bracketed part, e.g. 含北京经济技术开发区管委会
    renamed_from: str = ""  # the former name written, e.g. 区环保局
    renamed_on: dt.date | None = None
    outdated: bool = False  # the former name was written after the rename (on_date given)


# Brackets and spaces: NFKC folds full-width brackets to ASCII ones; 〔〕【】
# are also used around notes in extracted text.
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_TRAILING_NOTE = re.compile(r"^(?P<name>[^()]*)\((?P<note>.*)\)$")
_WHOLLY_BRACKETED = re.compile(r"^\((?P<name>[^()]*)\)$")
# Generic tails: 市住房城乡建设委等行业主管部门, 区环保局等各相关行业主管部门.
_GENERIC_TAIL = re.compile(r"(?<=.)等(?:各?相关|有关)?(?:行业主管)?(?:部门|单位)$")
_DASHES = re.compile(r"^[-—–_/\s]*$")


def clean_unit_name(written: str) -> tuple[str, str]:
    """The name without spaces, tags or generic tail, and its bracketed note.

    ``各区政府 （含北京经济技术开发区管委会）`` → (``各区政府``, ``含北京经济技术开发区管委会``).
    """
    text = unicodedata.normalize("NFKC", written or "").translate(_BRACKETS)
    text = _SPACES.sub("", _TAGS.sub("", text))
    if _DASHES.match(text):
        return "", ""
    note = ""
    wholly = _WHOLLY_BRACKETED.match(text)
    if wholly:
        text = wholly.group("name")
    else:
        trailing = _TRAILING_NOTE.match(text)
        if trailing and trailing.group("name"):
            text, note = trailing.group("name"), trailing.group("note")
    text = _GENERIC_TAIL.sub("", text)
    return text, note


@dataclass
class _Entry:
    """What one (district, name) key points at."""

    target: UnitKey
    is_group: bool
    former: bool = False
    renamed_on: dt.date | None = None


@dataclass
class UnitDirectory:
    """Units, their other names and groups, indexed for ``resolve``."""

    units: dict[UnitKey, UnitRecord] = field(default_factory=dict)
    groups: dict[UnitKey, GroupRecord] = field(default_factory=dict)
    aliases: list[AliasRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # records skipped by from_records(strict=False)
    _index: dict[tuple[str, str], _Entry] = field(default_factory=dict, repr=False)
    _district_prefixes: list[tuple[str, str]] = field(default_factory=list, repr=False)

    # -- building -------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        units: Iterable[UnitRecord],
        aliases: Iterable[AliasRecord] = (),
        groups: Iterable[GroupRecord] = (),
        *,
        strict: bool = True,
    ) -> UnitDirectory:
        """Build the directory from plain records.

        A name meaning two units in one district, an alias or member of a unit
        that is not there, or an unknown kind raises ValueError; with
        ``strict=False`` (rows the office edited) the offending record is
        skipped and described in ``problems`` instead, so an import still runs.
        """
        directory = cls()

        def problem(message: str) -> None:
            if strict:
                raise ValueError(message)
            directory.problems.append(message)

        for unit in units:
            key = UnitKey(unit.name, unit.district)
            if unit.kind not in UNIT_KINDS:
                problem(f"单位“{unit.name}”的类别“{unit.kind}”无效")
            elif directory._claim(key, _Entry(key, is_group=False), problem):
                directory.units[key] = unit
        for group in groups:
            key = UnitKey(group.name, group.district)
            if not directory._claim(key, _Entry(key, is_group=True), problem):
                continue
            members = []
            for member in group.members:
                if member in directory.units:
                    members.append(member)
                else:
                    problem(
                        f"统称“{group.name}”的成员“{member.name}”（{member.district or '市级'}）不在名录中"
                    )
            directory.groups[key] = GroupRecord(group.name, group.district, tuple(members))
        for alias in aliases:
            target = UnitKey(alias.unit, alias.district)
            if target not in directory.units and target not in directory.groups:
                problem(f"别称“{alias.name}”指向的单位“{alias.unit}”（{alias.district or '市级'}）不在名录中")
                continue
            entry = _Entry(target, target in directory.groups, alias.former, alias.renamed_on)
            if directory._claim(UnitKey(alias.name, alias.district), entry, problem):
                directory.aliases.append(alias)
        districts = {key.district for key in directory.units if key.district}
        # Longest first so 石景山区 is tried before a shorter prefix could match.
        directory._district_prefixes = sorted(
            ((district, district.removesuffix("区")) for district in districts), key=lambda p: -len(p[0])
        )
        return directory

    def _claim(self, key: UnitKey, entry: _Entry, problem) -> bool:
        """Index ``key`` → ``entry`` unless the name already means another unit."""
        existing = self._index.get((key.district, key.name))
        if existing is not None and existing.target != entry.target:
            problem(
                f"名称“{key.name}”（{key.district or '市级'}）同时指向“{existing.target.name}”和“{entry.target.name}”"
            )
            return False
        self._index[(key.district, key.name)] = entry
        return True

    @classmethod
    def from_yaml(cls, path: str | Path | None = None) -> UnitDirectory:
        """Build the directory from a units file in the bundled format (default: the bundled file)."""
        import yaml  # only needed here: the app builds the directory from the database

        with open(path or BUNDLED_UNITS_FILE, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        units, aliases, groups = _records_from_yaml_data(data)
        return cls.from_records(units, aliases, groups)

    def records(self) -> tuple[list[UnitRecord], list[AliasRecord], list[GroupRecord]]:
        """The directory as records, e.g. to load the bundled file into the database."""
        return list(self.units.values()), list(self.aliases), list(self.groups.values())

    # -- reading --------------------------------------------------------

    def kind_of(self, key: UnitKey) -> str:
        if key in self.units:
            return self.units[key].kind
        return GROUP_KIND if key in self.groups else ""

    def district_units(self, district: str, kind: str | None = None) -> list[UnitRecord]:
        return [u for u in self.units.values() if u.district == district and (kind is None or u.kind == kind)]

    def resolve(self, name: str, *, district: str = "", on_date: dt.date | None = None) -> ResolvedName:
        """What ``name`` (as written in a plan of ``district``, "" for municipal) means."""
        cleaned, note = clean_unit_name(name)
        found = self._lookup(cleaned, district)
        if found is None:
            return ResolvedName(
                written=name,
                name=cleaned,
                district="",
                canonical=(cleaned,) if cleaned else (),
                units=(UnitKey(cleaned, ""),) if cleaned else (),
                kind="",
                known=False,
                note=note,
            )
        written_as, entry = found
        target = entry.target
        if entry.is_group:
            members = self.groups[target].members
            units: tuple[UnitKey, ...] = members or (target,)
            kind = GROUP_KIND
        else:
            units = (target,)
            kind = self.units[target].kind
        units = self._add_included(units, note, district)
        renamed_from = written_as if entry.former else ""
        return ResolvedName(
            written=name,
            name=target.name,
            district=target.district,
            canonical=tuple(unit.name for unit in units),
            units=units,
            kind=kind,
            known=True,
            is_group=entry.is_group,
            note=note,
            renamed_from=renamed_from,
            renamed_on=entry.renamed_on if entry.former else None,
            outdated=bool(
                entry.former
                and on_date is not None
                and entry.renamed_on is not None
                and on_date >= entry.renamed_on
            ),
        )

    def _add_included(self, units: tuple[UnitKey, ...], note: str, district: str) -> tuple[UnitKey, ...]:
        """各区政府(含北京经济技术开发区管委会): the unit the note includes is carried too."""
        if not note.startswith("含"):
            return units
        included = self._lookup(clean_unit_name(note[1:])[0], district)
        if included is None or included[1].is_group or included[1].target in units:
            return units
        return (*units, included[1].target)

    def _lookup(self, cleaned: str, district: str) -> tuple[str, _Entry] | None:
        """The entry a cleaned name points to, and the exact form that matched."""
        if not cleaned:
            return None
        for scope, candidate in self._candidates(cleaned, district):
            entry = self._index.get((scope, candidate))
            if entry is not None:
                return candidate, entry
        return None

    def _candidates(self, cleaned: str, district: str) -> Iterator[tuple[str, str]]:
        """(district, name) keys to try, most literal first; the plan's own district before municipal."""
        if district:
            yield district, cleaned
            for full, short in self._district_prefixes:
                if full == district:
                    for prefix in (full, short):
                        if cleaned.startswith(prefix) and len(cleaned) > len(prefix):
                            rest = cleaned[len(prefix) :]
                            yield district, "区" + rest if not rest.startswith("区") else rest
                            yield district, rest
            # 城管执法局 → 区城管执法局; 市场监管局 is a district bureau too (市场, not 市).
            municipal_looking = cleaned.startswith("市") and not cleaned.startswith("市场")
            if not cleaned.startswith(("区", "北京")) and not municipal_looking:
                yield district, "区" + cleaned
        yield "", cleaned
        if cleaned.startswith("北京市"):
            yield "", "市" + cleaned[3:]
            yield "", cleaned[3:]
        elif cleaned.startswith("北京"):
            yield "", cleaned[2:]
        # A unit of another district named in full: 房山区政府, 西城区生态环境局.
        for full, short in self._district_prefixes:
            for prefix in (full, short):
                if cleaned.startswith(prefix) and len(cleaned) > len(prefix):
                    rest = cleaned[len(prefix) :]
                    yield full, cleaned
                    yield full, "区" + rest if not rest.startswith("区") else rest
                    break


def _unit_records(data: dict) -> tuple[list[UnitRecord], list[AliasRecord]]:
    """The units of the bundled file (municipal, each district's government and bureaus) and their aliases."""
    units: list[UnitRecord] = []
    aliases: list[AliasRecord] = []

    def add_unit(entry: str | dict, kind: str, district: str) -> None:
        spec = {"name": entry} if isinstance(entry, str) else dict(entry)
        name = spec["name"]
        units.append(UnitRecord(name=name, kind=spec.get("kind", kind), district=district))
        for alias in spec.get("aliases") or ():
            aliases.append(AliasRecord(name=alias, unit=name, district=district))
        for former in spec.get("former") or ():
            aliases.append(_former_record(former, name, district))
        if kind == "street_town":
            for alias in _street_town_forms(name):
                aliases.append(AliasRecord(name=alias, unit=name, district=district))

    for entry in (data.get("municipal") or {}).get("units") or ():
        add_unit(entry, entry["kind"], "")
    for district, spec in (data.get("districts") or {}).items():
        spec = spec or {}
        government = spec.get("government") or f"{district}政府"
        units.append(UnitRecord(name=government, kind="district_government", district=district))
        for alias in dict.fromkeys([f"{district}人民政府", "区政府", "区人民政府"]):
            if alias != government:
                aliases.append(AliasRecord(name=alias, unit=government, district=district))
        for kind, entries in (spec.get("units") or {}).items():
            for entry in entries or ():
                add_unit(entry, kind, district)
    return units, aliases


def _district_defaults(
    district: str, spec: dict, defaults: dict, units: list[UnitRecord]
) -> tuple[list[AliasRecord], list[GroupRecord]]:
    """A district's share of ``district_defaults``: the usual aliases and former names of the units it has,
    and its groups (各街乡镇 …) with its streets and towns as members."""
    aliases: list[AliasRecord] = []
    groups: list[GroupRecord] = []
    present = {u.name for u in units if u.district == district}
    default_aliases = {**(defaults.get("aliases") or {}), **(spec.get("aliases") or {})}
    for canonical, names in default_aliases.items():
        if canonical in present:
            aliases.extend(
                AliasRecord(name=a, unit=canonical, district=district) for a in names if a not in present
            )
    for former in [*(defaults.get("former") or ()), *(spec.get("former") or ())]:
        if former["unit"] in present and former["name"] not in present:
            aliases.append(_former_record(former, former["unit"], district))
    if not spec.get("units"):
        return aliases, groups  # only the government is known: no street groups to expand
    street_towns = tuple(
        UnitKey(u.name, district) for u in units if u.district == district and u.kind == "street_town"
    )
    for group in [*(defaults.get("groups") or ()), *(spec.get("groups") or ())]:
        members = street_towns if group.get("members_kind") == "street_town" else ()
        groups.append(GroupRecord(name=group["name"], district=district, members=members))
        aliases.extend(
            AliasRecord(name=a, unit=group["name"], district=district) for a in group.get("aliases") or ()
        )
    return aliases, groups


def _records_from_yaml_data(data: dict) -> tuple[list[UnitRecord], list[AliasRecord], list[GroupRecord]]:
    """Expand the bundled file's compact format (see its header) into plain records."""
    units, aliases = _unit_records(data)
    groups: list[GroupRecord] = []
    municipal = data.get("municipal") or {}
    government_keys = {UnitKey(u.name, u.district) for u in units if u.kind == "district_government"}
    by_name_any_district = {}
    for key in government_keys:
        by_name_any_district.setdefault(key.name, key)
    for group in municipal.get("groups") or ():
        members = tuple(_member_key(name, by_name_any_district) for name in group.get("members") or ())
        groups.append(GroupRecord(name=group["name"], district="", members=members))
        aliases.extend(AliasRecord(name=a, unit=group["name"]) for a in group.get("aliases") or ())

    defaults = data.get("district_defaults") or {}
    municipal_group_names = {g.name for g in groups}
    for district, spec in (data.get("districts") or {}).items():
        district_aliases, district_groups = _district_defaults(district, spec or {}, defaults, units)
        aliases.extend(district_aliases)
        groups.extend(district_groups)
    # The district-level group names also occur in municipal plans, where
    # their members cannot be known: keep them as names.
    for group in defaults.get("groups") or ():
        if group["name"] not in municipal_group_names:
            groups.append(GroupRecord(name=group["name"], district=""))
            aliases.extend(AliasRecord(name=a, unit=group["name"]) for a in group.get("aliases") or ())
    return units, aliases, groups


def _member_key(name: str, governments: dict[str, UnitKey]) -> UnitKey:
    if name in governments:
        return governments[name]
    return UnitKey(name, "")


def _former_record(spec: dict | str, unit: str, district: str) -> AliasRecord:
    if isinstance(spec, str):
        return AliasRecord(name=spec, unit=unit, district=district, former=True)
    renamed_on = spec.get("renamed_on")
    if isinstance(renamed_on, str):
        renamed_on = dt.date.fromisoformat(renamed_on)
    return AliasRecord(name=spec["name"], unit=unit, district=district, former=True, renamed_on=renamed_on)


def _street_town_forms(name: str) -> list[str]:
    """The usual longer ways of writing a street or town: 大峪街道办事处, 永定镇政府 …"""
    if name.endswith("街道"):
        return [name + "办事处", name + "办"]
    if name.endswith("地区"):
        return [name + "办事处"]
    if name.endswith(("镇", "乡")):
        return [name + "政府", name + "人民政府"]
    return []
