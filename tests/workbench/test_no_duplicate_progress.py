"""A progress form posted twice (double click, back button and save again, retry) records one update."""

import re
import uuid

from django.urls import reverse

from tasks.models import Assignment, HistoryEntry, ProgressUpdate
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user


def _setup(client):
    unit = UnitFactory()
    measure = MeasureFactory()
    AssignmentFactory(measure=measure, unit=unit, role=Assignment.Role.LEAD)
    client.force_login(make_user("s", "unit_staff", units=[unit]))
    page = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f-]+)"', page).group(1)
    form = {
        "status": "in_progress",
        "percent": "30",
        "note": "已开工",
        "version": measure.version,
        "submission": token,
    }
    return measure, form


def test_the_same_form_posted_twice_records_once(client, db):
    measure, form = _setup(client)
    first = client.post(reverse("measure_progress", args=[measure.pk]), form)
    second = client.post(reverse("measure_progress", args=[measure.pk]), form)  # back button, save again
    assert first.status_code == second.status_code == 302
    assert ProgressUpdate.objects.filter(measure=measure).count() == 1
    assert HistoryEntry.objects.filter(measure=measure, action=HistoryEntry.Action.PROGRESS).count() == 1
    measure.refresh_from_db()
    assert measure.version == form["version"] + 1


def test_a_fresh_form_records_a_new_update(client, db):
    measure, form = _setup(client)
    client.post(reverse("measure_progress", args=[measure.pk]), form)
    measure.refresh_from_db()
    fresh = {**form, "version": measure.version, "submission": str(uuid.uuid4()), "note": "过半"}
    assert client.post(reverse("measure_progress", args=[measure.pk]), fresh).status_code == 302
    assert ProgressUpdate.objects.filter(measure=measure).count() == 2


def test_a_token_from_another_measure_is_refused_in_chinese(client, db):
    measure, form = _setup(client)
    client.post(reverse("measure_progress", args=[measure.pk]), form)
    other = MeasureFactory()
    AssignmentFactory(measure=other, unit=measure.assignments.get().unit, role=Assignment.Role.LEAD)
    response = client.post(reverse("measure_progress", args=[other.pk]), {**form, "version": other.version})
    assert "表单标识无效，请刷新页面后重新填报。" in response.content.decode()
    assert not ProgressUpdate.objects.filter(measure=other).exists()
