""" "In the jurisdiction" has an SQL spelling (``within``) and one for a jurisdiction in hand (``contains``): they agree."""

from __future__ import annotations

import pytest

from departments.models import Jurisdiction

pytestmark = pytest.mark.django_db


def test_contains_agrees_with_within_for_every_pair(city):
    street = Jurisdiction.objects.create(
        code="110106001", name="右安门街道", level=Jurisdiction.Level.STREET, parent=city.a.jurisdiction
    )
    everyone = [city.beijing, city.a.jurisdiction, city.b.jurisdiction, street]
    for scope in everyone:
        below = set(Jurisdiction.objects.within(scope))
        assert {j for j in everyone if scope.contains(j)} == below & set(everyone), scope
    assert not city.a.jurisdiction.contains(None)
