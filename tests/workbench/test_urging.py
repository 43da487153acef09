"""催报/催办: the office's text reaches each urged unit's staff in the bell (and by e-mail where they chose it),
is recorded once per unit, and the unit's page shows when it was urged."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from reports.models import Notification, NotificationPreference, Urge
from tests.factories import AssignmentFactory, MeasureFactory, UnitFactory, make_user


def test_urging_three_units_notifies_their_staff_and_records_it(
    client, office_admin, db, django_capture_on_commit_callbacks
):
    units = [UnitFactory(name=name) for name in ("区水务局", "区园林绿化局", "区商务局")]
    staff = [make_user(f"staff{i}", "unit_staff", units=[unit]) for i, unit in enumerate(units)]
    staff[0].email = "shuiwu@example.cn"
    staff[0].save()
    NotificationPreference.objects.create(user=staff[0], by_email=True, in_app=True)
    bystander = make_user("other", "unit_staff", units=[UnitFactory(name="区教委")])
    client.force_login(office_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workbench:urge"),
            {"unit": [u.pk for u in units], "period": "2026-10", "text": "请于本周五前报送10月月报。"},
            follow=True,
        )
    assert "已向 3 个单位发出催报" in response.content.decode()
    for user, unit in zip(staff, units, strict=True):
        note = Notification.objects.get(user=user)
        assert note.body == "请于本周五前报送10月月报。" and note.title.startswith("大气办催报")
        assert note.url == reverse("reports:detail", args=[unit.pk, 2026, 10])
        urge = Urge.objects.get(unit=unit)
        assert urge.urged_by == office_admin and urge.period == dt.date(2026, 10, 1) and urge.recipients == 1
    assert not Notification.objects.filter(user=bystander).exists()
    assert [m.to for m in mail.outbox] == [["shuiwu@example.cn"]]
    page = client.get(reverse("dashboards:unit_detail", args=[units[0].pk])).content.decode()
    assert "请于本周五前报送10月月报。" in page and "data-urged-at" in page


def test_urging_an_overdue_measure_links_the_measure(client, office_admin, db):
    unit = UnitFactory()
    measure = MeasureFactory(due_date=dt.date(2020, 1, 1))
    AssignmentFactory(measure=measure, unit=unit)
    staff = make_user("s", "unit_staff", units=[unit])
    client.force_login(office_admin)
    form = client.get(reverse("workbench:urge"), {"measure": measure.pk, "unit": unit.pk}).content.decode()
    assert f"措施 {measure.code} 已超过完成时限" in form  # the default text, editable
    client.post(reverse("workbench:urge"), {"measure": measure.pk, "unit": unit.pk, "text": "请加快进度"})
    assert Notification.objects.get(user=staff).url == reverse("measure_detail", args=[measure.pk])
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert "大气办催办" in page and "请加快进度" in page


def test_empty_text_or_no_unit_is_refused_in_chinese_and_nothing_is_sent(client, office_admin, db):
    unit = UnitFactory()
    make_user("s", "unit_staff", units=[unit])
    client.force_login(office_admin)
    page = client.post(reverse("workbench:urge"), {"unit": [unit.pk], "text": "  "}).content.decode()
    assert "请填写催办内容。" in page
    page = client.post(reverse("workbench:urge"), {"text": "请报送"}).content.decode()
    assert "请至少选择一个单位。" in page
    assert "请报送" in page  # the office's text stays on the form
    assert not Urge.objects.exists() and not Notification.objects.exists()


def test_only_the_office_urges(client, viewer, db):
    unit = UnitFactory()
    for user in (viewer, make_user("s", "unit_staff", units=[unit])):
        client.force_login(user)
        assert client.post(reverse("workbench:urge"), {"unit": [unit.pk], "text": "x"}).status_code == 403
    assert not Urge.objects.exists()
