"""The preview is an editor: each edit is saved on the import at once, a stale one is refused, the
picker searches the directory, rows pasted from Excel join the tree, a plan can be built by hand, and
what was edited is what gets imported. Office only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Unit, UnitAlias
from importers import editor
from importers.models import PlanImport
from tasks.models import Assignment, Measure, Plan
from tests.conftest import sample_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def upload(client, data: bytes, filename: str = "fengtai.txt") -> PlanImport:
    response = client.post(
        reverse("importers:upload"), {"file": SimpleUploadedFile(filename, data), "district": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanImport.objects.get(state=PlanImport.State.PREVIEW)


def edit(client, imp, op, **data):
    version = PlanImport.objects.get(pk=imp.pk).parsed.get("edit_version", 0)
    return client.post(
        reverse("importers:edit", args=[imp.pk]), {"op": op, "version": version, **data}, **HTMX
    )


def first_chapter(imp) -> int:
    """The index of the first chapter with tasks (a plan may open with a chapter of goals only)."""
    chapters = PlanImport.objects.get(pk=imp.pk).parsed["chapters"]
    return next(i for i, chapter in enumerate(chapters) if chapter["tasks"])


def first_measures(imp, t=0):
    return PlanImport.objects.get(pk=imp.pk).parsed["chapters"][first_chapter(imp)]["tasks"][t]["measures"]


def test_an_edit_is_saved_on_the_import_and_answered_with_the_editor_alone(office_client):
    imp = upload(office_client, sample_bytes("fengtai"))
    response = edit(
        office_client, imp, "measure_text", c=first_chapter(imp), t=0, m=0, text="全面完成燃煤锅炉改造"
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="editor"')
    assert "全面完成燃煤锅炉改造" in page
    saved = PlanImport.objects.get(pk=imp.pk).parsed
    assert saved["edit_version"] == 1 and first_measures(imp)[0]["text"] == "全面完成燃煤锅炉改造"
    assert (
        "全面完成燃煤锅炉改造"
        in office_client.get(reverse("importers:preview", args=[imp.pk])).content.decode()
    )


def test_an_edit_made_on_an_older_version_is_refused_in_chinese_and_changes_nothing(office_client):
    imp = upload(office_client, sample_bytes("fengtai"))
    c = first_chapter(imp)
    edit(office_client, imp, "measure_text", c=c, t=0, m=0, text="第一个窗口的修改")
    response = office_client.post(
        reverse("importers:edit", args=[imp.pk]),
        {"op": "measure_text", "version": 0, "c": c, "t": 0, "m": 0, "text": "第二个窗口"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "另一个窗口" in response.content.decode() and "没有保存" in response.content.decode()
    assert first_measures(imp)[0]["text"] == "第一个窗口的修改"


def test_a_bad_edit_is_refused_with_a_chinese_message(office_client):
    imp = upload(office_client, sample_bytes("fengtai"))
    response = edit(office_client, imp, "merge_measure", c=first_chapter(imp), t=0, m=999)
    assert response.status_code == 400 and "刷新页面" in response.content.decode()
    response = edit(office_client, imp, "measure_text", c=first_chapter(imp), t=0, m=0, text=" ")
    assert response.status_code == 400 and "措施内容不能为空" in response.content.decode()


def test_the_picker_finds_at_most_twenty_active_units_by_name_or_alias_the_plans_district_first(
    office_client,
):
    fengtai = Unit.objects.get(district="丰台区", name="区生态环境局")
    UnitAlias.objects.create(unit=fengtai, name="丰台环保局")
    found = office_client.get(reverse("importers:unit_search"), {"q": "丰台环保", "format": "json"}).json()
    assert [u["id"] for u in found["results"]] == [fengtai.pk]
    many = office_client.get(
        reverse("importers:unit_search"), {"q": "区", "format": "json", "district": "丰台区"}
    )
    results = many.json()["results"]
    assert len(results) == 20 and results[0]["district"] == "丰台区"
    fragment = office_client.get(reverse("importers:unit_search"), {"q": "生态环境局", "district": "丰台区"})
    assert 'name="unit_id"' in fragment.content.decode()
    fengtai.is_active = False
    fengtai.save()
    assert office_client.get(
        reverse("importers:unit_search"), {"q": "丰台环保", "format": "json"}
    ).json() == {"results": []}


def test_a_unit_set_and_a_name_mapped_in_the_editor_are_what_the_import_writes(office_client):
    data = sample_bytes("fengtai").decode().replace("区交通支队", "丰台区交通队", 1).encode()
    imp = upload(office_client, data)
    assert "丰台区交通队" in imp.parsed["unit_resolution"]["unknown"]
    police = Unit.objects.get(district="丰台区", name="区交通支队")
    page = office_client.get(reverse("importers:preview", args=[imp.pk])).content.decode()
    assert "处待核实" in page and "对应到 区交通支队" in page  # the closest match is suggested
    edit(office_client, imp, "map_unit", written="丰台区交通队", unit_id=police.pk)
    ecology = Unit.objects.get(district="丰台区", name="区生态环境局")
    edit(office_client, imp, "add_unit", c=first_chapter(imp), t=0, m=0, role="assisting", unit_id=ecology.pk)
    response = office_client.post(
        reverse("importers:preview", args=[imp.pk]), {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    first = Measure.objects.filter(task__plan=plan).order_by("task__number", "sequence").first()
    assert first.assignments.filter(unit=ecology, role=Assignment.Role.ASSISTING).exists()
    assert Assignment.objects.filter(
        measure__task__plan=plan, unit=police, written_as="丰台区交通队"
    ).exists()
    assert not Unit.objects.filter(name="丰台区交通队").exists()


def test_rows_pasted_from_excel_with_their_header_join_the_tree(office_client):
    imp = editor.create_draft(user=None, title="手工计划", district="丰台区", year_start=2026, year_end=2026)
    rows = (
        "序号\t重点任务\t具体措施\t完成时限\t牵头单位\n"
        "1\t治理扬尘\t加强工地扬尘监管\t2026年9月底前\t区住房城乡建设委\n"
        '\t\t"道路清扫\n保洁"\t长期\t区城市管理委\n'
    )
    response = office_client.post(
        reverse("importers:paste", args=[imp.pk]), {"rows": rows, "version": 0}, **HTMX
    )
    assert response.status_code == 200
    measures = first_measures(imp)
    assert [m["text"] for m in measures] == ["加强工地扬尘监管", "道路清扫\n保洁"]
    assert measures[0]["due_date"] == "2026-09-30" and measures[0]["units"]["lead"] == ["区住房城乡建设委"]


def test_rows_pasted_without_a_header_ask_which_column_is_which_and_keep_the_text(office_client):
    imp = editor.create_draft(user=None, title="手工计划", district="丰台区", year_start=2026, year_end=2026)
    rows = "1\t治理扬尘\t加强工地扬尘监管\t2026年底前\t区住房城乡建设委\n"
    page = office_client.post(
        reverse("importers:paste", args=[imp.pk]), {"rows": rows, "version": 0}, **HTMX
    ).content.decode()
    assert (
        "未能识别粘贴内容的各列" in page and 'name="col_4"' in page and "加强工地扬尘监管\t2026年底前" in page
    )
    mapping = {"col_0": "number", "col_1": "task", "col_2": "measure", "col_3": "deadline", "col_4": "lead"}
    office_client.post(
        reverse("importers:paste", args=[imp.pk]),
        {"rows": rows, "version": 0, "mapped": "1", **mapping},
        **HTMX,
    )
    tree = PlanImport.objects.get(pk=imp.pk).parsed
    assert tree["chapters"][0]["tasks"][0]["title"] == "治理扬尘"
    assert tree["chapters"][0]["tasks"][0]["measures"][0]["units"]["lead"] == ["区住房城乡建设委"]


def test_a_plan_built_by_hand_from_an_empty_tree_is_confirmed_through_the_import(office_client):
    response = office_client.post(
        reverse("importers:new_plan"),
        {"title": "丰台区秋冬季攻坚方案", "district": "丰台区", "year_start": 2026, "year_end": 2027},
    )
    imp = PlanImport.objects.get()
    assert response["Location"] == reverse("importers:preview", args=[imp.pk])
    assert imp.parsed["chapters"] == [] and imp.original_name == editor.MANUAL_NAME
    edit(office_client, imp, "add_chapter", title="强化扬尘管控")
    edit(office_client, imp, "add_task", c=0, title="施工扬尘")
    edit(office_client, imp, "add_measure", c=0, t=0, text="工地安装视频监控", deadline_text="2026年底前")
    unit = Unit.objects.get(district="丰台区", name="区住房城乡建设委")
    edit(office_client, imp, "add_unit", c=0, t=0, m=0, role="lead", unit_id=unit.pk)
    office_client.post(
        reverse("importers:preview", args=[imp.pk]), {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    )
    plan = Plan.objects.get()
    assert (plan.title, plan.district, plan.year_start, plan.year_end) == (
        "丰台区秋冬季攻坚方案",
        "丰台区",
        2026,
        2027,
    )
    measure = Measure.objects.get(task__plan=plan)
    assert (measure.code, measure.text, str(measure.due_date)) == ("1-1", "工地安装视频监控", "2026-12-31")
    assert measure.assignments.get().unit == unit


@pytest.mark.parametrize("role", ["unit_staff", "viewer"])
def test_staff_and_viewers_cannot_edit_previews_search_units_paste_or_build_plans(client, role):
    imp = editor.create_draft(user=None, title="手工计划", district="丰台区", year_start=2026, year_end=2026)
    client.force_login(make_user("someone", role))
    assert (
        client.post(
            reverse("importers:edit", args=[imp.pk]), {"op": "add_chapter", "title": "x", "version": 0}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("importers:paste", args=[imp.pk]), {"rows": "a\tb", "version": 0}).status_code
        == 403
    )
    assert client.get(reverse("importers:unit_search"), {"q": "区"}).status_code == 403
    assert client.get(reverse("importers:new_plan")).status_code == 403
    assert PlanImport.objects.get(pk=imp.pk).parsed["chapters"] == []


def test_an_empty_plan_or_a_table_still_to_be_mapped_is_not_confirmed(office_client):
    from importers import services
    from importers.errors import PlanImportError
    from tests.importers.test_column_mapping import UNLABELLED

    office_client.post(
        reverse("importers:new_plan"),
        {"title": "空计划", "district": "丰台区", "year_start": 2026, "year_end": 2026},
    )
    empty = PlanImport.objects.get()
    with pytest.raises(PlanImportError, match="还没有任何措施"):
        services.apply_import(plan_import=empty)
    unmapped = services.preview_upload(data=UNLABELLED.encode(), filename="安排.txt")
    with pytest.raises(PlanImportError, match="指定表格各列"):
        services.apply_import(plan_import=unmapped)
    assert not Plan.objects.exists()


def test_an_uploaded_table_whose_columns_are_not_recognised_is_mapped_in_the_preview_then_imported(
    office_client,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.importers.test_column_mapping import UNLABELLED

    upload = SimpleUploadedFile("某县工作安排.txt", UNLABELLED.encode())
    response = office_client.post(reverse("importers:upload"), {"file": upload, "district": ""})
    imp = PlanImport.objects.get()
    assert response["Location"] == reverse("importers:preview", args=[imp.pk])
    page = office_client.get(response["Location"]).content.decode()
    assert 'id="column-mapping"' in page and "请指定表格各列的含义" in page
    assert '<option value="measure" selected>' in page  # the guess is preselected

    bad = office_client.post(
        reverse("importers:map_columns", args=[imp.pk]), {"col-0": "number"}, follow=True
    )
    assert "请至少指定一列" in bad.content.decode()
    imp.refresh_from_db()
    assert imp.parsed["needs_column_mapping"]

    office_client.post(
        reverse("importers:map_columns", args=[imp.pk]),
        {"col-0": "number", "col-1": "measure", "col-2": "lead", "col-3": "deadline"},
    )
    imp.refresh_from_db()
    assert not imp.parsed["needs_column_mapping"] and imp.parsed["counts"]["measures"] == 3
    office_client.post(
        reverse("importers:preview", args=[imp.pk]), {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    )
    measures = Measure.objects.filter(task__plan__in=Plan.objects.all())
    assert measures.count() == 3
    assert {m.deadline_text for m in measures} == {"2024年10月底前", "长期坚持", "2024年12月底前"}
