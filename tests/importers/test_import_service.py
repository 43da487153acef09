"""Saving parsed plans: every sample lands whole, a file twice changes nothing, a revision keeps progress."""

import pytest
from django.db.models import Count

from departments.models import Unit
from departments.services import load_unit_directory
from importers.errors import PlanImportError
from importers.models import PlanImport
from importers.services import apply_import, import_file, preview_upload
from tasks.models import Assignment, Measure, Plan, ProgressUpdate
from tasks.services import record_progress
from tests.conftest import sample_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EXPECTED = {  # ../shared/plans/README.md
    "fengtai": (9, 34, 70),
    "mentougou": (6, 27, 68),
    "beijing": (6, 35, 64),
    "xicheng": (9, 33, None),
    "chaoyang": (9, 29, None),
}


@pytest.fixture
def directory():
    load_unit_directory()


def _import(name: str) -> Plan:
    result = import_file(data=sample_bytes(name), filename=f"{name}.txt")
    assert result.state == PlanImport.State.APPLIED
    return result.plan


@pytest.mark.parametrize("name", EXPECTED)
def test_each_sample_is_saved_with_the_counts_the_document_has(directory, name):
    plan = _import(name)
    chapters, tasks, measures = EXPECTED[name]
    assert plan.chapters.count() == chapters
    assert plan.tasks.count() == tasks
    if measures is not None:
        assert Measure.objects.filter(task__plan=plan).count() == measures
    assert plan.source_sha256 and len(plan.source_sha256) == 64


def test_fengtai_units_are_canonical_and_groups_expanded_to_the_districts_streets(directory):
    plan = _import("fengtai")
    measure = Measure.objects.get(task__plan=plan, code="1-1")
    leads = set(measure.assignments.filter(role=Assignment.Role.LEAD).values_list("unit__name", flat=True))
    assert {"区城市管理委", "区经济信息化委", "区住房城乡建设委", "区交通支队"} <= leads
    # 区商务委 became 区商务局: the assignment points at the current unit, remembering how it was written.
    renamed = measure.assignments.get(written_as="区商务委")
    assert renamed.unit.name == "区商务局"
    # 各街乡镇 (协办) stands for every street and town of 丰台区.
    assisting = measure.assignments.filter(role=Assignment.Role.ASSISTING).select_related("unit")
    streets = Unit.objects.filter(district="丰台区", kind=Unit.Kind.STREET_TOWN)
    assert {a.unit_id for a in assisting} == set(streets.values_list("pk", flat=True))
    assert all(a.unit.district == "丰台区" and a.written_as == "各街乡镇" for a in assisting)


def test_mentougou_deadlines_are_parsed_into_kinds_and_dates(directory):
    import datetime as dt

    plan = _import("mentougou")
    kinds = dict(
        Measure.objects.filter(task__plan=plan)
        .values_list("deadline_text")
        .annotate(n=Count("id"))
        .values_list("deadline_text", "deadline_kind")
    )
    assert kinds["年底前"] == Measure.DeadlineKind.DATED
    assert kinds["长期实施"] == Measure.DeadlineKind.ONGOING
    assert kinds["6-9月"] == Measure.DeadlineKind.WINDOW
    ongoing = Measure.objects.filter(task__plan=plan, deadline_text="长期实施")
    assert ongoing.exists() and not ongoing.filter(due_date__isnull=False).exists()
    assert Measure.objects.filter(task__plan=plan, deadline_text="年底前").first().due_date == dt.date(
        2023, 12, 31
    )
    assert Measure.objects.filter(task__plan=plan, deadline_text="采暖季前").first().due_date == dt.date(
        2023, 11, 15
    )


def test_chaoyang_leads_found_only_in_running_text_await_confirmation(directory):
    plan = _import("chaoyang")
    inferred = Assignment.objects.filter(measure__task__plan=plan, source=Assignment.Source.INFERRED)
    assert inferred.exists() and not inferred.filter(confirmed=True).exists()
    stated = Assignment.objects.filter(measure__task__plan=plan, source=Assignment.Source.STATED, role="lead")
    assert stated.filter(unit__name="区交通委").exists()


def test_the_same_file_again_is_recognised_and_changes_nothing(directory):
    plan = _import("beijing")
    before = Measure.objects.count(), Assignment.objects.count()
    again = import_file(data=sample_bytes("beijing"), filename="again.txt")
    assert again.state == PlanImport.State.UNCHANGED and again.plan == plan
    assert "未做任何改动" in again.summary["message"]
    assert (Measure.objects.count(), Assignment.objects.count()) == before
    assert Plan.objects.count() == 1


def test_a_revised_version_shows_its_diff_and_keeps_progress_on_unchanged_measures(directory):
    plan = _import("fengtai")
    unit = Unit.objects.get(district="丰台区", name="区城市管理委")
    staff = make_user("staff", "unit_staff", units=[unit])
    kept = Measure.objects.get(task__plan=plan, code="1-1")
    record_progress(
        measure=kept, user=staff, status=Measure.Status.IN_PROGRESS, note="已完成方案编制", percent=30
    )
    kept.refresh_from_db()
    reported = (kept.status, kept.percent)  # with several lead units, the mean of their percents

    text = sample_bytes("fengtai").decode("utf-8")
    changed_from = Measure.objects.get(task__plan=plan, code="2-1").text
    revised = text.replace(changed_from[:40], "（修订）" + changed_from[:40], 1)
    removed_text = Measure.objects.get(task__plan=plan, code="34-3").text
    revised = "\n".join(line for line in revised.splitlines() if removed_text[:30] not in line)
    preview = preview_upload(data=revised.encode("utf-8"), filename="fengtai-v2.txt")
    assert preview.state == PlanImport.State.PREVIEW and preview.plan == plan

    apply_import(plan_import=preview)
    preview.refresh_from_db()
    diff = preview.summary["diff"]
    assert diff["changed"] == ["2-1"]
    assert diff["removed"] == ["34-3"]
    assert diff["added"] == []
    kept.refresh_from_db()
    assert (kept.status, kept.percent) == reported and kept.status == Measure.Status.IN_PROGRESS
    assert ProgressUpdate.objects.filter(measure=kept).count() == 1
    assert Measure.objects.get(task__plan=plan, code="2-1").text.startswith("（修订）")
    assert Plan.objects.count() == 1


