"""Acceptance in Debian's chromium: a plan the parser reads only partly is corrected in the preview (a task
split, a measure moved, a unit set with the type-to-search picker, an unknown name mapped to the suggested
unit) and confirmed; after import a measure is added and its deadline changed, both in the history; a plan
is built by hand from an empty tree. Screenshots under test-artifacts/editor/, the editor also at 390 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from departments.models import Unit
from departments.services import load_unit_directory
from importers.models import PlanImport
from tasks.models import Assignment, HistoryEntry, Measure, Plan
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "editor"

# A task table the parser reads only partly: the chapter line is missed, 裸露地面 has no unit, the
# mobile-source measures sit in the dust tasks, and 丰台区交通队 is not a name the directory knows.
PARTLY_READ_PLAN = """丰台区2026年扬尘和移动源污染治理工作方案
一、扬尘污染治理
序号\t重点任务\t具体措施\t完成时限\t牵头单位\t配合单位
1\t施工扬尘管控\t建筑工地安装视频监控和扬尘在线监测设备\t2026年6月底前\t区住房城乡建设委\t区生态环境局
1\t施工扬尘管控\t渣土运输车辆全部密闭运输\t2026年底前\t区城市管理委\t丰台区交通队
1\t施工扬尘管控\t加大重型柴油车路检路查力度\t长期\t丰台区交通队\t区生态环境局
2\t道路和裸地扬尘\t城市道路机扫水洗率达到95%\t2026年底前\t区城市管理委\t
2\t道路和裸地扬尘\t裸露地面全部苫盖或绿化\t2026年9月底前\t\t
2\t道路和裸地扬尘\t淘汰国三及以下排放标准营运柴油货车\t2026年底前\t区交通委\t区生态环境局
"""


@pytest.fixture
def office_page(chromium, live_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    load_unit_directory()
    make_user("office", "office_admin")
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def measure(page, code):
    return page.locator(f'.editor-measure[data-code="{code}"]')


def saved(page, action):
    """Do ``action`` and wait until the editor has been swapped in with the server's answer and htmx has
    settled it: a field typed into before htmx has wired the new editor's pickers starts no search."""
    page.evaluate(
        "() => { window.editorSettled = false;"
        " document.body.addEventListener('htmx:afterSettle', () => { window.editorSettled = true; }, {once: true}); }"
    )
    with page.expect_response(lambda r: "/edit/" in r.url or "/paste/" in r.url):
        action()
    page.wait_for_function(
        "() => window.editorSettled && document.querySelector('#editor') && !document.querySelector('.htmx-request')"
    )


def measure_texts(page, task_number):
    boxes = page.locator(f'.editor-task[data-task="{task_number}"] .editor-measure textarea[name=text]')
    return [boxes.nth(i).input_value() for i in range(boxes.count())]


def pick_unit(page, form, typed, unit_name):
    form.locator("input[name=q]").fill(typed)
    choice = form.locator(".unit-choice", has_text=unit_name).first
    choice.wait_for()
    saved(page, choice.click)


