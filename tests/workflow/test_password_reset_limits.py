"""Password reset e-mails are rate-limited per account and per address, and the page never tells which."""

import pytest
from django.core import mail
from django.urls import reverse

from departments import reset_guard
from tests.factories import make_user

pytestmark = pytest.mark.django_db
RESET = reverse("password_reset")
ADDRESS, OTHER = "203.0.113.9", "198.51.100.9"


@pytest.fixture
def staff(db):
    user = make_user("zhangsan", "unit_staff")
    user.email = "zhangsan@example.cn"
    user.save()
    reset_guard.forget(ip=ADDRESS, users=[user])
    reset_guard.forget(ip=OTHER)
    yield user
    reset_guard.forget(ip=ADDRESS, users=[user])
    reset_guard.forget(ip=OTHER)


def ask(client, email, ip=ADDRESS):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_an_account_gets_at_most_three_reset_emails_an_hour_and_the_page_answers_the_same(client, staff):
    answers = [ask(client, "zhangsan@example.cn", ip=f"192.0.2.{n}") for n in range(6)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    # An unknown address is answered in the very same way.
    unknown = ask(client, "nobody@example.cn", ip="192.0.2.99")
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("password_reset_done"))
    for n in [*range(6), 99]:
        reset_guard.forget(ip=f"192.0.2.{n}")


def test_one_address_may_ask_ten_times_an_hour(client, staff):
    for n in range(10):
        assert ask(client, f"someone{n}@example.cn").status_code == 302
    refused = ask(client, "zhangsan@example.cn")
    assert refused.status_code == 200 and "找回密码的请求过于频繁" in refused.content.decode()
    assert mail.outbox == []
    # Another address is not held back.
    assert ask(client, "zhangsan@example.cn", ip=OTHER).status_code == 302 and len(mail.outbox) == 1
