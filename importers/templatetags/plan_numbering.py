"""Template filters that number a parsed plan the way the document does (一、二、… for chapters)."""

from django import template

from tasks.numerals import chinese_numeral

register = template.Library()


@register.filter
def chapter_numeral(number):
    """3 → 三: the parser keeps a chapter's number as an integer, the plan writes it in Chinese."""
    try:
        return chinese_numeral(int(number))
    except (TypeError, ValueError):
        return number
