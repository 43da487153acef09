"""A long list's row links (bluesky/links.py row_link, the dashboards' ``link_to`` filter) say what reverse() and
``{% url %}`` say, under any script prefix."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

from bluesky.links import row_link
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory

# The dashboards' unit cell as it was written with {% url %} (and get_role_display) before link_to.
PREVIOUS_UNITS_CELL = """{% for a in measure.assignments.all %}<span class="tag">{{ a.get_role_display }}：<a
    href="{% url 'dashboards:unit_detail' a.unit_id %}">{{ a.unit.name }}</a></span>{% endfor %}"""


@pytest.mark.parametrize("prefix", ["/", "/bluesky/"])
def test_a_row_link_is_what_reverse_gives_under_each_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        for viewname in ("dashboards:unit_detail", "measure_detail", "plan_detail"):
            for pk in (1, 42, 987_654):
                assert row_link(viewname, pk) == reverse(viewname, args=[pk])
                assert row_link(viewname, pk).startswith(prefix)
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
def test_the_units_cell_is_what_it_was_with_url_tags():
    measure = MeasureFactory()
    for role, name in (("lead", "区生态环境局"), ("responsible", "区<城管>委"), ("assisting", "区交通委")):
        AssignmentFactory(measure=measure, unit=UnitFactory(name=name), role=role)
    context = {"measure": measure}
    engine = engines["django"]
    now = engine.get_template("dashboards/_units_cell.html").render(context)
    assert now == engine.from_string(PREVIOUS_UNITS_CELL + "\n").render(context)  # the file ends in a newline
    assert now.count("<a") == 3 and "区&lt;城管&gt;委" in now