def test_a_partly_read_plan_is_corrected_in_the_preview_and_confirmed(office_page, live_server, tmp_path):
    page = office_page
    document = tmp_path / "丰台区扬尘和移动源治理方案.txt"
    document.write_text(PARTLY_READ_PLAN, encoding="utf-8")
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("#id_file", str(document))
    with page.expect_navigation():  # loaded: htmx (deferred) wires the editor's forms only then
        page.click("button:has-text('上传并预览')")
    page.wait_for_selector("#editor")
    stale_tab = page.context.new_page()  # a second tab on the same preview, left behind
    stale_tab.goto(page.url)
    assert "处待核实" in page.inner_text("#review-count")
    assert "牵头单位" in measure(page, "2-2").locator(".flags").inner_text()
    assert "单位不在名录中：丰台区交通队" in measure(page, "1-3").inner_text()
    shot(page, "01-preview-as-parsed")

    # The chapter the parser missed gets its title; task 2 is split: the lorries are a task of their own.
    chapter = page.locator("form.chapter-title").first
    chapter.locator("input[name=title]").fill("扬尘和移动源污染治理")
    saved(page, lambda: chapter.locator("button", has_text="改标题").click())
    split = measure(page, "2-3").locator("form.split-task")
    split.locator("input[name=title]").fill("移动源污染治理")
    saved(page, lambda: split.locator("button").click())
    assert page.locator('.editor-task[data-task="3"] input[name=title]').input_value() == "移动源污染治理"

    # The diesel-lorry checks move from task 1 to the new task 3.
    move = measure(page, "1-3").locator("form.move")
    move.locator("input[name=to_task]").fill("3")
    saved(page, lambda: move.locator("button").click())
    assert measure_texts(page, 3) == ["淘汰国三及以下排放标准营运柴油货车", "加大重型柴油车路检路查力度"]

    # 裸露地面 gets its lead unit from the type-to-search picker.
    picker = measure(page, "2-2").locator("form.add-unit")
    picker.locator("select[name=role]").select_option("lead")
    pick_unit(page, picker, "城市管理", "区城市管理委")
    assert "牵头：区城市管理委" in measure(page, "2-2").inner_text()
    assert measure(page, "2-2").locator(".flags").count() == 0  # its doubt is answered
    shot(page, "02-units-picked")

    # 丰台区交通队 is mapped to the unit the directory suggests.
    unknown = page.locator('form.unknown-unit[data-name="丰台区交通队"]')
    assert "对应到 区交通支队" in unknown.inner_text()
    saved(page, lambda: unknown.locator("button.suggestion").first.click())
    assert page.locator("#unknown-units").count() == 0
    assert "牵头：区交通支队" in measure(page, "3-2").inner_text()
    assert "没有待核实的地方" in page.inner_text("#review-count")
    assert "不在单位名录中" not in page.inner_text("#editor")
    shot(page, "03-corrected")

    # The tab left behind cannot overwrite all this: its edit is refused, in Chinese, and it shows the new tree.
    stale_form = stale_tab.locator("form.chapter-title").first
    stale_form.locator("input[name=title]").fill("旧标签页的标题")
    saved(stale_tab, lambda: stale_form.locator("button", has_text="改标题").click())
    assert "另一个窗口" in stale_tab.inner_text("#editor-error")
    assert (
        stale_tab.locator("form.chapter-title input[name=title]").first.input_value()
        == "扬尘和移动源污染治理"
    )
    shot(stale_tab, "04-stale-tab-refused")

    # A reload loses nothing; at phone width the editor stays usable.
    page.reload()
    assert "移动源污染治理" in page.inner_text("#editor")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "05-editor-on-phone")
    page.set_viewport_size({"width": 1200, "height": 900})

    page.click("#confirm-import")
    page.wait_for_url("**/plans/*/**")
    plan = Plan.objects.get()
    police = Unit.objects.get(district="丰台区", name="区交通支队")
    assert plan.chapters.get().title == "扬尘和移动源污染治理"
    assert list(plan.tasks.order_by("number").values_list("title", flat=True)) == [
        "施工扬尘管控",
        "道路和裸地扬尘",
        "移动源污染治理",
    ]
    lorries = Measure.objects.get(task__plan=plan, text="加大重型柴油车路检路查力度")
    assert lorries.task.number == 3
    assert lorries.assignments.get(role=Assignment.Role.LEAD).unit == police
    bare = Measure.objects.get(task__plan=plan, text="裸露地面全部苫盖或绿化")
    assert bare.assignments.get().unit.name == "区城市管理委"
    assert not Unit.objects.filter(name="丰台区交通队").exists()
    shot(page, "06-imported-plan")

    # After import: a measure added on the plan page, then its deadline changed on the measure page.
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    form = page.locator("#add-measure-form")
    form.locator("select[name=task]").select_option(label="3. 移动源污染治理")
    form.locator("textarea[name=text]").fill("推广新能源公交车和出租车")
    form.locator("input[name=deadline_text]").fill("2026年底前")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已添加措施")
    page.click("#measure-edit summary")
    page.fill("#edit-deadline", "2026年10月底前")
    with page.expect_navigation():  # loaded: htmx (deferred) wires the unit picker only then
        page.click("#measure-edit button[type=submit]")
    page.wait_for_selector("text=措施已修改")
    assign = page.locator("#assign-unit-form")
    assign.locator("select[name=assign-role]").select_option("lead")
    assign.locator("input[name=q]").fill("交通委")
    with page.expect_navigation():
        assign.locator(".unit-choice", has_text="区交通委").first.click()
    page.wait_for_selector("text=责任单位已更新")
    added = Measure.objects.get(text="推广新能源公交车和出租车")
    assert added.assignments.get(role=Assignment.Role.LEAD).unit.name == "区交通委"
    assert added.due_date == dt.date(2026, 10, 31) and added.task.number == 3
    history = page.locator("section.history").inner_text()
    assert "新增措施" in history and "2026年底前（2026-12-31） → 2026年10月底前（2026-10-31）" in history
    assert HistoryEntry.objects.filter(measure=added, action=HistoryEntry.Action.EDIT).count() == 2
    assert "区交通委（牵头）" in history
    shot(page, "07-measure-added-and-redated")


def test_a_plan_is_built_by_hand_from_an_empty_tree(office_page, live_server):
    page = office_page
    page.goto(f"{live_server.url}/imports/new/")
    page.click("#new-plan-link")
    page.fill("#id_title", "丰台区2026年秋冬季大气污染防治攻坚方案")
    page.fill("#id_district", "丰台区")
    page.fill("#id_year_start", "2026")
    page.fill("#id_year_end", "2027")
    with page.expect_navigation():  # loaded: htmx (deferred) wires the editor's forms only then
        page.click("button:has-text('下一步')")
    page.wait_for_selector("#editor")
    shot(page, "11-empty-tree")
    add_chapter = page.locator("form.add-chapter")
    add_chapter.locator("input[name=title]").fill("强化重污染天气应对")
    saved(page, lambda: add_chapter.locator("button").click())
    add_task = page.locator("form.add-task")
    add_task.locator("input[name=title]").fill("落实应急减排措施")
    saved(page, lambda: add_task.locator("button").click())
    add_measure = page.locator("form.add-measure")
    add_measure.locator("textarea[name=text]").fill("修订重污染天气应急预案，更新应急减排清单")
    add_measure.locator("input[name=deadline_text]").fill("2026年10月底前")
    saved(page, lambda: add_measure.locator("button").click())
    pick_unit(page, measure(page, "1-1").locator("form.add-unit"), "生态环境", "区生态环境局")
    assert "没有待核实的地方" in page.inner_text("#review-count")
    assert "picker" not in page.inner_text("body")  # no template text leaks onto the page
    shot(page, "12-built-by-hand")
    page.click("#confirm-import")
    page.wait_for_url("**/plans/*/**")
    plan = Plan.objects.get()
    assert (plan.title, plan.year_start, plan.year_end) == (
        "丰台区2026年秋冬季大气污染防治攻坚方案",
        2026,
        2027,
    )
    built = Measure.objects.get(task__plan=plan)
    assert built.due_date == dt.date(2026, 10, 31)
    assert built.assignments.get().unit.name == "区生态环境局"
    assert PlanImport.objects.get().state == PlanImport.State.APPLIED
    shot(page, "13-plan-built-by-hand")