def test_a_failure_while_saving_leaves_nothing_half_written(directory):
    preview = preview_upload(data=sample_bytes("mentougou"), filename="m.txt")
    # A unit decision pointing at a unit that does not exist fails midway through the tree.
    preview.parsed["unit_resolution"]["unknown"] = ["虚构单位"]
    first_task = preview.parsed["chapters"][-1]["tasks"][-1]
    first_task["measures"][-1]["units_written"]["lead"] = ["虚构单位"]
    preview.save()
    with pytest.raises(PlanImportError, match="不存在"):
        apply_import(plan_import=preview, unit_decisions={"虚构单位": {"action": "map", "unit_id": 999999}})
    assert not Plan.objects.exists() and not Measure.objects.exists()
    preview.refresh_from_db()
    assert preview.state == PlanImport.State.PREVIEW


def test_a_confirmation_posted_twice_imports_once(directory):
    preview = preview_upload(data=sample_bytes("xicheng"), filename="x.txt")
    apply_import(plan_import=preview)
    with pytest.raises(PlanImportError, match="请勿重复提交"):
        apply_import(plan_import=preview)
    assert Plan.objects.count() == 1


def test_unknown_units_are_created_flagged_or_mapped_as_the_office_decides(directory):
    text = sample_bytes("fengtai").decode("utf-8").replace("区交通支队", "区新设机构", 1)
    preview = preview_upload(data=text.encode(), filename="f.txt")
    assert "区新设机构" in preview.parsed["unit_resolution"]["unknown"]
    assert any("区新设机构" in w for w in preview.parsed["warnings"])
    target = Unit.objects.get(district="丰台区", name="区交通支队")
    apply_import(plan_import=preview, unit_decisions={"区新设机构": {"action": "map", "unit_id": target.pk}})
    assert Assignment.objects.filter(written_as="区新设机构", unit=target).exists()
    assert not Unit.objects.filter(name="区新设机构").exists()

    Plan.objects.all().delete()
    preview = preview_upload(data=text.encode(), filename="f.txt")
    apply_import(plan_import=preview, unit_decisions={"区新设机构": {"action": "create"}})
    created = Unit.objects.get(name="区新设机构", district="丰台区")
    assert created.needs_review


def _revise(plan, replace: tuple[str, str] | None = None, drop_code: str | None = None) -> PlanImport:
    text = sample_bytes("fengtai").decode("utf-8")
    if replace:
        text = text.replace(*replace, 1)
    if drop_code:
        dropped = Measure.objects.get(task__plan=plan, code=drop_code).text
        text = "\n".join(line for line in text.splitlines() if dropped[:30] not in line)
    preview = preview_upload(data=text.encode("utf-8"), filename="fengtai-revised.txt")
    assert preview.plan == plan
    return preview


def test_a_measure_dropped_by_a_revision_keeps_its_records_and_is_flagged(directory, client):
    from django.urls import reverse

    from importers.services import preview_diff
    from tasks.models import HistoryEntry

    plan = _import("fengtai")
    measure = Measure.objects.get(task__plan=plan, code="8-2")
    unit = measure.assignments.first().unit
    staff = make_user("staff", "unit_staff", units=[unit])
    record_progress(measure=measure, user=staff, status=Measure.Status.IN_PROGRESS, note="推进中")

    preview = _revise(plan, drop_code="8-2")
    assert preview_diff(preview)["kept"] == ["8-2"]  # the office is told before confirming
    client.force_login(make_user("office", "office_admin"))
    page = client.get(reverse("importers:preview", args=[preview.pk])).content.decode()
    assert "其中 8-2 已有填报记录，导入后不会删除" in page
    apply_import(plan_import=preview)
    preview.refresh_from_db()
    assert preview.summary["diff"]["removed"] == ["8-2"] and preview.summary["diff"]["kept"] == ["8-2"]
    measure.refresh_from_db()
    assert measure.needs_review and measure.progress_updates.count() == 1
    entry = HistoryEntry.objects.filter(measure=measure, action=HistoryEntry.Action.IMPORT).get()
    assert "修订版中已无此措施" in entry.comment


def test_a_revision_that_changes_only_the_units_is_applied_and_recorded(directory):
    from tasks.models import HistoryEntry

    plan = _import("fengtai")
    measure = Measure.objects.get(task__plan=plan, code="1-1")
    line = next(row for row in sample_bytes("fengtai").decode().splitlines() if row.startswith("1\t1-1"))
    revised_line = line.replace("区交通支队", "区生态环境局")
    preview = _revise(plan, replace=(line, revised_line))
    assert preview.plan == plan
    from importers.services import preview_diff

    assert preview_diff(preview) == {"added": [], "changed": ["1-1"], "removed": [], "kept": []}
    apply_import(plan_import=preview)
    leads = set(measure.assignments.filter(role="lead").values_list("unit__name", flat=True))
    assert "区生态环境局" in leads and "区交通支队" not in leads
    entry = HistoryEntry.objects.get(measure=measure, action=HistoryEntry.Action.IMPORT)
    assert "区交通支队" in entry.changes["units"][0] and "区生态环境局" in entry.changes["units"][1]
