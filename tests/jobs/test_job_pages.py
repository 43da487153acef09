"""The pages: the bell and notifications, channel choice, notices and rankings (who sees them, downloads, queries)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import MonthlyRanking, Notification, NotificationPreference, RankingRow
from reports.outputs.notices import build_weekly_notice
from reports.outputs.ranking import build_ranking
from tests.factories import UnitFactory, make_user, measure_for
from tests.jobs.ranking_data import FEB, build_ranking_world

pytestmark = pytest.mark.django_db


def test_the_bell_shows_the_unread_count_and_the_list_marks_them_read(client, world):
    for n in range(3):
        Notification.objects.create(user=world.alice, title=f"提醒{n}", body="内容")
    Notification.objects.create(user=world.bob, title="别人的", body="")
    client.force_login(world.alice)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-unread="3"' in page and "提醒2" in page and "别人的" not in page

    first = Notification.objects.filter(user=world.alice).first()
    assert client.post(reverse("notifications:open", args=[first.pk])).status_code == 302
    assert 'data-unread="2"' in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:list"))
    assert "data-unread" not in client.get(reverse("notifications:list")).content.decode()
    other = Notification.objects.get(user=world.bob)
    assert client.post(reverse("notifications:open", args=[other.pk])).status_code == 404


def test_people_choose_their_channels_on_a_page(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    client.post(reverse("notifications:preferences"), {"in_app": "on", "by_webhook": "on"})
    preference = NotificationPreference.objects.get(user=world.alice)
    assert (preference.in_app, preference.by_email, preference.by_webhook) == (True, False, True)


def test_notices_and_rankings_are_for_the_office_and_viewers(client, world, viewer):
    build_weekly_notice(week_start=dt.date(2026, 3, 2))
    build_ranking(period=FEB)
    pages = [
        reverse("outputs:notices"),
        reverse("outputs:rankings"),
        reverse("outputs:ranking", args=[2026, 2]),
        reverse("outputs:ranking_download", args=[2026, 2]),
    ]
    client.force_login(world.alice)
    assert [client.get(url).status_code for url in pages] == [403] * 4
    client.force_login(viewer)
    assert [client.get(url).status_code for url in pages] == [200] * 4
    assert (
        client.post(reverse("outputs:notices"), {"week": "2026-W11"}).status_code == 403
    )  # viewers only read


def test_downloads_are_the_stored_files(client, world):
    notice = build_weekly_notice(week_start=dt.date(2026, 3, 2))
    ranking = build_ranking(period=FEB)
    client.force_login(world.office)
    response = client.get(reverse("outputs:notice_download", args=[notice.pk]))
    assert b"".join(response.streaming_content) == open(notice.file.path, "rb").read()
    assert "attachment" in response["Content-Disposition"] and response["Content-Type"].endswith("document")
    response = client.get(reverse("outputs:ranking_download", args=[2026, 2]))
    assert b"".join(response.streaming_content) == open(ranking.file.path, "rb").read()
    assert client.get(reverse("outputs:ranking", args=[2026, 13])).status_code == 404


def test_the_office_regenerates_a_week_and_bad_input_is_explained(client, world):
    client.force_login(world.office)
    response = client.post(reverse("outputs:notices"), {"week": "2026年第10周"})
    page = response.content.decode()
    assert response.status_code == 200 and "周次格式应为 YYYY-Www" in page and 'value="2026年第10周"' in page
    response = client.post(reverse("outputs:notices"), {"week": "2026-W10"}, follow=True)
    assert "2026-W10" in response.content.decode()
    response = client.post(reverse("outputs:rankings"), {"month": "2026-02"})
    assert response.status_code == 302 and response["Location"] == reverse("outputs:ranking", args=[2026, 2])


def test_the_ranking_page_shows_the_same_table_as_the_file(client, office_admin):
    build_ranking_world()
    ranking = build_ranking(period=FEB)
    client.force_login(office_admin)
    page = client.get(reverse("outputs:ranking", args=[2026, 2])).content.decode()
    rows = list(ranking.rows.select_related("unit").order_by("rank"))
    positions = [page.index(f"<td>{row.rank}</td><td>{row.unit.name}</td>") for row in rows]
    assert positions == sorted(positions)
    assert "<td>67.00</td>" in page and "<td>50%</td>" in page and 'class="top-unit"' in page


def test_a_citys_ranking_shows_a_hundred_rows_a_page_and_marks_each_boards_first_and_last_three(
    client, office_admin
):
    """Both boards across two pages: 各区排名's 5 rows first, then 单位排名's 120, each board best first."""
    ranking = MonthlyRanking.objects.create(period=FEB)
    numbers = {"score": 1, "measures": 1, "done": 0, "on_track": 1, "overdue": 0, "on_time_report_rate": 1}
    RankingRow.objects.bulk_create(
        [
            RankingRow(ranking=ranking, unit=UnitFactory(), board="districts", rank=r, **numbers)
            for r in range(1, 6)
        ]
        + [
            RankingRow(ranking=ranking, unit=UnitFactory(), board="units", rank=r, **numbers)
            for r in range(1, 121)
        ]
    )
    client.force_login(office_admin)
    url = reverse("outputs:ranking", args=[2026, 2])
    first, second = client.get(url), client.get(url, {"page": 2})
    shown = [
        (board.label, row.rank, row.band)
        for response in (first, second)
        for board in response.context["boards"]
        for row in board.rows
    ]
    assert shown == [
        ("各区排名", r, band) for r, band in zip(range(1, 6), ["top-unit"] * 3 + ["bottom-unit"] * 2)
    ] + [
        ("单位排名", r, band)
        for r, band in zip(range(1, 121), ["top-unit"] * 3 + [""] * 114 + ["bottom-unit"] * 3)
    ]
    assert len(first.context["page"]) == 100 and "第 1 / 2 页" in first.content.decode()


def _add_units_and_rebuild(first: int, count: int):
    for i in range(first, first + count):
        measure_for(UnitFactory(name=f"规模单位{i}"), dt.date(2026, 1, 10 + i % 10))
    build_ranking(period=dt.date(2026, 1, 1))
    build_ranking(period=FEB)
    for week in range(first, first + count):
        build_weekly_notice(week_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=week))


@pytest.mark.parametrize(
    "url",
    [
        reverse("outputs:notices"),
        reverse("outputs:rankings"),
        reverse("outputs:ranking", args=[2026, 2]),
        reverse("notifications:list"),
    ],
)
def test_pages_run_the_same_number_of_queries_at_any_scale(client, django_assert_num_queries, url):
    office = make_user("chief", "office_admin")
    client.force_login(office)
    client.get(url)  # the session and the user's groups, as on any page
    _add_units_and_rebuild(0, 2)
    Notification.objects.bulk_create([Notification(user=office, title=f"t{n}") for n in range(2)])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_units_and_rebuild(2, 10)
    Notification.objects.bulk_create([Notification(user=office, title=f"t{n}") for n in range(10)])
    with django_assert_num_queries(len(small)):  # 5× the data, the same queries
        assert client.get(url).status_code == 200
    assert len(small) <= 12
