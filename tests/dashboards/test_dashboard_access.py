"""Who opens the dashboards: the office and viewers; unit staff get 403; nobody signed out."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def dashboard_urls(world):
    return [
        reverse("dashboards:overview"),
        reverse("dashboards:units"),
        reverse("dashboards:unit_detail", args=[world["ecology"].pk]),
        reverse("dashboards:plans"),
    ]


def test_office_admin_and_viewer_open_every_dashboard(client, known_world, office_admin, viewer):
    for user in (office_admin, viewer):
        client.force_login(user)
        for url in dashboard_urls(known_world):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "echarts.min.js" in response.content.decode()


def test_unit_staff_get_403_on_every_dashboard(client, known_world):
    client.force_login(known_world["staff"])
    for url in dashboard_urls(known_world):
        assert client.get(url).status_code == 403, url
        assert client.get(url + "?export=units").status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client, known_world):
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_dashboard_link_shows_for_viewers_not_for_staff(client, known_world, viewer):
    client.force_login(viewer)
    assert reverse("dashboards:overview") in client.get(reverse("home")).content.decode()
    client.force_login(known_world["staff"])
    assert reverse("dashboards:overview") not in client.get(reverse("home")).content.decode()


def test_dashboards_change_nothing_a_post_is_refused(client, known_world, viewer):
    client.force_login(viewer)
    for url in dashboard_urls(known_world):
        assert client.post(url, {"status": "done"}).status_code in (403, 405), url
