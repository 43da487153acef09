"""The office uploads a unit directory in the admin: 检查 lists every error by row and column, 载入 loads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Jurisdiction, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing")]
URL = reverse("admin:departments_unit_load")
GOOD = "名称,类型,所属行政区划,别名\n区生态环境局,区级委办局,110106,丰台区生态环境局\n"
BAD = "名称,类型,所属行政区划\n区生态环境局,区级委办局,火星区\n区水务局,部门,110106\n"


def upload(client, text: str, button: str):
    return client.post(URL, {"file": SimpleUploadedFile("units.csv", text.encode()), button: "1"})


def test_checking_shows_what_would_be_added_and_writes_nothing(client, office_admin):
    client.force_login(office_admin)
    page = upload(client, GOOD, "check").content.decode()
    assert "检查通过" in page and "新增 1 个单位" in page
    assert not Unit.objects.exists()


def test_loading_writes_the_units_with_their_jurisdiction(client, office_admin):
    client.force_login(office_admin)
    assert "已载入" in upload(client, GOOD, "load").content.decode()
    assert Unit.objects.get().jurisdiction == Jurisdiction.objects.get(code="110106")


def test_a_bad_file_lists_each_error_in_chinese_and_loads_nothing(client, office_admin):
    client.force_login(office_admin)
    page = upload(client, BAD, "load").content.decode()
    assert "发现 2 处错误，未载入任何内容" in page
    assert "找不到行政区划“火星区”" in page and "类型“部门”无效" in page
    assert not Unit.objects.exists()


def test_a_viewer_cannot_load_units(client, viewer):
    client.force_login(viewer)
    assert upload(client, GOOD, "load").status_code == 403
    assert not Unit.objects.exists()


def test_the_jurisdiction_tree_is_searchable_in_the_admin(client, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("admin:departments_jurisdiction_changelist"), {"q": "丰台"}).content.decode()
    assert "110106" in page and "110105" not in page


def test_moving_a_unit_to_another_district_in_the_admin_updates_its_district_label(client, office_admin):
    client.force_login(office_admin)
    unit = Unit.objects.create(name="区水务局", kind="district_bureau", district="丰台区")
    mentougou = Jurisdiction.objects.get(code="110109")
    client.post(
        reverse("admin:departments_unit_change", args=[unit.pk]),
        {
            "name": "区水务局",
            "kind": "district_bureau",
            "district": "丰台区",
            "jurisdiction": mentougou.pk,
            "is_active": "on",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    unit.refresh_from_db()
    assert (unit.jurisdiction, unit.district) == (mentougou, "门头沟区")
