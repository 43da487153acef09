"""Template filters for the dashboards: rates as percentages."""

from django import template

register = template.Library()


@register.filter
def percent(rate, digits: int = 1):
    """0.8734 → "87.3%"; None → "—" (no figure yet, e.g. no report due)."""
    if rate is None or rate == "":
        return "—"
    return f"{rate * 100:.{int(digits)}f}%"
