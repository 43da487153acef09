"""A report's lines show each measure as the page always did: its link, its text cut at 80 characters, its
status's label and the unit's latest note — worked out once per page, not per line."""

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from bluesky.links import link_maker
from reports.models import MonthlyReport
from reports.selectors import LINES_PER_PAGE, report_lines
from tasks.models import Measure
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_link_maker_gives_what_reverse_gives():
    link = link_maker("measure_detail")
    for pk in (1, 7, 42, 987_654, 2**40):
        assert link(pk) == reverse("measure_detail", args=[pk])


@pytest.mark.parametrize("length", [1, 79, 80, 81, 300])
def test_a_lines_short_text_is_what_truncatechars_80_shows(length):
    unit = UnitFactory()
    measure = MeasureFactory(text="治" * (length - 1) + "理", status="delayed", percent=40)
    AssignmentFactory(measure=measure, unit=unit)
    [line] = report_lines(MonthlyReport(unit=unit)).object_list
    assert line.short_text == truncatechars(measure.text, 80)
    assert line.url == reverse("measure_detail", args=[measure.pk])
    assert (line.status_label, line.percent) == (measure.get_status_display(), 40)


def _busy_unit_report(client, world, extra: int) -> str:
    """unit_a given ``extra`` more measures than a page holds; signed in as its staff: its September report's URL."""
    for sequence in range(101, 101 + LINES_PER_PAGE + extra):
        AssignmentFactory(
            measure=MeasureFactory(task=world.measure_a.task, sequence=sequence), unit=world.unit_a
        )
    client.force_login(world.staff_a)
    return reverse("reports:detail", args=[world.unit_a.pk, 2025, 9])


def test_a_busy_units_report_shows_its_measures_a_hundred_at_a_time(client, world):
    """Every measure is on some page, in plan order, each once; the heading counts them all."""
    url = _busy_unit_report(client, world, extra=20)
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(first.context["lines"]) == LINES_PER_PAGE and len(second.context["lines"]) == 21
    codes = [line.code for line in [*first.context["lines"], *second.context["lines"]]]
    expected = list(
        Measure.objects.filter(assignments__unit=world.unit_a)
        .order_by("task__plan_id", "task__number", "sequence")
        .values_list("code", flat=True)
    )
    assert codes == expected
    assert f"（{LINES_PER_PAGE + 21}）" in first.content.decode()
    assert "?page=2" in first.content.decode()


def test_the_whole_report_can_be_shown_on_one_page_to_print_it(client, world):
    url = _busy_unit_report(client, world, extra=5)
    paged = client.get(url).content.decode()
    assert 'href="?lines=all"' in paged
    whole = client.get(url, {"lines": "all"})
    count = Measure.objects.filter(assignments__unit=world.unit_a).count()
    assert len(whole.context["lines"]) == count > LINES_PER_PAGE
    body = whole.content.decode()
    assert "?page=2" not in body and 'data-lines="paged"' in body
