"""The measure page: text, units, every unit's latest progress, the progress form, evidence, history, office actions.

Also: a blank percent keeps the measure's, office actions ask first, a signed-off measure shows a notice
instead of the form, and a refused form says why and which files to choose again. One file for the one page
(over 400 lines: the page's behaviours belong together).
"""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import html

from tasks.models import Assignment, Evidence, HistoryEntry, Measure, ProgressUpdate
from tasks.services import StaleEdit, UploadedFile, record_progress, sign_off_measure
from tests.factories import UnitFactory

from .conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def page(measure):
    return reverse("measure_detail", args=[measure.pk])


def progress_url(measure):
    return reverse("measure_progress", args=[measure.pk])


def test_staff_see_text_units_milestones_and_the_form(client, world):
    world.measure_a.milestones.create(date="2026-06-30", text="2026年6月底前")
    client.force_login(world.staff_a)
    response = client.get(page(world.measure_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "完成燃煤锅炉清洁能源改造" in body and "2026年6月底前" in body
    assert "牵头：区生态环境局" in body and "协办：区城市管理委" in body
    assert f'name="version" value="{world.measure_a.version}"' in body
    for label in ("未启动", "推进中", "已完成", "长期推进", "无法按期完成"):
        assert label in body


def test_a_lead_unit_sees_what_its_assisting_unit_reported(client, world):
    record_progress(
        measure=world.measure_a, user=world.staff_b, status="in_progress", note="协办单位已完成摸底排查"
    )
    client.force_login(world.staff_a)
    latest = client.get(page(world.measure_a)).context["latest"]
    assert [(p.unit.name, p.note) for p in latest] == [("区城市管理委", "协办单位已完成摸底排查")]


def test_progress_with_evidence_files_is_saved_and_recorded(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "percent": "40",
            "note": "已改造 12 台锅炉",
            "version": world.measure_a.version,
            "unit": world.unit_a.pk,
            "files": [
                SimpleUploadedFile("现场照片.png", png_bytes()),
                SimpleUploadedFile("验收报告.pdf", pdf_bytes()),
            ],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.unit, update.author, update.status, update.percent) == (
        world.unit_a,
        world.staff_a,
        "in_progress",
        40,
    )
    assert sorted(e.original_name for e in update.evidence.all()) == ["现场照片.png", "验收报告.pdf"]
    world.measure_a.refresh_from_db()
    assert (world.measure_a.status, world.measure_a.version) == ("in_progress", 2)
    body = client.get(page(world.measure_a)).content.decode()
    assert "状态：未启动 → 推进中" in body and "完成百分比：— → 40" in body and "现场照片.png" in body


def test_a_stale_edit_is_refused_and_the_users_text_kept(client, world):
    client.force_login(world.staff_a)
    loaded_version = world.measure_a.version
    record_progress(measure=world.measure_a, user=world.staff_b, status="in_progress", note="同事先保存了")
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "done",
            "note": "我写了很长的一段进展说明",
            "version": loaded_version,
            "unit": world.unit_a.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert StaleEdit.message in body
    assert "我写了很长的一段进展说明" in body
    assert f'name="version" value="{loaded_version + 1}"' in body  # having seen it, the user may submit again
    assert ProgressUpdate.objects.count() == 1
    world.measure_a.refresh_from_db()
    assert (
        world.measure_a.status == "not_started"
    )  # the refused "done" changed nothing (B assists: its part only)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "delayed", "note": "资金未到位"}, "选择“无法按期完成”时请说明原因。"),
        ({"status": "in_progress", "note": ""}, "请填写进展情况。"),
        ({"status": "in_progress", "note": "进展", "percent": "120"}, "完成百分比应在 0 到 100 之间。"),
    ],
)
def test_bad_input_re_renders_with_a_chinese_message_and_nothing_written(client, world, data, message):
    client.force_login(world.staff_a)
    response = client.post(progress_url(world.measure_a), {**data, "version": 1, "unit": world.unit_a.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if data["note"]:
        assert data["note"] in body
    assert not ProgressUpdate.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "附上材料",
            "version": 1,
            "unit": world.unit_a.pk,
            "files": [SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 this is an executable")],
        },
    )
    assert response.status_code == 200
    assert "不是可接受的文件类型" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_files_too_large_together_are_refused_before_anything_is_saved(client, world, settings):
    settings.BLUESKY_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.BLUESKY_MAX_UPLOAD_TOTAL_BYTES = 2 * 1024 * 1024
    client.force_login(world.staff_a)
    each = pdf_bytes() + b"0" * (900 * 1024)  # under the per-file limit; three of them are over the total
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "三份材料一起上传",
            "version": 1,
            "unit": world.unit_a.pk,
            "files": [
                SimpleUploadedFile(f"材料{n}.pdf", each, content_type="application/pdf") for n in range(3)
            ],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "合计超过 2 MB" in body and "三份材料一起上传" in body
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()

    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "两份材料",
            "version": 1,
            "unit": world.unit_a.pk,
            "files": [
                SimpleUploadedFile(f"材料{n}.pdf", each, content_type="application/pdf") for n in range(2)
            ],
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 2


def test_evidence_downloads_under_its_original_name(client, world):
    update = record_progress(
        measure=world.measure_a,
        user=world.staff_a,
        status="in_progress",
        note="照片",
        files=[UploadedFile("现场 照片.png", png_bytes())],
    )
    evidence = update.evidence.get()
    assert (
        evidence.file.name.endswith(".png") and "现场" not in evidence.file.name
    )  # stored under a safe name
    client.force_login(world.staff_b)  # the assisting unit reads the lead's evidence
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert quote("现场 照片.png") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == png_bytes()


def test_office_reassigns_units_and_signs_off_with_history(client, world):
    unit_c = UnitFactory(name="区交通委")
    client.force_login(world.office)
    response = client.post(
        reverse("assignment_add", args=[world.measure_a.pk]),
        {"assign-unit": unit_c.pk, "assign-role": "assisting", "assign-comment": "新增协办"},
    )
    assert response.status_code == 302
    assert world.measure_a.assignments.filter(unit=unit_c, role="assisting").exists()
    assignment = world.measure_a.assignments.get(unit=world.unit_b)
    client.post(
        reverse("assignment_remove", args=[world.measure_a.pk, assignment.pk]), {"comment": "职责调整"}
    )
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    client.post(reverse("measure_sign_off", args=[world.measure_a.pk]), {"comment": "经核实已完成"})
    world.measure_a.refresh_from_db()
    assert world.measure_a.signed_off_at is not None and world.measure_a.status == Measure.Status.DONE
    assert list(HistoryEntry.objects.filter(measure=world.measure_a).values_list("action", flat=True)) == [
        "sign_off",
        "assignment",
        "assignment",
    ]
    body = client.get(page(world.measure_a)).content.decode()
    assert "责任单位：区城市管理委（协办） → —" in body and "销号：否 → 是" in body and "已销号" in body


def test_a_signed_off_measure_takes_no_more_progress(client, world):
    from tasks.services import sign_off_measure

    sign_off_measure(measure=world.measure_a, user=world.office)
    world.measure_a.refresh_from_db()
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "销号后又填报",
            "version": world.measure_a.version,
            "unit": world.unit_a.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "已经销号" in body and "销号后又填报" in body
    assert not ProgressUpdate.objects.exists()


def test_the_report_service_refuses_another_units_existing_report(world):
    import datetime as dt

    from django.core.exceptions import PermissionDenied

    from reports.services import get_or_create_report

    get_or_create_report(unit=world.unit_b, period=dt.date(2025, 9, 1), user=world.staff_b)
    with pytest.raises(PermissionDenied):
        get_or_create_report(unit=world.unit_b, period=dt.date(2025, 9, 1), user=world.staff_a)


def form_posting_to(body: str, url: str):
    forms = html.fromstring(body).xpath("//form[@action=$url]", url=url)
    assert len(forms) == 1, f"expected one form posting to {url}"
    return forms[0]


# 1. A blank percent is "not given": the measure keeps its percent.


def test_a_progress_update_without_a_percent_keeps_the_measures_percent(client, world):
    record_progress(
        measure=world.measure_a, user=world.staff_a, status="in_progress", percent=66, note="完成三分之二"
    )
    world.measure_a.refresh_from_db()
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "percent": "",
            "note": "本月继续推进",
            "version": world.measure_a.version,
            "unit": world.unit_a.pk,
        },
    )
    assert response.status_code == 302
    world.measure_a.refresh_from_db()
    assert world.measure_a.percent == 66
    assert ProgressUpdate.objects.latest("pk").percent is None  # the update itself gave none
    body = client.get(page(world.measure_a)).content.decode()
    assert "完成百分比：66 → —" not in body and "66%" in body


