"""Which directory units a name the directory did not know probably means.

A plan writes 区城管委 where the directory says 区城市管理委, 丰台区交通支队 where it
says 区交通支队 (in 丰台区), or a typo. The office maps such names in the preview
and in the editor's picker; offering "create a new unit" first would fill the
directory with near-duplicates, so the closest unit in the plan's district is
the default wherever one is close enough. The district and city names a written name may
start with come from the Jurisdiction table (the divisions the loaded units belong to), so a
city other than Beijing matches the same way.

Scores (0–1): an alias equal to the name is 1.0; otherwise the best edit
similarity (difflib's ratio) of the name, with the district prefix removed,
against the unit's name and aliases; a unit of the plan's own district gets a
small bonus so it wins a tie with another district's namesake.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from departments.directory import clean_unit_name
from departments.models import Jurisdiction, Unit, UnitAlias

# At or above this, a suggestion is "close": the mapping defaults to it.
CLOSE_MATCH = 0.6
# Below this a unit is not worth showing at all.
SHOWN_MATCH = 0.4
_OWN_DISTRICT_BONUS = 0.05


@dataclass(frozen=True)
class PlaceNames:
    """The place names a written unit name may start with: those of the directory's jurisdictions."""

    districts: tuple[str, ...]  # 丰台区, 长安区 …: a district prefix is dropped (丰台区交通支队 → 区交通支队)
    cities: tuple[str, ...]  # 北京市, 石家庄市 …: a city prefix becomes 市 (北京市生态环境局 → 市生态环境局)


def place_names() -> PlaceNames:
    """From the Jurisdiction table (one query): the districts and cities the loaded units belong to."""
    districts, cities = set(), set()
    for level, name, parent_name, parent_level in (
        Jurisdiction.objects.filter(units__isnull=False)
        .distinct()
        .values_list("level", "name", "parent__name", "parent__level")
    ):
        if level == Jurisdiction.Level.DISTRICT:
            districts.add(name)
            if parent_name:
                cities.add(parent_name)
        elif level in (Jurisdiction.Level.PROVINCE, Jurisdiction.Level.CITY):
            cities.add(name)
        elif level == Jurisdiction.Level.STREET and parent_level == Jurisdiction.Level.DISTRICT:
            districts.add(parent_name)
    # Longest first so 石景山区 is tried before a shorter name could match.
    return PlaceNames(
        tuple(sorted(districts, key=len, reverse=True)), tuple(sorted(cities, key=len, reverse=True))
    )


@dataclass(frozen=True)
class UnitSuggestion:
    unit: Unit
    score: float
    matched: str  # the unit name or alias the written name is closest to

    @property
    def close(self) -> bool:
        return self.score >= CLOSE_MATCH

    @property
    def label(self) -> str:
        return f"{self.unit.district}{self.unit.name}" if self.unit.district else self.unit.name


def _forms(name: str, district: str, places: PlaceNames) -> set[str]:
    """The written name as the directory would spell it: cleaned, and without its district prefix."""
    cleaned = clean_unit_name(name)[0] or name.strip()
    forms = {cleaned}
    for prefix in (district, *places.districts) if district else places.districts:
        for written_prefix in (prefix, prefix.removesuffix("区")):
            if written_prefix and cleaned.startswith(written_prefix) and len(cleaned) > len(written_prefix):
                rest = cleaned[len(written_prefix) :]
                forms.update({rest, rest if rest.startswith("区") else "区" + rest})
    for city in places.cities:
        if cleaned.startswith(city) and len(cleaned) > len(city):
            forms.update({cleaned[len(city) :], "市" + cleaned[len(city) :]})
            break
    return forms


def _candidates(district: str):
    """(unit, names it goes by) for the active units a plan of ``district`` may name."""
    units = Unit.objects.active().exclude(kind=Unit.Kind.GROUP)
    if district:
        units = units.filter(district__in=[district, ""])
    names: dict[int, set[str]] = {}
    by_id = {}
    for unit in units:
        by_id[unit.pk] = unit
        names[unit.pk] = {unit.name}
    for unit_id, alias in UnitAlias.objects.filter(unit_id__in=by_id).values_list("unit_id", "name"):
        names[unit_id].add(alias)
    return [(by_id[pk], forms) for pk, forms in names.items()]


def suggest_units(name: str, *, district: str = "", limit: int = 5) -> list[UnitSuggestion]:
    """The directory's closest matches for ``name`` (best first), units of ``district`` preferred."""
    return _rank(name, district, _candidates(district), limit, place_names())


def _rank(name: str, district: str, candidates, limit: int, places: PlaceNames) -> list[UnitSuggestion]:
    forms = _forms(name, district, places)
    suggestions = []
    for unit, unit_names in candidates:
        best, matched = 0.0, unit.name
        for unit_name in unit_names:
            for form in forms:
                score = 1.0 if form == unit_name else SequenceMatcher(None, form, unit_name).ratio()
                if score > best:
                    best, matched = score, unit_name
        if district and unit.district == district and best < 1.0:
            best = min(best + _OWN_DISTRICT_BONUS, 0.99)
        if best >= SHOWN_MATCH:
            suggestions.append(UnitSuggestion(unit, round(best, 3), matched))
    suggestions.sort(key=lambda s: (-s.score, s.unit.district != district, s.unit.name))
    return suggestions[:limit]


def suggestions_for(names, *, district: str = "", limit: int = 5) -> dict[str, list[UnitSuggestion]]:
    """``suggest_units`` for many names at once: the directory is read once (three queries)."""
    candidates, places = _candidates(district), place_names()
    return {name: _rank(name, district, candidates, limit, places) for name in names}


def default_decision(suggestions: list[UnitSuggestion]) -> dict:
    """The preview's default for an unknown name: map to the closest match if close, else create."""
    if suggestions and suggestions[0].close:
        return {"action": "map", "unit_id": suggestions[0].unit.pk}
    return {"action": "create", "unit_id": None}
