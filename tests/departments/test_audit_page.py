"""The 操作日志 page (/audit/): who changed what and when, in Chinese, filtered, paged, exported; office only."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from departments.models import Jurisdiction, OfficeScope
from tasks.models import Measure
from tests.factories import MeasureFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db
URL = "/audit/"


def _change_measure(actor, **values) -> Measure:
    with set_actor(actor):
        measure = MeasureFactory(due_date=dt.date(2026, 6, 30))
        for name, value in values.items():
            setattr(measure, name, value)
        measure.save()
    return measure


def _rows(response):
    return response.context["rows"]


def test_a_change_is_listed_with_actor_chinese_names_and_each_field_before_and_after(client, office_admin):
    staff = make_user("zhang", "unit_staff")
    staff.first_name = "张三"
    staff.save()
    _change_measure(staff, due_date=dt.date(2026, 12, 31), status=Measure.Status.DONE, needs_review=True)
    client.force_login(office_admin)
    response = client.get(URL, {"action": LogEntry.Action.UPDATE})
    assert response.status_code == 200
    [row] = [r for r in _rows(response) if r.object_type == "具体措施"]
    assert row.actor == "张三" and row.action == "修改"
    changes = {c.field: (c.before, c.after) for c in row.changes}
    assert changes["完成日期"] == ("2026-06-30", "2026-12-31")
    assert changes["状态"] == ("未启动", "已完成")
    assert changes["待核实"] == ("否", "是")
    page = response.content.decode()
    assert "完成日期" in page and "2026-06-30 → 2026-12-31" in page


def test_a_request_made_with_an_api_token_names_the_token(client, office_admin):
    measure = MeasureFactory()
    LogEntry.objects.create(  # as departments.api_tokens records a request made with a token
        content_type=ContentType.objects.get_for_model(Measure),
        object_pk=str(measure.pk),
        object_id=measure.pk,
        object_repr=str(measure),
        action=LogEntry.Action.UPDATE,
        changes={"percent": ["10", "50"]},
        actor=office_admin,
        additional_data={"api_token": "区数据平台对接", "api_token_id": 1},
    )
    client.force_login(office_admin)
    response = client.get(URL)
    [row] = [r for r in _rows(response) if r.api_token]
    assert row.api_token == "区数据平台对接"
    assert "API 令牌：区数据平台对接" in response.content.decode()


def test_filters_by_action_object_type_actor_dates_and_text(client, office_admin):
    alice, bob = make_user("alice", "unit_staff"), make_user("bob", "unit_staff")
    _change_measure(alice, deadline_note="扬尘治理说明")
    with set_actor(bob):
        unit = UnitFactory(name="朝阳区城管委")
    old = LogEntry.objects.get_for_object(unit).get()
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - dt.timedelta(days=40))
    client.force_login(office_admin)

    def listed(**params):
        return {(r.actor, r.object_type, r.action) for r in _rows(client.get(URL, params))}

    measure_type = ContentType.objects.get_for_model(Measure).pk
    assert {t for _, t, _ in listed(object_type=measure_type)} == {"具体措施"}
    assert {a for a, _, _ in listed(actor="bob")} == {"bob"}
    assert {a for _, _, a in listed(action=LogEntry.Action.UPDATE)} == {"修改"}
    assert listed(q="扬尘治理") == {("alice", "具体措施", "修改")}
    assert listed(q="朝阳区城管委") == {("bob", str(unit._meta.verbose_name), "新增")}
    recent = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "bob" not in {a for a, _, _ in listed(date_from=recent)}
    assert {a for a, _, _ in listed(date_to=(timezone.localdate() - dt.timedelta(days=30)).isoformat())} == {
        "bob"
    }


def test_a_bad_date_says_so_in_chinese_and_lists_nothing(client, office_admin):
    client.force_login(office_admin)
    response = client.get(URL, {"date_from": "2026-13-40"})
    assert response.status_code == 200
    assert list(_rows(response)) == []
    assert "筛选条件有误" in response.content.decode() and "起始日期" in response.content.decode()


def test_the_export_holds_one_line_per_changed_field_under_a_title_naming_the_filters(client, office_admin):
    staff = make_user("zhang", "unit_staff")
    _change_measure(staff, due_date=dt.date(2026, 12, 31), deadline_note="=1+1")
    client.force_login(office_admin)
    response = client.get(URL, {"format": "xlsx", "action": LogEntry.Action.UPDATE, "actor": "zhang"})
    assert response.status_code == 200 and quote("操作日志.xlsx") in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "操作日志"
    assert ws["A2"].value == "筛选条件：操作人：zhang；操作：修改"
    assert ws["A3"].value.startswith("生成时间：")
    assert [c.value for c in ws[4]] == [
        "时间",
        "操作人",
        "API 令牌",
        "操作",
        "对象类型",
        "对象",
        "字段",
        "修改前",
        "修改后",
    ]
    assert ws.freeze_panes == "A5"
    lines = {row[6]: row[1:6] + row[7:] for row in ws.iter_rows(min_row=5, values_only=True)}
    assert lines["完成日期"][-2:] == ("2026-06-30", "2026-12-31")
    assert lines["时限说明"][-1] == "=1+1"  # text, never a formula
    assert lines["完成日期"][:4] == ("zhang", None, "修改", "具体措施")


def test_a_page_costs_the_same_queries_with_few_or_many_entries(
    client, office_admin, django_assert_num_queries
):
    client.force_login(office_admin)
    staff = make_user("zhang", "unit_staff")
    _change_measure(staff, percent=10)
    client.get(URL)  # warm the session and the content-type cache

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(40):
        _change_measure(staff, percent=n)
    assert LogEntry.objects.count() > 2 * 50
    with django_assert_num_queries(few):
        client.get(URL)
    with django_assert_num_queries(few):
        client.get(URL, {"page": 2})


def test_only_superusers_and_unscoped_offices_read_it(client, office_admin, viewer):
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    client.force_login(make_user("staff", "unit_staff"))
    assert client.get(URL).status_code == 403
    scoped = make_user("district_office", "office_admin")
    place, _ = Jurisdiction.objects.get_or_create(
        code="110106", defaults={"name": "丰台区", "level": Jurisdiction.Level.DISTRICT}
    )
    OfficeScope.objects.create(user=scoped, jurisdiction=place)
    client.force_login(scoped)
    assert client.get(URL).status_code == 403
    root = get_user_model().objects.create_superuser("root", "r@example.org", "x-very-long-password")
    client.force_login(root)
    assert client.get(URL).status_code == 200
    client.force_login(office_admin)
    assert client.get(URL).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_navigation_links_to_it_only_for_those_it_admits(client, office_admin, viewer):
    def linked() -> bool:
        return f'href="{reverse("audit_log")}"' in client.get(reverse("home")).content.decode()

    client.force_login(office_admin)
    assert linked()
    client.force_login(viewer)
    assert not linked()
    scoped = make_user("district_office", "office_admin")  # refused by the page, so not offered it
    place, _ = Jurisdiction.objects.get_or_create(
        code="110106", defaults={"name": "丰台区", "level": Jurisdiction.Level.DISTRICT}
    )
    OfficeScope.objects.create(user=scoped, jurisdiction=place)
    client.force_login(scoped)
    assert not linked()
