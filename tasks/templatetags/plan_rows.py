"""The plan page's unit tags written in Python, at a long table's pace.

A city's chapter shows hundreds of measures with two or three unit tags each; written by the template, a tag
was a loop turn, three conditions and three translations, and the tags half of the table's time (format_html
too costs tens of microseconds a tag: each text is escaped once, here). The HTML is the template's
(tests/workflow/test_plan_page.py)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def unit_tags(tags) -> SafeString:
    """A measure's ``unit_tags`` (tasks.selectors.UnitTag) as tags: 牵头：区生态环境局, 协办：各街乡镇（21个单位）;
    an inferred unit marked for review, a renamed one with the document's wording as its title."""
    if not tags:
        return mark_safe(f'<span class="tag unknown">{escape(gettext("待指定"))}</span>')
    parts = []
    for tag in tags:
        if not tag.confirmed:
            attributes = f' class="tag review" title="{escape(gettext("推断，待大气办确认"))}"'
        elif tag.written_as != tag.label:
            attributes = f' class="tag" title="{escape(gettext("原文"))}：{escape(tag.written_as)}"'
        else:
            attributes = ' class="tag"'
        units = f"（{tag.count}{escape(gettext('个单位'))}）" if tag.count > 1 else ""
        parts.append(f"<span{attributes}>{escape(tag.role)}：{escape(tag.label)}{units}</span>")
    return mark_safe("".join(parts))
