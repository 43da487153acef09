"""A <select> that writes its options in Python, for the dashboards' filter forms.

Django's Select renders every <option> through its own template, about a tenth
of a millisecond each; the measure filter offers every unit carrying measures
(hundreds), which made the form the slowest part of the plan dashboard. The
HTML is the same as Django's (names, ids, attributes, selected options).
"""

from __future__ import annotations

import html

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        # Select.get_context and optgroups, without a dict of attributes and a format_html per option.
        chosen, selected, many = set(self.format_value(value)), False, self.allow_multiple_selected
        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                options = []
                for option_value, label in group_label:
                    picked = (many or not selected) and str(option_value) in chosen
                    selected |= picked
                    options.append(_option(option_value, label, picked))
                parts.append(f'<optgroup label="{_escaped(group_value)}">{"".join(options)}</optgroup>')
            else:
                option_value = "" if group_value is None else group_value
                picked = (many or not selected) and str(option_value) in chosen
                selected |= picked
                parts.append(_option(option_value, group_label, picked))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs({**self.build_attrs(self.attrs, attrs), **({"multiple": True} if many else {})}),
            mark_safe("".join(parts)),
        )


def _option(value, label, selected: bool) -> str:
    return f'<option value="{_escaped(value)}"{" selected" if selected else ""}>{_escaped(label)}</option>'


def _escaped(text) -> str:
    """conditional_escape at a long list's pace: Django's escape is html.escape behind a lazy-text wrapper."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
