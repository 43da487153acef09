"""Sign-in throttling across accounts and addresses, proxy-aware, without locking the owner out."""

import pytest
from django.urls import reverse

from departments import login_guard
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
ATTACKER, OWNER, PROXY = "203.0.113.66", "198.51.100.7", "10.9.0.2"
USERNAMES = [f"spray{i:02d}" for i in range(25)]


@pytest.fixture(autouse=True)
def _fresh_counts():
    def forget():
        for username in [*USERNAMES, "owner"]:
            for ip in (ATTACKER, OWNER, PROXY, "127.0.0.1"):
                login_guard.clear(username, ip)
        for n in range(40):
            login_guard.clear("owner", f"192.0.2.{n}")

    forget()
    yield
    forget()


@pytest.fixture
def owner(db):
    return make_user("owner", "unit_staff")


def attempt(client, username, password, **extra):
    extra.setdefault("REMOTE_ADDR", ATTACKER)
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(response, client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_a_hundred_wrong_passwords_over_25_usernames_from_one_address_are_throttled(client, owner):
    bodies = [attempt(client, USERNAMES[n % 25], f"guess-{n}").content.decode() for n in range(100)]
    blocked = [n for n, body in enumerate(bodies) if "该地址登录失败次数过多" in body]
    # Four tries per username never reach the per-username lock; the address is blocked after 20.
    assert blocked and blocked[0] == 19 and blocked == list(range(19, 100))
    assert login_guard.is_address_blocked(ATTACKER)
    # From the blocked address even a right password is refused, for any account.
    response = attempt(client, "owner", DEMO_PASSWORD)
    assert not signed_in(response, client) and "该地址登录失败次数过多" in response.content.decode()
    # The owner, from another address, signs in.
    assert signed_in(attempt(client, "owner", DEMO_PASSWORD, REMOTE_ADDR=OWNER), client)


def test_guessing_one_account_from_many_addresses_slows_it_down_without_locking_it(client, owner):
    for n in range(10):  # ten addresses, one failure each: no address or username+address lock
        attempt(client, "owner", "wrong", REMOTE_ADDR=f"192.0.2.{n}")
    assert login_guard.account_wait_seconds("owner") == 0
    attempt(client, "owner", "wrong", REMOTE_ADDR="192.0.2.20")  # the eleventh: the account is slowed
    wait = login_guard.account_wait_seconds("owner")
    assert 0 < wait <= 2
    response = attempt(client, "owner", DEMO_PASSWORD, REMOTE_ADDR="192.0.2.21")
    assert not signed_in(response, client)
    assert "该账号近期登录失败较多" in response.content.decode() and "秒后再试" in response.content.decode()


def test_the_owner_signs_in_from_a_known_browser_while_the_account_is_slowed(client, owner):
    assert signed_in(attempt(client, "owner", DEMO_PASSWORD, REMOTE_ADDR=OWNER), client)
    device = client.cookies[login_guard.DEVICE_COOKIE].value  # this browser is now known for the account
    client.logout()  # (the test client's logout drops every cookie; a browser keeps this one)
    client.cookies[login_guard.DEVICE_COOKIE] = device
    for n in range(12):
        attempt(client.__class__(), "owner", "wrong", REMOTE_ADDR=f"192.0.2.{n}")
    assert login_guard.account_wait_seconds("owner") > 0
    # A stranger's browser waits; the owner's own browser, from yet another address, goes in.
    stranger = client.__class__()
    assert not signed_in(attempt(stranger, "owner", DEMO_PASSWORD, REMOTE_ADDR="192.0.2.30"), stranger)
    assert signed_in(attempt(client, "owner", DEMO_PASSWORD, REMOTE_ADDR="192.0.2.31"), client)


def test_a_forged_known_device_cookie_is_not_believed(client, owner):
    for n in range(12):
        attempt(client, "owner", "wrong", REMOTE_ADDR=f"192.0.2.{n}")
    client.cookies[login_guard.DEVICE_COOKIE] = "owner"  # unsigned
    assert not signed_in(attempt(client, "owner", DEMO_PASSWORD, REMOTE_ADDR="192.0.2.30"), client)


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(client, owner, settings):
    settings.BLUESKY_TRUSTED_PROXIES = ["10.9.0.0/24"]
    forwarded = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {ATTACKER}"}
    for _ in range(5):
        attempt(client, "owner", "wrong", **forwarded)
    # The attacker's address is locked for this username, not the proxy's, not the forged left entry.
    assert login_guard.is_locked("owner", ATTACKER)
    assert not login_guard.is_locked("owner", PROXY) and not login_guard.is_locked("owner", "6.6.6.6")
    # So the owner, behind the same proxy from another address, still signs in.
    owner_through_proxy = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OWNER}
    assert signed_in(attempt(client, "owner", DEMO_PASSWORD, **owner_through_proxy), client)


def test_from_an_untrusted_peer_the_forwarded_header_is_ignored(client, owner, settings):
    settings.BLUESKY_TRUSTED_PROXIES = ["10.9.0.0/24"]
    for n in range(5):  # a different forged address each time does not escape the lock
        attempt(client, "owner", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert login_guard.is_locked("owner", ATTACKER)
    assert not any(login_guard.is_locked("owner", f"192.0.2.{n}") for n in range(5))


def test_a_success_does_not_reset_the_address_count(client, owner):
    for n in range(19):
        attempt(client, USERNAMES[n % 25], "wrong")
    assert signed_in(attempt(client, "owner", DEMO_PASSWORD), client)  # the sprayer's own account
    client.logout()
    attempt(client, USERNAMES[0], "wrong")
    assert login_guard.is_address_blocked(ATTACKER)
