"""The group-robot webhook: a real HTTP POST to a tiny server on 127.0.0.1, WeCom/DingTalk style."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reports.models import Delivery, NotificationPreference
from reports.notifications.reminders import run_reminders
from reports.workdays import WorkdayCalendar
from tests.factories import measure_for

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 3, 10)


class RobotServer:
    """A group robot: records every POST and answers with ``answer``."""

    def __init__(self, answer: dict, status: int = 200):
        self.received: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                robot.received.append(
                    {
                        "content_type": self.headers["Content-Type"],
                        "path": self.path,
                        "json": json.loads(self.rfile.read(length).decode("utf-8")),
                    }
                )
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_the_webhook_is_off_unless_a_url_is_configured(world, settings):
    settings.BLUESKY_WEBHOOK_URL = ""
    NotificationPreference.objects.create(user=world.alice, by_webhook=True)
    measure_for(world.env, TUESDAY)
    run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
    assert not Delivery.objects.filter(channel="webhook").exists()


def test_a_digest_is_posted_as_a_text_message_mentioning_the_person(world, settings):
    NotificationPreference.objects.create(user=world.alice, by_email=False, in_app=False, by_webhook=True)
    measure_for(world.env, TUESDAY, text="道路扬尘精细化管控")
    with RobotServer({"errcode": 0, "errmsg": "ok"}) as robot:
        settings.BLUESKY_WEBHOOK_URL = robot.url
        run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))

    assert len(robot.received) == 1
    request = robot.received[0]
    assert request["path"] == "/cgi-bin/webhook/send?key=test"
    assert request["content_type"].startswith("application/json")
    message = request["json"]
    assert message["msgtype"] == "text"
    assert "道路扬尘精细化管控" in message["text"]["content"]
    assert message["text"]["content"].startswith("【蓝天保卫战】2026-03-10 提醒")
    assert message["text"]["mentioned_list"] == ["alice"] and message["at"]["atUserIds"] == ["alice"]
    assert Delivery.objects.get(recipient=world.alice).state == Delivery.State.SENT


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "群机器人拒绝了消息"),
        (500, {"errcode": -1}, "群机器人返回 HTTP 500"),
    ],
)
def test_a_refusal_is_recorded_for_the_office(world, settings, status, answer, error):
    NotificationPreference.objects.create(user=world.alice, by_email=False, in_app=False, by_webhook=True)
    measure_for(world.env, TUESDAY)
    with RobotServer(answer, status) as robot:
        settings.BLUESKY_WEBHOOK_URL = robot.url
        run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
    delivery = Delivery.objects.get(recipient=world.alice)
    assert delivery.state == Delivery.State.FAILED and delivery.last_error.startswith(error)


def test_an_unreachable_robot_is_a_failure_too(world, settings):
    NotificationPreference.objects.create(user=world.alice, by_email=False, in_app=False, by_webhook=True)
    measure_for(world.env, TUESDAY)
    with RobotServer({}) as robot:
        url = robot.url
    settings.BLUESKY_WEBHOOK_URL = url  # the server is gone now
    run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
    assert Delivery.objects.get(recipient=world.alice).last_error.startswith("无法连接群机器人")


def test_long_digests_are_cut_to_the_robots_limit(world, settings):
    NotificationPreference.objects.create(user=world.alice, by_email=False, in_app=False, by_webhook=True)
    for n in range(60):
        measure_for(world.env, TUESDAY, text=f"很长的措施内容{n}" * 5)
    with RobotServer({"errcode": 0}) as robot:
        settings.BLUESKY_WEBHOOK_URL = robot.url
        run_reminders(on=TUESDAY, calendar=WorkdayCalendar({}))
    content = robot.received[0]["json"]["text"]["content"]
    assert len(content.encode("utf-8")) <= 2048 and content.endswith("（详见系统站内通知）")
