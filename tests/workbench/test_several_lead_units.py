"""A measure with several lead units is done only when every lead unit has reported it done."""

from tasks import services
from tasks.models import Assignment, Measure
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user


def _measure_with_leads(n):
    measure = MeasureFactory(status=Measure.Status.IN_PROGRESS, percent=None)
    staff = []
    for i in range(n):
        unit = UnitFactory(name=f"牵头单位{i}")
        AssignmentFactory(measure=measure, unit=unit, role=Assignment.Role.LEAD)
        staff.append((make_user(f"lead{i}", "unit_staff", units=[unit]), unit))
    return measure, staff


def _report(measure, user, unit, status, percent=None):
    services.record_progress(
        measure=measure, user=user, status=status, note="进展", percent=percent, unit_id=unit.pk
    )
    measure.refresh_from_db()


def test_one_lead_units_done_does_not_close_a_measure_with_five_leads(db):
    measure, staff = _measure_with_leads(5)
    for (user, unit), percent in zip(staff[1:], (70, 80, 75, 80), strict=True):
        _report(measure, user, unit, Measure.Status.IN_PROGRESS, percent)
    _report(measure, *staff[0], Measure.Status.DONE)
    assert measure.status == Measure.Status.IN_PROGRESS
    assert measure.percent == round((100 + 70 + 80 + 75 + 80) / 5)
    assert not Measure.objects.awaiting_sign_off().filter(pk=measure.pk).exists()


def test_the_measure_is_done_when_every_lead_unit_reports_done(db):
    measure, staff = _measure_with_leads(2)
    _report(measure, *staff[0], Measure.Status.DONE)
    assert measure.status == Measure.Status.IN_PROGRESS and measure.percent == 50
    _report(measure, *staff[1], Measure.Status.DONE)
    assert measure.status == Measure.Status.DONE and measure.percent == 100
    assert Measure.objects.awaiting_sign_off().filter(pk=measure.pk).exists()


def test_a_single_lead_unit_still_closes_its_measure(db):
    measure, staff = _measure_with_leads(1)
    _report(measure, *staff[0], Measure.Status.DONE)
    assert measure.status == Measure.Status.DONE and measure.percent == 100


def test_the_office_may_sign_off_early_and_it_is_recorded(db):
    measure, staff = _measure_with_leads(3)
    _report(measure, *staff[0], Measure.Status.DONE)
    office = make_user("office", "office_admin")
    services.sign_off_measure(measure=measure, user=office, comment="其余单位已口头确认完成")
    entry = measure.history.get(action="sign_off")
    assert entry.changes["status"] == ["推进中", "已完成"] and entry.comment == "其余单位已口头确认完成"


def test_the_measure_page_shows_each_lead_units_state_and_percent(client, db):
    from django.urls import reverse

    measure, staff = _measure_with_leads(2)
    _report(measure, *staff[0], Measure.Status.DONE)
    client.force_login(staff[1][0])
    page = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert "牵头单位0：已完成 · 100%" in page and "牵头单位1：尚未填报 · 0%" in page
