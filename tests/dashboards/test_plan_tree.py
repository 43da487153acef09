"""By plan and chapter: the tree, its filters and search, swapped in place by HTMX."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def shown(html):
    return {int(pk) for pk in re.findall(r'<tr data-measure="(\d+)"', html)}


def test_tree_shows_every_measure_under_its_plan_and_chapter(client, office_admin, known_world):
    w = known_world
    client.force_login(office_admin)
    html = client.get(reverse("dashboards:plans")).content.decode()
    assert shown(html) == {w[k].pk for k in ("done", "overdue", "soon", "later", "ongoing")}
    assert html.index("一、调整结构") < html.index("二、治理扬尘")
    assert 'data-chart="chart-heatmap"' in html and 'data-chart="chart-plan-chapters"' in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "扬尘"}, {"overdue"}),
        ({"status": "in_progress"}, {"overdue", "soon"}),
        ({"light": "red"}, {"overdue"}),
        ({"light": "yellow"}, {"soon", "later"}),
        ({"role": "assisting"}, {"overdue"}),
        ({"unit": "traffic", "role": "lead"}, {"later", "ongoing"}),
        ({"unit": "ecology"}, {"done", "overdue", "soon", "later"}),
        ({"district": "丰台区"}, {"done", "overdue", "soon", "later", "ongoing"}),
        ({"district": "朝阳区"}, set()),
    ],
)
def test_filters_narrow_the_tree(client, viewer, known_world, params, expected):
    w = known_world
    client.force_login(viewer)
    params = {k: (w[v].pk if k == "unit" else v) for k, v in params.items()}
    html = client.get(reverse("dashboards:plans"), params).content.decode()
    assert shown(html) == {w[k].pk for k in expected}


def test_year_filter_uses_the_deadline_year(client, viewer, known_world):
    w = known_world
    client.force_login(viewer)
    html = client.get(reverse("dashboards:plans"), {"year": w["later"].due_date.year}).content.decode()
    assert w["later"].pk in shown(html) and w["ongoing"].pk not in shown(html)


def test_htmx_request_gets_only_the_results(client, viewer, known_world):
    client.force_login(viewer)
    partial = client.get(reverse("dashboards:plans"), {"q": "公交"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and shown(partial) == {known_world["later"].pk}


def test_bad_filter_input_is_explained_not_a_crash(client, viewer, known_world):
    client.force_login(viewer)
    response = client.get(reverse("dashboards:plans"), {"year": "abc", "plan": "99999999999999999999999"})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()


def test_a_page_of_measures_is_the_slice_of_the_whole_tree_with_its_lights(scaled_world):
    """dashboards.measure_page picks the page on ids alone, then loads and lights only its measures."""
    from reports import dashboards
    from tasks.models import Measure

    today = scaled_world["summary"].as_of
    measures = Measure.objects.in_force()
    whole = dashboards.attach_lights(
        dashboards.with_lights(dashboards.measure_rows(dashboards.tree_order(measures)), today=today)
    )
    for number in (1, 2, 3):
        page = dashboards.measure_page(measures, today=today, page=number, per_page=7)
        expected = whole[(number - 1) * 7 : number * 7]
        got = dashboards.attach_lights(page.object_list)
        assert [(m.pk, m.light) for m in got] == [(m.pk, m.light) for m in expected]
        assert page.paginator.count == len(whole)


def _varied_tree(seed: int = 5):
    """Plans sharing years and titles, chapters made out of number order, tasks numbered across chapters, some
    chapters empty, one to four measures a task in varied states."""
    import random

    from tasks.models import Measure
    from tests.factories import ChapterFactory, MeasureFactory, PlanFactory, TaskFactory

    rng = random.Random(seed)
    for title, year in [
        ("乙计划", 2025),
        ("甲计划", 2025),
        ("Alpha", 2025),
        ("丙计划", 2024),
        ("甲计划", 2025),
    ]:
        plan = PlanFactory(title=title, year_start=year, year_end=year + 1)
        task_numbers = iter(rng.sample(range(1, 100), 99))
        for number in rng.sample(range(1, 9), 4):
            chapter = ChapterFactory(plan=plan, number=number)
            for _ in range(rng.randint(0, 3)):
                task = TaskFactory(plan=plan, chapter=chapter, number=next(task_numbers))
                for sequence in rng.sample(range(1, 9), rng.randint(1, 4)):
                    MeasureFactory(task=task, sequence=sequence, status=rng.choice(Measure.Status.values))


@pytest.mark.parametrize("per_page", [1, 3, 7, 50])
def test_every_page_of_the_tree_is_the_slice_of_every_measure_sorted(db, per_page):
    """ChapterPages (counted by chapter, sorted within the chapters a page spans) gives each page and
    the count that sorting every measure and slicing gave, whether a page ends inside a chapter or spans plans."""
    from django.core.paginator import Paginator

    from reports.dashboards.tree import TREE_CHAPTERS, tree_order
    from tasks.chapter_pages import ChapterPages
    from tasks.models import Measure

    _varied_tree()
    for measures in (Measure.objects.all(), Measure.objects.filter(status=Measure.Status.IN_PROGRESS)):
        ids = tree_order(measures).values_list("pk", flat=True)
        before, after = Paginator(ids, per_page), Paginator(ChapterPages(ids, TREE_CHAPTERS), per_page)
        assert after.count == before.count > 0 and after.num_pages == before.num_pages
        for number in before.page_range:
            assert list(after.page(number).object_list) == list(before.page(number).object_list)
    nothing = ChapterPages(Measure.objects.none().values_list("pk", flat=True), TREE_CHAPTERS)
    assert Paginator(nothing, per_page).get_page(1).object_list.count() == 0