def test_a_given_percent_still_replaces_the_measures_percent(world):
    record_progress(
        measure=world.measure_a, user=world.staff_a, status="in_progress", percent=66, note="过半"
    )
    record_progress(
        measure=world.measure_a, user=world.staff_a, status="in_progress", percent=0, note="重新核定"
    )
    world.measure_a.refresh_from_db()
    assert world.measure_a.percent == 0


def test_done_without_a_percent_counts_as_one_hundred(world):
    record_progress(
        measure=world.measure_a, user=world.staff_a, status="in_progress", percent=66, note="过半"
    )
    update = record_progress(measure=world.measure_a, user=world.staff_a, status="done", note="全部完成")
    world.measure_a.refresh_from_db()
    assert (update.percent, world.measure_a.percent) == (100, 100)
    assert world.measure_a.status == Measure.Status.DONE


# 2. Signing off and removing a unit ask for confirmation first (the dialog itself is the browser's).


def test_sign_off_and_unit_removal_ask_for_confirmation(client, world):
    client.force_login(world.office)
    body = client.get(page(world.measure_a)).content.decode()

    sign_off = form_posting_to(body, reverse("measure_sign_off", args=[world.measure_a.pk]))
    assert sign_off.get("onsubmit") is None  # static/js/bluesky.js asks (no inline script under the CSP)
    assert sign_off.get("data-confirm") == (
        "确认将措施 1-1 销号？销号后该措施不再接受进展填报，且不能在页面上撤销。"
    )

    assisting = world.measure_a.assignments.get(unit=world.unit_b)
    remove = form_posting_to(body, reverse("assignment_remove", args=[world.measure_a.pk, assisting.pk]))
    assert remove.get("onsubmit") is None
    assert remove.get("data-confirm") == (
        "确认移除协办单位“区城市管理委”？移除后该单位不再作为协办单位承担这项措施。"
    )


