"""The same plan in another format or a revision is recognised by content: never a silent second copy."""

import datetime as dt

import pytest
from django.core.management import call_command

from departments.models import Unit
from departments.services import load_unit_directory
from importers.models import PlanImport
from importers.services import apply_import, import_file, preview_identity, preview_upload
from tasks import selectors
from tasks.models import HistoryEntry, Measure, Plan
from tasks.selectors import MeasureFilters
from tests.conftest import sample_bytes
from tests.factories import make_user

from .plan_formats import beijing_table_docx, beijing_titled_docx, fengtai_bare_xlsx, fengtai_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def directory():
    load_unit_directory()


def _my_measures(user) -> int:
    return selectors.measures_for_user(user=user, filters=MeasureFilters(), today=dt.date(2019, 6, 1)).count()


def test_fengtai_as_txt_then_docx_then_bare_xlsx_is_one_plan(directory):
    plan = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan
    staff = make_user("staff", "unit_staff", units=[Unit.objects.get(district="丰台区", name="区城市管理委")])
    tasks_before = _my_measures(staff)

    for data, filename in ((fengtai_docx(), "丰台区任务分解.docx"), (fengtai_bare_xlsx(), "任务分解表.xlsx")):
        preview = preview_upload(data=data, filename=filename)
        assert preview.plan == plan
        shown = preview_identity(preview)
        assert shown["unchanged"], shown
        assert not preview.parsed["unit_resolution"]["unknown"]
        apply_import(plan_import=preview)

    assert Plan.objects.count() == 1
    assert Measure.objects.filter(task__plan=plan).count() == 70
    plan.refresh_from_db()
    assert (plan.title, plan.district, plan.year_start, plan.year_end) == (
        "丰台区打赢蓝天保卫战三年行动计划任务分解",
        "丰台区",
        2018,
        2020,
    )
    assert _my_measures(staff) == tasks_before


def test_the_bare_worksheet_is_recognised_by_its_measure_texts(directory):
    plan = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt").plan
    preview = preview_upload(data=fengtai_bare_xlsx(), filename="任务分解表.xlsx")
    assert preview.plan == plan
    assert preview.parsed["identity"]["reason"] == "100% 的措施内容与之相同"
    # What the worksheet does not say is the plan's, and the preview says so.
    assert preview.parsed["metadata_sources"]["years"] == "已导入的计划"
    assert preview.parsed["title"] == plan.title


def test_import_plan_command_gives_one_plan_for_three_formats(tmp_path, directory):
    files = {
        "fengtai.txt": sample_bytes("fengtai"),
        "fengtai.docx": fengtai_docx(),
        "ledger.xlsx": fengtai_bare_xlsx(),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        call_command("import_plan", str(path))
    assert Plan.objects.count() == 1
    assert Measure.objects.count() == 70
    assert PlanImport.objects.filter(state=PlanImport.State.APPLIED).count() == 3


def test_a_revision_without_the_notice_keeps_the_doc_number_and_title(directory):
    plan = import_file(data=sample_bytes("beijing"), filename="beijing.txt").plan
    assert plan.doc_number == "京政办发〔2021〕3号"
    preview = preview_upload(data=beijing_table_docx(), filename="任务表.docx")
    assert preview.plan == plan
    shown = preview_identity(preview)
    assert shown["field_changes"] == []
    assert {"发文字号", "名称", "发文机关"} <= set(shown["kept"])
    apply_import(plan_import=preview)
    plan.refresh_from_db()
    assert plan.doc_number == "京政办发〔2021〕3号"
    assert plan.title == "北京市深入打好污染防治攻坚战2021年行动计划"
    assert plan.issuing_body == "北京市人民政府办公厅"
    assert (plan.year_start, plan.year_end, plan.issue_date) == (2021, 2021, dt.date(2021, 3, 3))
    assert plan.goals
    assert Plan.objects.count() == 1


def test_the_beijing_docx_with_its_title_but_no_notice_does_not_blank_the_doc_number(directory):
    # The issue: re-importing the 2021 plan as .docx blanked 京政办发〔2021〕3号 without a word.
    plan = import_file(data=sample_bytes("beijing"), filename="beijing.txt").plan
    preview = preview_upload(data=beijing_titled_docx(), filename="北京市2021年行动计划.docx")
    assert preview.plan == plan
    assert "发文字号" not in {c["label"] for c in preview_identity(preview)["field_changes"]}
    apply_import(plan_import=preview)
    plan.refresh_from_db()
    assert plan.doc_number == "京政办发〔2021〕3号" and plan.issuing_body == "北京市人民政府办公厅"


def test_every_changed_field_is_listed_and_recorded(directory):
    plan = import_file(data=sample_bytes("beijing"), filename="beijing.txt").plan
    text = sample_bytes("beijing").decode("utf-8").replace("京政办发〔2021〕3号", "京政办发〔2021〕9号")
    text = text.replace("2021 年行动计划", "2021 年行动计划（修订）")
    preview = preview_upload(data=text.encode("utf-8"), filename="beijing-revised.txt")
    assert preview.plan == plan  # recognised by title, then by measures, though the number changed
    changes = {c["label"]: (c["before"], c["after"]) for c in preview_identity(preview)["field_changes"]}
    assert changes["发文字号"] == ("京政办发〔2021〕3号", "京政办发〔2021〕9号")
    assert changes["名称"][1] == "北京市深入打好污染防治攻坚战2021年行动计划（修订）"
    apply_import(plan_import=preview)
    plan.refresh_from_db()
    assert plan.doc_number == "京政办发〔2021〕9号"
    entry = HistoryEntry.objects.get(plan=plan, action=HistoryEntry.Action.IMPORT)
    assert entry.changes["发文字号"] == ["京政办发〔2021〕3号", "京政办发〔2021〕9号"]


def test_the_same_measures_in_another_districts_plan_are_another_plan(directory):
    import_file(data=sample_bytes("fengtai"), filename="fengtai.txt")
    copy = sample_bytes("fengtai") + "\n".encode()  # another file (hash), the same measures
    preview = preview_upload(data=copy, filename="copy.txt", district="朝阳区")
    assert preview.plan is None


def test_a_different_plan_is_not_taken_for_a_revision(directory):
    import_file(data=sample_bytes("fengtai"), filename="fengtai.txt")
    preview = preview_upload(data=sample_bytes("mentougou"), filename="mentougou.txt")
    assert preview.plan is None and preview_identity(preview) == {}


def test_uploading_the_txt_then_the_worksheet_in_the_browser_gives_one_plan(client, office_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(office_admin)
    for name, data in (("fengtai.txt", sample_bytes("fengtai")), ("任务分解表.xlsx", fengtai_bare_xlsx())):
        response = client.post(
            reverse("importers:upload"), {"file": SimpleUploadedFile(name, data), "district": ""}
        )
        preview = PlanImport.objects.latest("created_at")
        page = client.get(response["Location"]).content.decode()
        if name.endswith(".xlsx"):
            assert "这是已于" in page and "内容无变化" in page
        forms = {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
        client.post(reverse("importers:preview", args=[preview.pk]), forms)
    assert Plan.objects.count() == 1 and Measure.objects.count() == 70
    assert PlanImport.objects.filter(state=PlanImport.State.APPLIED).count() == 2
