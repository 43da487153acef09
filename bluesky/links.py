"""Links for the rows of a long list at the cost of one ``reverse()``.

A page listing a busy unit's thousands of measures spent more time in ``{% url %}`` (tens of microseconds a
call: the resolver matches the arguments against the pattern each time) than in its queries. The route is
reversed once with a stand-in number, and each row's link is that URL with the row's id in its place.
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_STAND_IN = 987_654_321_987  # never a real id on these pages: found exactly once in the reversed URL


def link_maker(viewname: str) -> Callable[[int], str]:
    """``link(pk)`` == ``reverse(viewname, args=[pk])`` for a route that takes one integer."""
    head, tail = reverse(viewname, args=[_STAND_IN]).split(str(_STAND_IN))
    return lambda pk: f"{head}{pk}{tail}"


_link_makers: dict[tuple, Callable[[int], str]] = {}


def row_link(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a template's long list (``{{ pk|link_to:viewname }}``), with one
    ``link_maker`` kept per route and what reverse() reads besides: the URLconf and the script prefix."""
    key = (viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    link = _link_makers.get(key)
    if link is None:
        link = _link_makers[key] = link_maker(viewname)
    return link(pk)
