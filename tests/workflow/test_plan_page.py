"""The plan page: every chapter listed, one chapter shown in full, groups of units as one tag."""

import pytest
from django.urls import reverse

from departments.models import Unit
from departments.services import load_unit_directory
from importers.services import import_file
from tasks.models import Chapter
from tests.conftest import sample_bytes
from tests.factories import AssignmentFactory, MeasureFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fengtai(client, viewer):
    load_unit_directory()
    client.force_login(viewer)
    return import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan


def test_chapters_are_listed_and_the_first_with_tasks_is_shown(client, fengtai):
    page = client.get(reverse("plan_detail", args=[fengtai.pk])).content.decode()
    assert "总体目标" in page  # the goals chapter is listed (it holds no task)
    assert "优化调整交通运输结构" in page and "1-1" in page
    # 各街乡镇 is shown as the one name the plan wrote, standing for 丰台区's 21 streets and towns.
    streets = Unit.objects.filter(district="丰台区", kind=Unit.Kind.STREET_TOWN).count()
    assert f"协办：各街乡镇（{streets}个单位）" in page
    # A renamed unit shows its current name; the document's wording stays at hand.
    assert 'title="原文：区商务委">牵头：区商务局</span>' in page


def test_each_measure_links_to_its_page(client, fengtai):
    response = client.get(reverse("plan_detail", args=[fengtai.pk]))
    measures = [m for task in response.context["tree"].chapter.task_list for m in task.measure_list]
    assert measures and all(m.url == reverse("measure_detail", args=[m.pk]) for m in measures)
    page = response.content.decode()
    assert all(f'<a href="{m.url}">{m.code}</a>' in page for m in measures)


def test_another_chapter_is_chosen_by_number(client, fengtai):
    last = Chapter.objects.filter(plan=fengtai).order_by("-number").first()
    task = last.tasks.order_by("number").first()
    page = client.get(reverse("plan_detail", args=[fengtai.pk]), {"chapter": last.number}).content.decode()
    assert task.title in page
    assert ">1-1</a>" not in page
    # A nonsense chapter falls back to the first chapter with tasks.
    page = client.get(reverse("plan_detail", args=[fengtai.pk]), {"chapter": "abc"}).content.decode()
    assert ">1-1</a>" in page


def _queries_for_plan_page(client, measures: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = TaskFactory()
    for _ in range(measures):
        AssignmentFactory(measure=MeasureFactory(task=task))
    client.get(reverse("plan_detail", args=[task.plan.pk]))  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("plan_detail", args=[task.plan.pk])).status_code == 200
    return len(captured.captured_queries)


def test_the_plan_page_runs_the_same_queries_however_many_measures(client, viewer):
    client.force_login(viewer)
    assert _queries_for_plan_page(client, 3) == _queries_for_plan_page(client, 40)


# How the plan page's template wrote a measure's unit tags before tasks/templatetags/plan_rows.py did.
PREVIOUS_UNIT_TAGS = """{% load i18n %}{% for tag in tags %}<span
              class="tag{% if not tag.confirmed %} review{% endif %}"{% if not tag.confirmed %}
                title="{% translate '推断，待大气办确认' %}"{% elif tag.written_as != tag.label %}
                title="{% translate '原文' %}：{{ tag.written_as }}"{% endif %}>{{ tag.role }}：{{ tag.label }}{% if tag.count > 1 %}（{{ tag.count }}{% translate "个单位" %}）{% endif %}</span>{% empty %}<span class="tag unknown">{% translate "待指定" %}</span>{% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_unit_tags_are_written_as_the_template_wrote_them(language):
    import re

    from django.template import engines
    from django.utils import translation

    from tasks.selectors import UnitTag
    from tasks.templatetags.plan_rows import unit_tags

    def spaced(html) -> str:
        return re.sub(r"\s+", " ", str(html))

    previous = engines["django"].from_string(PREVIOUS_UNIT_TAGS)
    cases = [
        [],
        [UnitTag("牵头", "区生态环境局", "区生态环境局", True, 1)],
        [UnitTag("牵头", "区商务局", "区商务委", True, 1), UnitTag("协办", "各街乡镇", "各街乡镇", True, 21)],
        [UnitTag("主责", "区<交通>委", '区"交通"&委', False, 2), UnitTag("协办", "A&B", "A&B", False, 1)],
    ]
    with translation.override(language):
        for tags in cases:
            assert spaced(unit_tags(tags)) == spaced(previous.render({"tags": tags}))


def test_each_chapter_shows_the_tasks_measures_and_units_a_prefetch_of_the_tree_gave(fengtai):
    """selectors.chapter_tasks (plain rows grouped in Python) against the nested prefetch it replaced."""
    from django.db.models import Prefetch

    from tasks import selectors
    from tasks.models import Assignment, Measure

    assignments = Assignment.objects.select_related("unit").order_by(selectors.ROLE_RANK, "id")
    measures = Measure.objects.order_by("sequence").prefetch_related(
        Prefetch("assignments", queryset=assignments)
    )
    every_seventh = list(Assignment.objects.order_by("pk").values_list("pk", flat=True))[::7]
    Assignment.objects.filter(pk__in=every_seventh).update(confirmed=False)
    labels, shown = selectors.role_labels(), 0
    for chapter in Chapter.objects.filter(plan=fengtai):
        before = [
            (
                task.pk,
                [
                    (
                        m.pk,
                        m.code,
                        selectors.unit_tags(
                            [(a.role, a.written_as, a.confirmed, a.unit.name) for a in m.assignments.all()],
                            labels,
                        ),
                    )
                    for m in task.measures.all()
                ],
            )
            for task in chapter.tasks.order_by("number").prefetch_related(
                Prefetch("measures", queryset=measures)
            )
        ]
        after = [
            (task.pk, [(m.pk, m.code, m.unit_tags) for m in task.measure_list])
            for task in selectors.chapter_tasks(chapter)
        ]
        assert after == before
        shown += sum(len(listed) for _, listed in after)
    assert shown == Measure.objects.filter(task__plan=fengtai).count() > 0
