"""The dashboards' filter selects write the same HTML as Django's Select, only faster."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from bluesky.api.widgets import QuickSelect

CHOICES = [("", "---------"), ("a", "甲<b>&"), ("b", "乙"), ("组", [("c", "丙"), ("d", "丁")])]


def normalised(html):
    return re.sub(r"\s+", "", html)


@pytest.mark.parametrize("value", [None, "", "b", "c"])
def test_same_html_as_django_select(value):
    attrs = {"id": "id_unit", "class": "wide", "required": True}
    expected = forms.Select(choices=CHOICES).render("unit", value, attrs=attrs)
    assert normalised(QuickSelect(choices=CHOICES).render("unit", value, attrs=attrs)) == normalised(expected)
    assert "&lt;b&gt;&amp;" in expected


class QuickSelectMultiple(QuickSelect):
    allow_multiple_selected = True


@pytest.mark.parametrize("value", [None, ["a", "c"], ["b", "b", "d"]])
def test_same_html_as_django_select_multiple(value):
    expected = forms.SelectMultiple(choices=CHOICES).render("units", value, attrs={"id": "id_units"})
    got = QuickSelectMultiple(choices=CHOICES).render("units", value, attrs={"id": "id_units"})
    assert normalised(got) == normalised(expected)


@pytest.mark.django_db
def test_same_html_as_django_select_for_a_choice_of_units():
    """Model choices (values that wrap the unit, labels that are its name and district) and a duplicate value:
    only the first match is selected, as Django's Select does."""
    from departments.models import Unit
    from tests.factories import UnitFactory

    units = [UnitFactory(name=name, district="丰台区") for name in ("区<城管>委", "区交通委", "丰台区发改委")]
    field = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), empty_label="全部单位")
    for value in (None, "", units[1].pk, str(units[2].pk)):
        expected = forms.Select(choices=field.choices).render("unit", value, attrs={"id": "id_unit"})
        got = QuickSelect(choices=field.choices).render("unit", value, attrs={"id": "id_unit"})
        assert normalised(got) == normalised(expected)
    duplicated = [("1", "一"), ("1", "又一")]
    assert normalised(QuickSelect(choices=duplicated).render("n", "1")) == normalised(
        forms.Select(choices=duplicated).render("n", "1")
    )


@pytest.mark.parametrize("value", [None, "", "1", 2, "9"])
def test_same_html_as_django_select_for_ids_lazy_labels_and_duplicates(value):
    """Ids as numbers, a lazy translated label, a safe label, a value offered twice (only the first selected)."""
    choices = [
        ("", gettext_lazy("全部单位")),
        (1, mark_safe("<i>甲</i>")),
        (2, "a\"b'c"),
        (2, "乙又"),
        (None, "无"),
    ]
    expected = forms.Select(choices=choices).render("unit", value)
    assert normalised(QuickSelect(choices=choices).render("unit", value)) == normalised(expected)
