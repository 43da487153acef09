"""承接: a district plan's measures linked to the municipal measures they carry out, proposed by text
similarity, confirmed by the office, and the districts' progress rolled up on the municipal measure.

The texts are real: the municipal measures from the Beijing 2021 plan, the district ones from Fengtai's
2018–2020 task breakdown (sample plans).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.urls import reverse

from tasks import carrying_out
from tasks.models import HistoryEntry, Measure, MeasureLink, Plan, in_force_q
from tasks.traffic_light import Light
from tests.factories import ChapterFactory, MeasureFactory, PlanFactory, TaskFactory, make_user

pytestmark = pytest.mark.django_db

GAS_STATIONS = (
    "促进成品油储运系统油气减排",
    "充分利用加油站油气回收在线监控系统,对在线监控系统报警、未稳定运行和数据不准确的加油站进行依法处理。",
)
FUEL_QUALITY = (
    "加强油品质量监督检查",
    "市场监管部门依法对生产、销售和使用环节中影响机动车和非道路移动机械排放大气污染物的油品、氮氧化物还原剂、"
    "车用油品清净剂等有关产品的质量开展监督检查。依法查处生产、销售以及运输企业和非道路移动机械使用单位使用"
    "不合格燃料违法行为。市公安局组织开展清除无证无照经营黑加油站、流动加油罐车专项整治行动。",
)
SITE_DUST = (
    "强化施工扬尘精细化管控",
    "市住房城乡建设委做好全市施工工地扬尘智能化视频监管平台日常管理运维,监控信息与各级行业主管部门及属地街道"
    "(乡镇)共享。相关行业主管部门组织做好本行业工地(场站)视频监控设备正确安装及日常维护,将数据信号及时接入平台。",
)
DISTRICT_FUEL = (
    "严格油品质量监管",
    "销售前在车用汽柴油中加入符合相关标准的燃油清净增效剂。质监、工商、环保等部门加强对油品制售企业的质量监督"
    "管理，严厉打击生产、销售、使用不合格油品和车用尿素行为，坚决取缔黑加油站点。",
)
DISTRICT_DUST = (
    "全面加强施工扬尘管控",
    "严格扬尘控制规范。区住房城乡建设委牵头组织落实新修订的绿色施工管理规程要求；组织轨道交通施工工地实现全密闭化"
    "作业，并安装高效布袋除尘设备。完善施工扬尘视频监控，工地视频监控设备接入平台。",
)
DISTRICT_UNRELATED = (
    "加强组织领导",
    "区政府主要领导每季度听取一次工作汇报，各街乡镇明确分管领导和工作人员。",
)


def _plan(texts, **fields) -> tuple[Plan, list[Measure]]:
    plan = PlanFactory(**fields)
    chapter = ChapterFactory(plan=plan, number=1)
    measures = []
    for number, (task_title, text) in enumerate(texts, start=1):
        task = TaskFactory(chapter=chapter, plan=plan, number=number, title=task_title)
        measures.append(MeasureFactory(task=task, sequence=1, code=f"{number}-1", text=text))
    return plan, measures


@pytest.fixture
def office():
    return make_user("office", "office_admin")


@pytest.fixture
def city():
    return _plan(
        [GAS_STATIONS, FUEL_QUALITY, SITE_DUST],
        title="大气污染防治行动计划",
        level=Plan.Level.MUNICIPAL,
        district="",
    )


@pytest.fixture
def fengtai():
    return _plan(
        [DISTRICT_FUEL, DISTRICT_DUST, DISTRICT_UNRELATED], title="丰台区任务分解", district="丰台区"
    )


def test_each_district_measure_is_proposed_the_municipal_measure_it_restates(city, fengtai, office):
    city_plan, (gas, fuel, dust) = city
    plan, (d_fuel, d_dust, d_unrelated) = fengtai

    count = carrying_out.propose_links(plan=plan, upper_plan=city_plan, user=office)

    links = {link.measure_id: link for link in MeasureLink.objects.all()}
    assert count == 2
    assert links[d_fuel.pk].upper_id == fuel.pk
    assert links[d_dust.pk].upper_id == dust.pk
    assert d_unrelated.pk not in links  # nothing close enough: the office links it by hand if it wants
    assert all(link.state == MeasureLink.State.PROPOSED for link in links.values())
    plan.refresh_from_db()
    assert plan.carries_out == city_plan


def test_terms_every_measure_shares_weigh_less_than_a_measures_own():
    index = carrying_out.SimilarityIndex([" ".join(t) for t in (GAS_STATIONS, FUEL_QUALITY, SITE_DUST)])
    scores = index.scores(" ".join(DISTRICT_FUEL))
    assert scores[1] > 4 * max(scores[0], scores.get(2, 0))  # 油品质量 beats 加油站 and 扬尘
    assert index.scores("") == {}
    assert (
        index.best("完全无关的文字")[0] is None
        or index.best("完全无关的文字")[1] < carrying_out.MIN_SIMILARITY
    )


def test_the_district_plan_proposes_the_overlapping_municipal_plan(city, fengtai):
    city_plan, _ = city
    plan, _ = fengtai
    assert carrying_out.suggest_upper_plan(plan) == city_plan
    assert carrying_out.suggest_upper_plan(city_plan) is None  # a municipal plan carries out nothing here


def test_the_office_confirms_changes_and_drops_links_each_recorded(city, fengtai, office, client):
    city_plan, (gas, fuel, dust) = city
    plan, (d_fuel, d_dust, d_unrelated) = fengtai
    client.force_login(office)
    url = reverse("plan_links", args=[plan.pk])
    response = client.post(url, {"action": "propose", "upper_plan": city_plan.pk})
    assert response.status_code == 302

    page = " ".join(client.get(url).content.decode().split())
    assert f'name="code-{d_fuel.pk}" size="8" value="2-1"' in page

    response = client.post(
        url,
        {
            "confirm": [d_fuel.pk, d_dust.pk, d_unrelated.pk],
            f"code-{d_fuel.pk}": "2-1",  # as proposed
            f"code-{d_dust.pk}": "",  # dropped
            f"code-{d_unrelated.pk}": "1-1",  # linked by hand
        },
    )
    assert response.status_code == 302
    links = {link.measure_id: link for link in MeasureLink.objects.all()}
    assert links[d_fuel.pk].upper_id == fuel.pk and links[d_fuel.pk].state == MeasureLink.State.CONFIRMED
    assert links[d_fuel.pk].decided_by == office
    assert d_dust.pk not in links
    assert (
        links[d_unrelated.pk].upper_id == gas.pk
        and links[d_unrelated.pk].state == MeasureLink.State.CONFIRMED
    )
    recorded = HistoryEntry.objects.filter(action=HistoryEntry.Action.EDIT, measure__isnull=False)
    assert {e.measure_id: e.changes["承接的上级措施"] for e in recorded} == {
        d_fuel.pk: ["", "2-1"],
        d_unrelated.pk: ["", "1-1"],
    }
    assert HistoryEntry.objects.filter(plan=plan, changes__has_key="承接的上级计划").exists()


def test_a_code_the_upper_plan_lacks_saves_nothing_and_says_which(city, fengtai, office, client):
    city_plan, _ = city
    plan, (d_fuel, d_dust, _) = fengtai
    carrying_out.propose_links(plan=plan, upper_plan=city_plan, user=office)
    client.force_login(office)
    response = client.post(
        reverse("plan_links", args=[plan.pk]),
        {"confirm": [d_fuel.pk, d_dust.pk], f"code-{d_fuel.pk}": "2-1", f"code-{d_dust.pk}": "99-9"},
    )
    assert response.status_code == 400
    assert "上级计划中没有这些编号：99-9" in response.content.decode()
    assert not MeasureLink.objects.confirmed().exists()


def test_only_the_office_links_plans(city, fengtai, client):
    plan, _ = fengtai
    client.force_login(make_user("leader", "viewer"))
    assert client.get(reverse("plan_links", args=[plan.pk])).status_code == 403


def _confirm_all(plan, upper_plan, user):
    carrying_out.propose_links(plan=plan, upper_plan=upper_plan, user=user)
    decisions = {
        link.measure_id: link.upper_id for link in MeasureLink.objects.filter(measure__task__plan=plan)
    }
    carrying_out.decide_links(plan=plan, decisions=decisions, user=user)


def test_the_municipal_measure_rolls_up_its_districts_and_names_the_laggards(city, fengtai, office, client):
    city_plan, (_, fuel, dust) = city
    plan, (d_fuel, d_dust, _) = fengtai
    xicheng, (x_fuel, x_dust, _) = _plan(
        [DISTRICT_FUEL, DISTRICT_DUST, DISTRICT_UNRELATED], title="西城区行动计划", district="西城区"
    )
    _confirm_all(plan, city_plan, office)
    _confirm_all(xicheng, city_plan, office)
    today = dt.date(2026, 11, 30)
    Measure.objects.filter(pk=d_fuel.pk).update(status=Measure.Status.DONE, percent=100)
    Measure.objects.filter(pk=x_fuel.pk).update(
        status=Measure.Status.IN_PROGRESS, percent=40, due_date=dt.date(2026, 6, 30)
    )

    rollup = carrying_out.measure_rollup(fuel, today=today)
    by_district = {d.label: d for d in rollup.districts}
    assert rollup.done_count == 1
    assert by_district["丰台区"].done and by_district["丰台区"].percent == 100
    assert by_district["西城区"].percent == 40
    assert [d.label for d in rollup.lagging] == ["西城区"]  # overdue since June

    client.force_login(office)
    page = client.get(reverse("measure_detail", args=[fuel.pk])).content.decode()
    assert "1 / 2 个下级已完成" in page
    assert 'data-district="西城区"' in page
    district_page = client.get(reverse("measure_detail", args=[x_fuel.pk])).content.decode()
    assert "data-upper-link" in district_page

    summary = client.get(reverse("plan_districts", args=[city_plan.pk]) + "?lagging=1").content.decode()
    assert f'data-measure="{fuel.code}"' in summary
    assert "西城区" in summary


def test_a_district_that_finished_late_shows_late_on_the_municipal_measure(city, fengtai, office, client):
    city_plan, (_, fuel, _) = city
    plan, (d_fuel, _, _) = fengtai
    _confirm_all(plan, city_plan, office)
    Measure.objects.filter(pk=d_fuel.pk).update(
        status=Measure.Status.DONE,
        percent=100,
        due_date=dt.date(2026, 6, 30),
        finished_on=dt.date(2026, 8, 3),
    )

    rollup = carrying_out.measure_rollup(fuel, today=dt.date(2026, 11, 30))
    (fengtai_state,) = rollup.districts
    assert fengtai_state.done and fengtai_state.light == Light.LATE and rollup.lagging == []
    client.force_login(office)
    assert client.get(reverse("measure_detail", args=[fuel.pk])).status_code == 200
    assert client.get(reverse("plan_districts", args=[city_plan.pk])).status_code == 200


def test_a_withdrawn_district_plan_leaves_the_roll_up(city, fengtai, office):
    from django.utils import timezone

    city_plan, (_, fuel, _) = city
    plan, _ = fengtai
    _confirm_all(plan, city_plan, office)
    assert carrying_out.measure_rollup(fuel, today=dt.date(2026, 11, 30)) is not None
    Plan.objects.filter(pk=plan.pk).update(withdrawn_at=timezone.now())
    assert carrying_out.measure_rollup(fuel, today=dt.date(2026, 11, 30)) is None


def test_importing_a_district_plan_proposes_links_to_the_municipal_plan_of_its_years(office, client):
    from departments.services import load_unit_directory
    from importers import services as import_services
    from tests.conftest import sample_bytes

    load_unit_directory()
    city_plan, (_, _, dust) = _plan(
        [GAS_STATIONS, FUEL_QUALITY, SITE_DUST],
        title="北京市大气污染防治2023年行动计划",
        level=Plan.Level.MUNICIPAL,
        district="",
        year_start=2023,
        year_end=2023,
    )
    preview = import_services.preview_upload(
        data=sample_bytes("mentougou"), filename="mentougou.txt", user=office, district=""
    )
    client.force_login(office)
    response = client.post(
        reverse("importers:preview", args=[preview.pk]),
        {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    plan = Plan.objects.exclude(pk=city_plan.pk).get()
    assert plan.carries_out == city_plan
    proposed = MeasureLink.objects.proposed().filter(measure__task__plan=plan)
    assert proposed.exists()
    assert "承接关系" in client.get(response["Location"]).content.decode()
    # Mentougou's site-dust measures are proposed to the municipal site-dust measure, never the reverse.
    dust_links = proposed.filter(upper=dust).select_related("measure")
    assert dust_links and all(
        "扬尘" in link.measure.text or "工地" in link.measure.text for link in dust_links
    )


# --- 承接落实情况 at scale: the 只看滞后 filter in the database, one page rolled up ----------------------

ROLLUP_TODAY = dt.date(2026, 11, 30)
# A lower measure's state: (status, due date, percent, finished on), one per branch of the light and of "done".
LOWER_STATES = (
    (Measure.Status.IN_PROGRESS, dt.date(2027, 12, 31), 100, None),  # green, open
    (Measure.Status.IN_PROGRESS, dt.date(2026, 6, 30), 40, None),  # red, open
    (Measure.Status.IN_PROGRESS, dt.date(2026, 12, 3), 90, None),  # yellow (due soon), open
    (Measure.Status.DELAYED, dt.date(2027, 12, 31), 50, None),  # yellow (delayed), open
    (Measure.Status.DONE, dt.date(2026, 6, 30), 100, dt.date(2026, 6, 1)),  # green, done
    (Measure.Status.DONE, dt.date(2026, 6, 30), 100, dt.date(2026, 8, 3)),  # late, done
)


def _rollup_world(upper_count: int = len(LOWER_STATES) ** 2, districts: int = 2):
    """An upper plan whose measures each carry two measures of the first district (every pair of states) and
    one of each other district; the links confirmed."""
    upper_plan = PlanFactory(title="市级计划", level=Plan.Level.MUNICIPAL, district="")
    upper_task = TaskFactory(plan=upper_plan, chapter=ChapterFactory(plan=upper_plan, number=1), number=1)
    uppers = [MeasureFactory(task=upper_task, sequence=i + 1) for i in range(upper_count)]
    lower_tasks = []
    for d in range(districts):
        plan = PlanFactory(title=f"区计划{d}", district=f"区{d}", carries_out=upper_plan)
        lower_tasks.append(TaskFactory(plan=plan, chapter=ChapterFactory(plan=plan, number=1), number=1))
    links, n = [], len(LOWER_STATES)
    for i, upper in enumerate(uppers):
        states = [(0, LOWER_STATES[i % n]), (0, LOWER_STATES[i // n % n])]
        states += [(d, LOWER_STATES[(i + d) % n]) for d in range(1, districts)]
        for d, (status, due, percent, finished_on) in states:
            lower = MeasureFactory(
                task=lower_tasks[d], status=status, due_date=due, percent=percent, finished_on=finished_on
            )
            links.append(MeasureLink(measure=lower, upper=upper, state=MeasureLink.State.CONFIRMED))
    MeasureLink.objects.bulk_create(links)
    return upper_plan, uppers


def test_the_lagging_filter_in_the_database_picks_the_measures_whose_roll_up_names_a_laggard():
    upper_plan, uppers = _rollup_world()
    python = {m.pk for m in uppers if carrying_out.measure_rollup(m, today=ROLLUP_TODAY).lagging}
    sql = set(
        carrying_out.lagging_upper_ids(upper_plan, today=ROLLUP_TODAY).values_list("upper_id", flat=True)
    )
    assert sql == python
    assert 0 < len(python) < len(uppers)  # both outcomes occur


def _lagging_by_the_roll_ups(uppers) -> set[int]:
    """The upper measures whose roll-up names a lagging district (``Rollup.lagging``, the rule's one home)."""
    rollups = {m.pk: carrying_out.measure_rollup(m, today=ROLLUP_TODAY) for m in uppers}
    return {pk for pk, rollup in rollups.items() if rollup is not None and rollup.lagging}


def test_the_lagging_filter_counts_only_the_plans_confirmed_links_from_plans_in_force():
    """lagging_upper_ids against the roll-ups on varied data: districts done, done late, overdue, due soon and
    delayed, several links per district, a withdrawn district plan, proposed links, and districts that also carry
    out another upper plan's measures."""
    upper_plan, uppers = _rollup_world(len(LOWER_STATES) ** 2, 3)
    other_plan, others = _rollup_world(12, 2)
    before = _lagging_by_the_roll_ups(uppers)
    Plan.objects.filter(carries_out=upper_plan, district="区2").update(
        withdrawn_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    links = list(MeasureLink.objects.filter(upper__in=uppers).order_by("pk"))
    MeasureLink.objects.filter(pk__in=[link.pk for link in links[::5]]).update(
        state=MeasureLink.State.PROPOSED
    )
    # Measures carrying out the other plan now also carry out this one, and some of this plan's the other.
    MeasureLink.objects.filter(upper__in=others[:6]).update(upper=uppers[1])
    MeasureLink.objects.filter(pk__in=[link.pk for link in links[1::7]]).update(upper=others[6])

    lagging = _lagging_by_the_roll_ups(uppers)
    sql = set(
        carrying_out.lagging_upper_ids(upper_plan, today=ROLLUP_TODAY).values_list("upper_id", flat=True)
    )
    assert sql == lagging
    assert lagging != before and 0 < len(lagging) < len(uppers)  # the changes matter, both outcomes occur
    assert _lagging_by_the_roll_ups(others) and not sql & {m.pk for m in others}


def _links_estimated_for_grouping(queryset) -> float:
    """The rows PostgreSQL expects to group by upper measure and lower plan (EXPLAIN's estimate)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if len(node.get("Group Key", ())) == 2:
            return node["Plans"][0]["Plan Rows"]
        nodes += node.get("Plans", [])
    raise AssertionError("no grouping by upper measure and lower plan in the plan")


def test_the_planner_expects_every_link_into_the_plan_not_the_plans_share_of_all_measures():
    """Every link of a city's municipal plan points into it, though the plan holds a tenth of the measures:
    estimated as that tenth, PostgreSQL read each lower measure by its index (twice as slow at city scale)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner estimate (set DATABASE_URL)")
    upper_plan, _ = _rollup_world(12, 2)
    for _ in range(8):  # plans no link points into
        MeasureFactory.create_batch(20, task=TaskFactory())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tasks_measurelink, tasks_measure, tasks_task, tasks_plan")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # one grouping node, fed by the links
    links = MeasureLink.objects.filter(upper__task__plan=upper_plan).count()
    estimate = _links_estimated_for_grouping(carrying_out.lagging_upper_ids(upper_plan, today=ROLLUP_TODAY))
    assert estimate >= links / 2


def _paged(upper_plan, *, lagging_only: bool) -> tuple[list[int], int]:
    """The measures shown page after page (10 a page), and the count the pager gives."""
    shown, number = [], 1
    while True:
        page = carrying_out.plan_rollup(
            upper_plan, today=ROLLUP_TODAY, lagging_only=lagging_only, page=number, per_page=10
        )
        shown += [row.measure.pk for row in page]
        if not page.has_next():
            return shown, page.paginator.count
        number += 1


def test_the_districts_page_pages_the_measures_in_plan_order_all_or_only_the_lagging():
    upper_plan, uppers = _rollup_world()
    MeasureFactory(task=uppers[0].task, sequence=999)  # no district carries it out: not listed
    lagging = [m.pk for m in uppers if carrying_out.measure_rollup(m, today=ROLLUP_TODAY).lagging]
    assert _paged(upper_plan, lagging_only=True) == (lagging, len(lagging))
    assert _paged(upper_plan, lagging_only=False) == ([m.pk for m in uppers], len(uppers))


def test_links_from_plans_in_force_are_those_the_join_through_each_plan_finds():
    """``from_plans_in_force`` ("not from a withdrawn plan's measure") keeps the links ``in_force_q`` keeps through
    the join, and the districts page lists the upper measures that rule gives a confirmed link."""
    upper_plan, uppers = _rollup_world(12, 3)
    Plan.objects.filter(title="区计划1").update(withdrawn_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    links = list(MeasureLink.objects.order_by("pk"))
    proposed = [link.pk for link in links[::3]] + [link.pk for link in links if link.upper_id == uppers[0].pk]
    MeasureLink.objects.filter(pk__in=proposed).update(state=MeasureLink.State.PROPOSED)
    joined = set(MeasureLink.objects.filter(in_force_q("measure__")).values_list("pk", flat=True))
    assert set(MeasureLink.objects.from_plans_in_force().values_list("pk", flat=True)) == joined
    assert 0 < len(joined) < len(links)
    confirmed = MeasureLink.objects.confirmed().filter(in_force_q("measure__"))
    listed = [m.pk for m in uppers if confirmed.filter(upper=m).exists()]
    assert _paged(upper_plan, lagging_only=False) == (listed, len(listed))
    assert 0 < len(listed) < len(uppers)


@pytest.mark.parametrize("upper_count, districts", [(6, 2), (60, 4)])
def test_the_districts_page_runs_the_same_queries_whatever_the_plan_size(
    upper_count, districts, office, client, django_assert_num_queries
):
    upper_plan, _ = _rollup_world(upper_count, districts)
    client.force_login(office)
    for query in ("", "?lagging=1", "?lagging=1&page=2"):
        # session, user, the plan, the count, the page, its roll-ups, their plans, the menu's permissions (2)
        # and unread notices, the lower plans
        with django_assert_num_queries(11):
            response = client.get(reverse("plan_districts", args=[upper_plan.pk]) + query)
        assert response.status_code == 200
