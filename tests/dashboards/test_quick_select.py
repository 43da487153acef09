"""The dashboards' filter selects write the same HTML as Django's Select, only faster."""

import re

import pytest
from django import forms

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
