"""Template filters for the dashboards: rates as percentages, a long list's row links."""

from django import template

from bluesky.links import row_link

register = template.Library()


@register.filter
def percent(rate, digits: int = 1):
    """0.8734 → "87.3%"; None → "—" (no figure yet, e.g. no report due)."""
    if rate is None or rate == "":
        return "—"
    return f"{rate * 100:.{int(digits)}f}%"


@register.filter
def link_to(pk, viewname: str) -> str:
    """``{{ unit_id|link_to:"dashboards:unit_detail" }}`` says what ``{% url "dashboards:unit_detail" unit_id %}``
    does, without matching the route's pattern again for each row (bluesky/links.py)."""
    return row_link(viewname, pk)
