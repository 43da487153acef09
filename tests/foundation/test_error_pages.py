"""Refusals and errors are pages in Chinese that say why, inside the app's frame (not Django's bare English)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_why_in_chinese(client):
    client.force_login(make_user("staff"))
    response = client.get(reverse("dashboards:overview"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-error="403"' in body and "没有权限" in body
    assert "看板仅对大气办和领导查看账号开放。" in body  # the reason the view gave
    assert "Forbidden" not in body


def test_a_missing_page_is_explained_in_chinese(client):
    client.force_login(make_user("staff"))
    response = client.get("/measures/987654/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "Not Found" not in body


def test_an_expired_form_says_nothing_was_saved():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("office", "office_admin"))
    response = client.post(reverse("logout"))  # any form posted without its CSRF token
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，内容未保存" in body and "CSRF" not in body


def test_a_server_error_page_needs_no_database_and_speaks_chinese():
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in body and "Server Error" not in body


def test_the_language_switch_names_each_language_in_itself(client):
    client.force_login(make_user("office", "office_admin"))
    body = client.get("/").content.decode()
    assert ">English</button>" in body and ">简体中文</button>" in body


def test_the_site_icon_is_served_where_browsers_look_for_it(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()
