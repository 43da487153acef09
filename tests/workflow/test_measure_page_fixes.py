"""The measure page after the walk-through: a blank percent keeps the measure's, office actions ask first,
a signed-off measure shows a notice instead of the form, and a refused form says why and which files to
choose again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import html

from tasks.models import Measure, ProgressUpdate
from tasks.services import record_progress, sign_off_measure

from .conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def page(measure):
    return reverse("measure_detail", args=[measure.pk])


def progress_url(measure):
    return reverse("measure_progress", args=[measure.pk])


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
    assert sign_off.get("onsubmit") == "return confirm(this.dataset.confirm)"
    assert sign_off.get("data-confirm") == (
        "确认将措施 1-1 销号？销号后该措施不再接受进展填报，且不能在页面上撤销。"
    )

    assisting = world.measure_a.assignments.get(unit=world.unit_b)
    remove = form_posting_to(body, reverse("assignment_remove", args=[world.measure_a.pk, assisting.pk]))
    assert remove.get("onsubmit") == "return confirm(this.dataset.confirm)"
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
