"""月报 attachments (佐证材料, checked as progress evidence is) and 撤回 before review; no duplicate saves."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import MonthlyReport, ReportAttachment, ReportHistoryEntry
from reports.services import (
    accept_report,
    get_or_create_report,
    return_report,
    save_report_draft,
    submit_report,
    withdraw_report,
)
from tasks.services import UploadedFile
from tests.workflow.conftest import pdf_bytes, png_bytes, report_url

pytestmark = pytest.mark.django_db

State = MonthlyReport.State


def submitted(world, period, **kwargs):
    report = get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a)
    return submit_report(report=report, user=world.staff_a, summary="本月完成锅炉改造", **kwargs)


# --- services ---------------------------------------------------------------------


def test_submitting_with_evidence_stores_the_files_under_the_report(world, period):
    report = submitted(world, period, files=[UploadedFile(name="验收单.pdf", data=pdf_bytes())])
    (attachment,) = report.attachments.all()
    assert (attachment.original_name, attachment.extension, attachment.uploaded_by) == (
        "验收单.pdf",
        "pdf",
        world.staff_a,
    )
    assert attachment.file.read() == pdf_bytes()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_saved(world, period):
    report = get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a)
    with pytest.raises(ValidationError) as refused:
        submit_report(
            report=report,
            user=world.staff_a,
            summary="小结",
            files=[UploadedFile(name="照片.png", data=b"MZ\x90\x00 not an image")],
        )
    assert "不是可接受的文件类型" in refused.value.message_dict["files"][0]
    report.refresh_from_db()
    assert report.state == State.DRAFT and report.summary == ""
    assert not ReportAttachment.objects.exists()


def test_the_same_form_posted_twice_saves_once(world, period):
    token = uuid.uuid4()
    files = [UploadedFile(name="a.png", data=png_bytes())]
    first = submitted(world, period, files=files, submission=token, expected_version=1)
    again = submit_report(
        report=first,
        user=world.staff_a,
        summary="本月完成锅炉改造",
        files=files,
        submission=token,
        expected_version=1,
    )
    assert again.version == first.version
    assert ReportAttachment.objects.count() == 1
    assert ReportHistoryEntry.objects.filter(action=ReportHistoryEntry.Action.SUBMIT).count() == 1


def test_a_draft_saved_twice_by_the_same_form_keeps_one_set_of_files(world, period):
    report = get_or_create_report(unit=world.unit_a, period=period, user=world.staff_a)
    token, files = uuid.uuid4(), [UploadedFile(name="a.pdf", data=pdf_bytes())]
    for _ in range(2):
        save_report_draft(report=report, user=world.staff_a, summary="草稿", files=files, submission=token)
    assert ReportAttachment.objects.count() == 1


def test_withdraw_returns_a_first_submission_to_draft_with_history(world, period):
    report = submitted(world, period)
    report = withdraw_report(report=report, user=world.staff_a, expected_version=report.version)
    assert report.state == State.DRAFT
    assert report.first_submitted_at is None  # timeliness is that of the next submission
    entry = ReportHistoryEntry.objects.get(action=ReportHistoryEntry.Action.WITHDRAW)
    assert entry.actor == world.staff_a and entry.changes == {"state": ["已报送", "草稿"]}
    again = submit_report(report=report, user=world.staff_a, summary="补充后重新报送")
    assert again.state == State.SUBMITTED


def test_withdrawing_a_resubmission_goes_back_to_returned(world, period):
    report = submitted(world, period)
    return_report(report=report, user=world.office, comment="请附验收材料")
    report = submit_report(report=report, user=world.staff_a, summary="已补充")
    assert withdraw_report(report=report, user=world.staff_a).state == State.RETURNED


@pytest.mark.parametrize("review", ["accept", "return"])
def test_a_reviewed_report_cannot_be_withdrawn(world, period, review):
    report = submitted(world, period)
    if review == "accept":
        accept_report(report=report, user=world.office)
    else:
        return_report(report=report, user=world.office, comment="补充材料")
    with pytest.raises(ValidationError, match="不能撤回"):
        withdraw_report(report=report, user=world.staff_a)


def test_only_the_units_staff_withdraw_not_another_unit_viewers_or_the_office(world, period):
    report = submitted(world, period)
    for user in (world.staff_b, world.viewer, world.office):
        with pytest.raises(PermissionDenied):
            withdraw_report(report=report, user=user)
    assert MonthlyReport.objects.get().state == State.SUBMITTED


# --- pages --------------------------------------------------------------------------


def post_report(client, world, period, *, summary, files=(), action="submit", **extra):
    data = {"summary": summary, "action": action, "version": 1, **extra}
    if files:
        data["files"] = list(files)
    return client.post(report_url(world, period), data)


def test_the_form_carries_a_one_time_token_and_takes_files(client, world, period):
    client.force_login(world.staff_a)
    body = client.get(report_url(world, period)).content.decode()
    assert 'name="submission"' in body and 'enctype="multipart/form-data"' in body
    assert 'type="file" name="files"' in body


def test_attachments_are_shown_and_downloadable_by_readers_only(client, world, period):
    client.force_login(world.staff_a)
    response = post_report(
        client, world, period, summary="小结", files=[SimpleUploadedFile("现场照片.png", png_bytes())]
    )
    assert response.status_code == 302
    attachment = ReportAttachment.objects.get()
    download = reverse("reports:attachment", args=[attachment.pk])
    for user in (world.staff_a, world.office, world.viewer):
        client.force_login(user)
        assert "现场照片.png" in client.get(report_url(world, period)).content.decode()
        got = client.get(download)
        assert got.status_code == 200 and b"".join(got.streaming_content) == png_bytes()
        assert "attachment" in got["Content-Disposition"]
    client.force_login(world.staff_b)
    assert client.get(download).status_code == 403


def test_a_refused_file_says_why_in_chinese_and_keeps_the_typed_text(client, world, period):
    client.force_login(world.staff_a)
    response = post_report(
        client,
        world,
        period,
        summary="本月完成三台锅炉改造，详见附件",
        files=[SimpleUploadedFile("验收.pdf", b"this is plain text pretending")],
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "不是可接受的文件类型" in body
    assert "本月完成三台锅炉改造，详见附件" in body
    assert "请重新选择文件" in body
    assert not ReportAttachment.objects.exists()


def test_back_button_and_submit_again_records_once(client, world, period):
    client.force_login(world.staff_a)
    token = str(uuid.uuid4())
    files = lambda: [SimpleUploadedFile("a.pdf", pdf_bytes())]  # noqa: E731
    for _ in range(2):
        response = post_report(client, world, period, summary="小结", files=files(), submission=token)
        assert response.status_code == 302
    assert ReportAttachment.objects.count() == 1
    assert MonthlyReport.objects.get().version == 2


def test_withdraw_page_flow_leaves_the_queue_and_can_be_resubmitted(client, world, period):
    client.force_login(world.staff_a)
    post_report(client, world, period, summary="第一次报送")
    report = MonthlyReport.objects.get()
    client.force_login(world.office)
    assert "区生态环境局" in client.get(reverse("reports:review_queue")).content.decode()
    client.force_login(world.staff_a)
    assert "撤回月报" in client.get(report_url(world, period)).content.decode()
    response = client.post(
        reverse("reports:withdraw", args=[report.pk]), {"version": report.version}, follow=True
    )
    assert "已撤回" in response.content.decode()
    assert MonthlyReport.objects.get().state == State.DRAFT
    client.force_login(world.office)
    assert "区生态环境局" not in client.get(reverse("reports:review_queue")).content.decode()
    client.force_login(world.staff_a)
    response = post_report(
        client, world, period, summary="修改后报送", version=MonthlyReport.objects.get().version
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get().state == State.SUBMITTED


def test_withdraw_after_review_gives_a_chinese_message(client, world, period):
    report = submitted(world, period)
    accept_report(report=report, user=world.office)
    client.force_login(world.staff_a)
    assert "撤回月报" not in client.get(report_url(world, period)).content.decode()
    response = client.post(reverse("reports:withdraw", args=[report.pk]), {"version": 99}, follow=True)
    assert "不能撤回" in response.content.decode()
    assert MonthlyReport.objects.get().state == State.ACCEPTED


def test_another_unit_and_the_office_cannot_withdraw_through_the_page(client, world, period):
    report = submitted(world, period)
    for user in (world.staff_b, world.office):
        client.force_login(user)
        assert "撤回月报" not in client.get(report_url(world, period)).content.decode()
        assert client.post(reverse("reports:withdraw", args=[report.pk])).status_code == 403
    assert MonthlyReport.objects.get().state == State.SUBMITTED


def test_a_file_over_the_size_limit_is_refused_before_reading_and_the_text_stays(
    client, world, period, settings
):
    settings.BLUESKY_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(world.staff_a)
    big = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = post_report(client, world, period, summary="附扫描件", files=[big])
    body = response.content.decode()
    assert "超过 1 MB" in body and "附扫描件" in body
    assert not MonthlyReport.objects.exists() and not ReportAttachment.objects.exists()


def test_the_review_queue_counts_each_reports_evidence_files(client, world, period):
    submitted(world, period, files=[UploadedFile(name=f"{n}.png", data=png_bytes()) for n in range(2)])
    client.force_login(world.office)
    body = client.get(reverse("reports:review_queue")).content.decode()
    assert "佐证材料" in body and "2 个" in body
