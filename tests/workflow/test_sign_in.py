"""Sign-in: lock-out after five failures in fifteen minutes per username and IP; password reset by e-mail."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from departments import login_guard
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def _forget_failures():
    # Only this test's keys: with REDIS_URL the cache may share Redis with other users.
    for username in ("zhangsan", "lisi"):
        for ip in ("10.0.0.1", "10.0.0.2", "127.0.0.1"):
            login_guard.clear(username, ip)


@pytest.fixture(autouse=True)
def _no_failures_left_over():
    _forget_failures()
    yield
    _forget_failures()


@pytest.fixture
def staff(db):
    user = make_user("zhangsan", "unit_staff")
    user.email = "zhangsan@example.cn"
    user.save()
    return user


def attempt(client, password, username="zhangsan", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_correct_password_signs_in(client, staff):
    response = attempt(client, DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_five_failures_lock_the_username_from_that_address(client, staff):
    for _ in range(4):
        response = attempt(client, "wrong")
        assert response.status_code == 200 and "锁定" not in response.content.decode()
    response = attempt(client, "wrong")
    assert "登录失败次数过多" in response.content.decode()
    # Even the right password is refused now, with the Chinese message, and no session is created.
    response = attempt(client, DEMO_PASSWORD)
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The admin's login is behind the same lock.
    response = client.post(
        reverse("admin:login"), {"username": "zhangsan", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, staff):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
    make_user("lisi", "unit_staff")
    client.logout()
    assert attempt(client, DEMO_PASSWORD, username="lisi").status_code == 302


def test_a_success_resets_the_count(client, staff):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, DEMO_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, DEMO_PASSWORD).status_code == 302


def test_the_lock_ends_after_the_lockout_period(client, staff, settings):
    settings.LOGIN_GUARD_LOCKOUT_SECONDS = 1
    for _ in range(5):
        attempt(client, "wrong")
    assert login_guard.is_locked("zhangsan", "10.0.0.1")
    time.sleep(1.1)
    assert not login_guard.is_locked("zhangsan", "10.0.0.1")
    assert attempt(client, DEMO_PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, staff, settings):
    settings.LOGIN_GUARD_WINDOW_SECONDS = 1
    for _ in range(4):
        attempt(client, "wrong")
    time.sleep(1.1)
    attempt(client, "wrong")
    assert not login_guard.is_locked("zhangsan", "10.0.0.1")


def test_the_login_page_links_password_reset(client):
    body = client.get(LOGIN).content.decode()
    assert reverse("password_reset") in body and "忘记密码" in body


def test_password_reset_by_email(client, staff):
    page = client.get(reverse("password_reset")).content.decode()
    assert "找回密码" in page
    response = client.post(reverse("password_reset"), {"email": "zhangsan@example.cn"})
    assert response.status_code == 302
    assert "邮件已发送" in client.get(response["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.to == ["zhangsan@example.cn"] and "重置密码" in message.subject
    assert "您的用户名：zhangsan" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token for a session key
    set_password_url = response["Location"]
    assert "设置新密码" in client.get(set_password_url).content.decode()
    response = client.post(
        set_password_url, {"new_password1": "Lantian-2026-new", "new_password2": "Lantian-2026-new"}
    )
    assert response.status_code == 302
    assert "密码已重置" in client.get(response["Location"]).content.decode()
    assert get_user_model().objects.get(pk=staff.pk).check_password("Lantian-2026-new")
    # The link works only once.
    assert "重置链接无效" in client.get(link, follow=True).content.decode()


def test_an_unknown_email_sends_nothing_and_says_the_same(client, staff):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302 and mail.outbox == []
