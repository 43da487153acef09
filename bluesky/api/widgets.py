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
from django.utils.safestring import SafeData, mark_safe


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


def _escaped(text) -> str:
    """As the template's autoescape: safe strings as they are, anything else as text with &<>"' escaped."""
    return text if isinstance(text, SafeData) else html.escape(str(text))


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        # Django's optgroups() builds a dict of a dozen keys per option before any is written: the choices are
        # walked here once instead, with its rules (None as "", groups, the first match only selected).
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values, has_selected, parts = set(self.format_value(value)), False, []
        for option_value, label in self.choices:
            group = isinstance(label, (list, tuple))
            options = []
            for sub_value, sub_label in (
                label if group else [("" if option_value is None else option_value, label)]
            ):
                selected = (not has_selected or self.allow_multiple_selected) and str(sub_value) in values
                has_selected |= selected
                options.append(
                    f'<option value="{_escaped(sub_value)}"{" selected" if selected else ""}>{_escaped(sub_label)}</option>'
                )
            rendered = "".join(options)
            parts.append(
                f'<optgroup label="{_escaped(option_value)}">{rendered}</optgroup>' if group else rendered
            )
        return format_html('<select name="{}"{}>{}</select>', name, _attrs(attrs), mark_safe("".join(parts)))