# 3. A signed-off measure shows a notice, not the form; the server still refuses a late submission.


def test_a_signed_off_measure_shows_a_notice_instead_of_the_progress_form(client, world):
    sign_off_measure(measure=world.measure_a, user=world.office)
    world.measure_a.refresh_from_db()
    client.force_login(world.staff_a)
    body = client.get(page(world.measure_a)).content.decode()
    signed_off_on = timezone.localdate(world.measure_a.signed_off_at)  # shown in the site's time zone
    assert f"该措施已于 {signed_off_on:%Y-%m-%d} 销号，不再接受进展填报。" in body
    assert not html.fromstring(body).xpath("//form[@action=$url]", url=progress_url(world.measure_a))
    assert "保存进展" not in body


def test_a_late_submission_on_a_signed_off_measure_is_refused_and_its_text_shown(client, world):
    client.force_login(world.staff_a)
    loaded_version = world.measure_a.version
    sign_off_measure(measure=world.measure_a, user=world.office)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "打开页面后才销号",
            "version": loaded_version,
            "unit": world.unit_a.pk,
        },
    )
    body = response.content.decode()
    assert response.status_code == 409  # someone (the office) saved first
    assert "销号，不再接受进展填报。" in body and "打开页面后才销号" in body
    assert not html.fromstring(body).xpath("//form[@action=$url]", url=progress_url(world.measure_a))
    assert not ProgressUpdate.objects.exists()


