"""An imported plan belongs to a jurisdiction: the preview proposes the one its text names, the office may pick another."""

import pytest
from django.urls import reverse

from departments.models import Jurisdiction, Unit
from departments.services import load_unit_directory
from importers.services import apply_import, import_file, preview_upload
from tasks.models import Assignment, Plan
from tests.conftest import sample_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def directory(db):
    load_unit_directory()  # Beijing's directory, with Beijing's divisions


def test_a_district_plan_is_proposed_its_district_and_its_units_match_there():
    result = import_file(data=sample_bytes("fengtai"), filename="fengtai.txt")
    fengtai = Jurisdiction.objects.get(code="110106")
    assert (result.plan.jurisdiction, result.plan.district) == (fengtai, "丰台区")
    assert result.parsed["metadata_sources"]["jurisdiction"] == "按所属区和发文机关推断"
    districts = set(
        Assignment.objects.filter(measure__task__plan=result.plan)
        .exclude(unit__jurisdiction__code="110000")
        .values_list("unit__jurisdiction__code", flat=True)
    )
    assert districts == {"110106"}


def test_a_municipal_plan_belongs_to_the_city():
    result = import_file(data=sample_bytes("beijing"), filename="beijing.txt")
    assert result.plan.jurisdiction.code == "110000"
    assert Plan.objects.within(Jurisdiction.objects.get(code="110000")).get() == result.plan


def test_the_office_picks_another_jurisdiction_in_the_preview_and_the_plan_gets_it(client, office_admin):
    client.force_login(office_admin)
    preview = preview_upload(data=sample_bytes("fengtai"), filename="fengtai.txt")
    assert preview.parsed["jurisdiction"] == "110106"
    page = client.get(reverse("importers:preview", args=[preview.pk])).content.decode()
    assert "丰台区（110106）" in page and "所属行政区划" in page

    bad = client.post(reverse("importers:edit_metadata", args=[preview.pk]), {"meta-jurisdiction": "火星区"})
    assert "找不到行政区划“火星区”" in client.get(bad.url).content.decode()
    client.post(reverse("importers:edit_metadata", args=[preview.pk]), {"meta-jurisdiction": "门头沟区"})
    preview.refresh_from_db()
    assert (preview.parsed["jurisdiction"], preview.parsed["district"]) == ("110109", "门头沟区")
    assert preview.parsed["metadata_sources"]["jurisdiction"] == "大气办填写"

    plan = apply_import(plan_import=preview, unit_decisions={})
    assert (plan.jurisdiction.code, plan.district) == ("110109", "门头沟区")
    created = Unit.objects.filter(needs_review=True)
    assert set(created.values_list("jurisdiction__code", flat=True)) <= {"110109"}
