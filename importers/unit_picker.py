"""Finding a unit by typing: the preview editor's and the measure page's picker (reads only).

The directory holds hundreds of units; a dropdown of all of them is unusable on
a phone and slow to render. The picker asks for what was typed and gets at most
``LIMIT`` active units whose name or alias contains it, the plan's district first.
"""

from __future__ import annotations

import difflib

from django.db.models import Case, IntegerField, Q, Value, When

from departments.models import Unit

LIMIT = 20


def search_units(query: str, *, district: str = "", limit: int = LIMIT) -> list[Unit]:
    """Active units matching ``query`` by name or alias (two queries at most), at most ``limit``."""
    query = (query or "").strip()
    if not query:
        return []
    matches = Unit.objects.active().filter(Q(name__icontains=query) | Q(aliases__name__icontains=query))
    ids = list(matches.values_list("pk", flat=True).distinct()[: limit * 5])
    return list(
        Unit.objects.filter(pk__in=ids)
        .annotate(
            home=Case(When(district=district, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("home", "name")[:limit]
    )


def suggestions(names: list[str], *, district: str = "", limit: int = 3) -> dict[str, list[Unit]]:
    """The directory's closest units to each unknown name, best first: trust-identity's matcher when it is there."""
    try:
        from .unit_matching import suggestions_for
    except ImportError:  # the fallback: close spellings among the district's and the city's units
        units = {u.name: u for u in Unit.objects.active().filter(Q(district=district) | Q(district=""))}
        return {
            name: [units[n] for n in difflib.get_close_matches(name, list(units), n=limit, cutoff=0.4)]
            for name in names
        }
    found = suggestions_for(names, district=district, limit=limit)
    return {name: [getattr(item, "unit", item) for item in found.get(name, [])][:limit] for name in names}