# 4. A refused form says at the top why, and which chosen files must be chosen again.


def test_a_refused_form_summarises_its_errors_and_asks_to_choose_the_files_again(client, world):
    client.force_login(world.staff_a)
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "delayed",
            "note": "资金未到位",
            "version": world.measure_a.version,
            "unit": world.unit_a.pk,
            "files": [
                SimpleUploadedFile("现场照片.png", png_bytes()),
                SimpleUploadedFile("验收报告.pdf", pdf_bytes()),
            ],
        },
    )
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    summary = tree.get_element_by_id("progress-errors")
    summary_text = summary.text_content()
    assert "进展未保存" in summary_text
    assert "无法按期完成的原因：选择“无法按期完成”时请说明原因。" in summary_text
    assert "您选择的 2 个文件尚未上传，请重新选择。" in summary_text
    # The summary comes before the measure's card and the progress tables; the form is far below.
    main = summary.getparent()
    assert main.index(summary) < main.index(tree.get_element_by_id("progress-form"))
    notice = tree.get_element_by_id("files-not-uploaded")
    assert notice.text_content().strip() == "您选择的 2 个文件尚未上传，请重新选择。"
    assert notice.getparent().xpath(".//input[@type='file' and @name='files']")  # beside the file input
    assert not ProgressUpdate.objects.exists()


def test_a_stale_edit_with_files_asks_to_choose_them_again(client, world):
    client.force_login(world.staff_a)
    loaded_version = world.measure_a.version
    record_progress(measure=world.measure_a, user=world.staff_b, status="in_progress", note="同事先保存了")
    response = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "我的进展",
            "version": loaded_version,
            "unit": world.unit_a.pk,
            "files": [SimpleUploadedFile("现场照片.png", png_bytes())],
        },
    )
    assert response.status_code == 409
    tree = html.fromstring(response.content.decode())
    assert "已被他人更新" in tree.get_element_by_id("progress-errors").text_content()
    assert (
        tree.get_element_by_id("files-not-uploaded").text_content().strip()
        == "您选择的 1 个文件尚未上传，请重新选择。"
    )


def test_a_refused_form_without_files_has_no_file_notice_and_a_fresh_page_no_summary(client, world):
    client.force_login(world.staff_a)
    body = client.post(
        progress_url(world.measure_a),
        {
            "status": "in_progress",
            "note": "",
            "version": world.measure_a.version,
            "unit": world.unit_a.pk,
        },
    ).content.decode()
    assert (
        "进展情况：请填写进展情况。"
        in html.fromstring(body).get_element_by_id("progress-errors").text_content()
    )
    assert "尚未上传" not in body
    body = client.get(page(world.measure_a)).content.decode()
    assert 'id="progress-errors"' not in body and "尚未上传" not in body


def test_a_deadline_the_document_left_out_shows_its_date_not_a_dash(client, world):
    import datetime as dt

    Measure.objects.filter(pk=world.measure_a.pk).update(
        deadline_text="", due_date=dt.date(2019, 12, 31), deadline_guessed=True
    )
    client.force_login(world.staff_a)
    body = client.get(reverse("measure_detail", args=[world.measure_a.pk])).content.decode()
    deadline = body[body.index("data-deadline>") + len("data-deadline>") :]
    deadline = deadline[: deadline.index("</dd>")]
    assert deadline == "2019-12-31（文件未写明，推定）"
