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
