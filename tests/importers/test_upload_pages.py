"""Upload → preview → confirm in the browser, for office administrators only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importers.models import PlanImport
from tasks.models import Measure, Plan
from tests.conftest import sample_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _upload(client, name="mentougou", data=None, filename=None, district=""):
    upload = SimpleUploadedFile(filename or f"{name}.txt", data if data is not None else sample_bytes(name))
    return client.post(reverse("importers:upload"), {"file": upload, "district": district})


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(office_client):
    response = _upload(office_client)
    assert response.status_code == 302
    preview = PlanImport.objects.get()
    page = office_client.get(response["Location"]).content.decode()
    assert "北京市门头沟区大气污染防治2023年行动计划" in page
    assert '<strong id="count-tasks">27</strong>' in page
    assert '<strong id="count-measures">68</strong>' in page
    assert "重复出现" in page  # the duplicate-row warning is shown
    assert not Plan.objects.exists()

    data = {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"}
    response = office_client.post(reverse("importers:preview", args=[preview.pk]), data)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plan_detail", args=[plan.pk])
    assert Measure.objects.filter(task__plan=plan).count() == 68
    chapter = Measure.objects.get(task__plan=plan, task__title="强化道路扬尘管控", code="16-1").task.chapter
    page = office_client.get(response["Location"] + f"?chapter={chapter.number}").content.decode()
    assert "强化道路扬尘管控" in page


def test_unknown_unit_names_ask_for_a_decision(office_client):
    data = sample_bytes("fengtai").decode().replace("区交通支队", "区新设机构", 1).encode()
    response = _upload(office_client, data=data, filename="fengtai.txt")
    page = office_client.get(response["Location"]).content.decode()
    assert "名录中没有的单位" in page and "区新设机构" in page
    preview = PlanImport.objects.get()
    form = {
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "1",
        "units-0-name": "区新设机构",
        "units-0-action": "map",
        "units-0-unit": "",
    }
    page = office_client.post(reverse("importers:preview", args=[preview.pk]), form).content.decode()
    assert "请选择要对应的单位" in page
    assert not Plan.objects.exists()
    form["units-0-action"] = "ignore"
    assert office_client.post(reverse("importers:preview", args=[preview.pk]), form).status_code == 302
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.docx", b"", "空"),
        ("fake.docx", b"this is not a word file at all", ".docx"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "不支持"),
    ],
)
def test_an_upload_refused_on_sight_gets_a_chinese_message_at_once(office_client, filename, data, message):
    response = _upload(office_client, data=data, filename=filename)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="file-errors"' in page
    assert not Plan.objects.exists() and not PlanImport.objects.exists()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".docx"),
        ("notes.txt", "会议纪要：今天天气很好。".encode(), "没有找到可识别的重点任务"),
    ],
)
def test_a_file_that_does_not_parse_shows_the_chinese_reason_and_a_way_back(
    office_client, filename, data, message
):
    response = _upload(office_client, data=data, filename=filename)
    assert response.status_code == 302
    page = office_client.get(response["Location"]).content.decode()
    assert message in page and 'id="parse-error"' in page
    assert reverse("importers:upload") in page  # 重新上传
    assert not Plan.objects.exists()
    failed = PlanImport.objects.get()
    assert failed.state == PlanImport.State.FAILED and failed.file.read() == data  # the upload is kept


def test_the_same_file_twice_says_so_and_changes_nothing(office_client):
    _upload(office_client, "xicheng")
    preview = PlanImport.objects.get()
    office_client.post(
        reverse("importers:preview", args=[preview.pk]),
        {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"},
    )
    response = _upload(office_client, "xicheng")
    assert response.status_code == 302
    follow = office_client.get(response["Location"])
    assert "未做任何改动" in follow.content.decode()
    assert Plan.objects.count() == 1


def test_cancel_discards_the_preview(office_client):
    _upload(office_client, "beijing")
    preview = PlanImport.objects.get()
    office_client.post(reverse("importers:cancel", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.state == PlanImport.State.CANCELLED
    response = office_client.post(
        reverse("importers:preview", args=[preview.pk]),
        {"units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200 and not Plan.objects.exists()


@pytest.mark.parametrize("role", ["unit_staff", "viewer"])
def test_only_office_administrators_may_import(client, role):
    client.force_login(make_user("someone", role))
    assert client.get(reverse("importers:upload")).status_code == 403
    assert _upload(client).status_code == 403
    assert not PlanImport.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("importers:upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_preview_numbers_chapters_as_the_plan_does(office_client):
    page = office_client.get(_upload(office_client)["Location"]).content.decode()
    assert "<h2>二、实施挥发性有机物（VOCs）治理专项行动</h2>" in page
    assert "<h2>2. " not in page


def test_chapter_numerals_go_beyond_ten():
    from importers.templatetags.plan_numbering import chapter_numeral

    assert [chapter_numeral(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
