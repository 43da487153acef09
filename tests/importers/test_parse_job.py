"""Uploads are parsed by a Celery job: the upload request only stores the file, the page follows the job.

These tests send jobs through a real (in-memory) broker without running them, so that what the web
request does on its own is seen; the job is then run as a worker would run it.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from departments.services import load_unit_directory
from importers import jobs, services
from importers.models import PlanImport
from tasks.models import Plan
from tests.conftest import _point_celery_at, free_port, sample_bytes

pytestmark = pytest.mark.django_db


def _upload(client, data, filename):
    return client.post(
        reverse("importers:upload"), {"file": SimpleUploadedFile(filename, data), "district": ""}
    )


def test_a_17_mb_upload_is_stored_and_queued_without_being_parsed(office_client, jobs_queued_not_run):
    line = sample_bytes("mentougou").decode().splitlines()[5] + "\n"
    data = (line * (17 * 1024 * 1024 // len(line.encode()) + 1)).encode()
    assert len(data) > 17 * 1024 * 1024

    response = _upload(office_client, data, "大文件.txt")

    plan_import = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "importers:preview", args=[plan_import.pk]
    )
    # Nothing was parsed in the request: the job is queued, the file kept for it.
    assert plan_import.state == PlanImport.State.PARSING and plan_import.step == PlanImport.Step.QUEUED
    assert plan_import.parsed == {} and plan_import.job_sent_at is not None
    assert plan_import.file.size == len(data)
    page = office_client.get(response["Location"]).content.decode()
    assert "正在解析…" in page and reverse("importers:parse_status", args=[plan_import.pk]) in page


def test_the_page_shows_the_steps_and_the_preview_appears_when_the_job_is_done(
    office_client, jobs_queued_not_run
):
    response = _upload(office_client, sample_bytes("mentougou"), "mentougou.txt")
    plan_import = PlanImport.objects.get()
    status_url = reverse("importers:parse_status", args=[plan_import.pk])
    box = office_client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in box and "读取文件" in box and "识别结构" in box and "匹配单位" in box

    PlanImport.objects.filter(pk=plan_import.pk).update(step=PlanImport.Step.STRUCTURE)
    box = office_client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert '<progress max="3" value="2">' in box and '<li class="current" aria-current="step">识别结构' in box

    # The worker runs the job.
    assert jobs.parse_upload.apply(args=[plan_import.pk]).get() == PlanImport.State.PREVIEW
    done = office_client.get(status_url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"  # the page reloads into the preview
    page = office_client.get(response["Location"]).content.decode()
    assert '<strong id="count-measures">68</strong>' in page and not Plan.objects.exists()


def test_the_parse_reports_its_steps_in_order():
    load_unit_directory()
    steps = []
    services.previews.recognise(sample_bytes("fengtai"), "fengtai.txt", district="", on_step=steps.append)
    assert steps == ["structure", "units"]


def test_a_parse_job_delivered_twice_parses_once(office_admin):
    load_unit_directory()
    stored = services.store_upload(data=sample_bytes("fengtai"), filename="fengtai.txt", user=office_admin)
    assert services.parse_stored_upload(plan_import_id=stored.pk) == PlanImport.State.PREVIEW
    stored.refresh_from_db()
    parsed = stored.parsed
    services.update_import_metadata(plan_import=stored, fields={"title": "大气办改过的标题"})

    assert services.parse_stored_upload(plan_import_id=stored.pk) == PlanImport.State.PREVIEW
    stored.refresh_from_db()
    assert stored.parsed["title"] == "大气办改过的标题" and stored.parsed["chapters"] == parsed["chapters"]


def test_with_the_broker_down_the_upload_waits_and_is_sent_when_it_returns(
    office_client, jobs_queued_not_run
):
    _point_celery_at(
        jobs_queued_not_run, broker_url=f"redis://127.0.0.1:{free_port()}/0"
    )  # the broker is down
    response = _upload(office_client, sample_bytes("beijing"), "beijing.txt")
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.state == PlanImport.State.PARSING and plan_import.job_sent_at is None
    assert office_client.get(response["Location"]).status_code == 200  # 正在解析, never a 500

    _point_celery_at(jobs_queued_not_run, broker_url="memory://")  # the broker is back
    assert jobs.send_unsent_parses.apply().get() == 1
    plan_import.refresh_from_db()
    assert plan_import.job_sent_at is not None
    assert jobs.send_unsent_parses.apply().get() == 0


def test_previews_left_for_a_day_lose_their_file_and_tree_but_keep_the_record(office_client, office_admin):
    load_unit_directory()
    old, fresh, applied = (
        services.preview_upload(data=sample_bytes(name), filename=f"{name}.txt", user=office_admin)
        for name in ("fengtai", "beijing", "xicheng")
    )
    services.apply_import(plan_import=applied)
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    PlanImport.objects.filter(pk__in=[old.pk, applied.pk]).update(created_at=two_days_ago)
    storage, old_file = old.file.storage, old.file.name

    assert jobs.expire_stale_previews.apply().get() == 1

    old.refresh_from_db()
    assert old.state == PlanImport.State.EXPIRED and old.parsed == {} and not storage.exists(old_file)
    assert old.original_name == "fengtai.txt" and old.uploaded_by == office_admin
    fresh.refresh_from_db()
    applied.refresh_from_db()
    assert fresh.state == PlanImport.State.PREVIEW and fresh.parsed and storage.exists(fresh.file.name)
    assert applied.state == PlanImport.State.APPLIED and storage.exists(applied.file.name)
    page = office_client.get(reverse("importers:preview", args=[old.pk])).content.decode()
    assert "已被清理" in page and reverse("importers:upload") in page
    assert jobs.expire_stale_previews.apply().get() == 0  # run again: nothing left to do


def test_the_cleanup_and_the_resend_are_scheduled():
    from django.conf import settings

    from bluesky.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("importers.jobs.expire_stale_previews", "importers.jobs.send_unsent_parses"):
        assert name in scheduled and name in app.tasks
