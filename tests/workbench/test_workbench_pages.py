"""Each role lands on its own 工作台 with counts that match the database; the plan list stays one click away."""

from django.urls import reverse

from reports.models import MonthlyReport, Notification
from tests.factories import make_user


def test_home_is_the_workbench_and_the_plan_list_moved_to_the_nav(client, known_world):
    client.force_login(known_world["staff"])
    page = client.get("/").content.decode()
    assert "工作台" in page and f'href="{reverse("plan_list")}"' in page
    plans = client.get(reverse("plan_list")).content.decode()
    assert known_world["plan"].title in plans


def test_staff_workbench_shows_overdue_due_soon_returned_and_unread(client, known_world):
    w = known_world
    report = MonthlyReport.objects.get(unit=w["ecology"], period=w["period"])
    MonthlyReport.objects.filter(pk=report.pk).update(state=MonthlyReport.State.RETURNED)
    Notification.objects.create(user=w["staff"], title="请补充证明材料")
    client.force_login(w["staff"])
    page = client.get("/").content.decode()
    assert 'data-count="overdue">1<' in page and w["overdue"].code in page
    assert 'data-count="due_soon">1<' in page and w["soon"].code in page
    assert 'data-count="returned">1<' in page
    assert 'data-count="unread">1<' in page and "请补充证明材料" in page
    assert w["done"].code not in page.split("已逾期的措施")[1]  # finished measures are not listed as work
    assert w["due"].strftime("%Y-%m-%d") in page  # this month's report and its due date


def test_office_workbench_counts_review_sign_off_overdue_and_missing(client, office_admin, known_world):
    w = known_world
    client.force_login(office_admin)
    page = client.get("/").content.decode()
    assert 'data-count="reports">1<' in page  # ecology's submitted report
    assert 'data-count="sign_off">1<' in page  # m_done reported done, not signed off
    assert 'data-count="overdue">1<' in page
    assert 'data-count="missing">' in page
    assert w["ecology"].name in page  # lead unit of the overdue measure
    assert reverse("workbench:urge") in page


def test_leader_workbench_shows_headline_figures(client, viewer, known_world):
    client.force_login(viewer)
    page = client.get("/").content.decode()
    assert 'data-count="total">5<' in page
    assert "最新周通报" in page and "最新月排名" in page
    assert "批量" not in page


def test_someone_with_no_unit_and_no_role_lands_on_the_plan_list(client, db):
    client.force_login(make_user("nobody", "unit_staff"))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("plan_list")
