"""The three ways a reminder digest reaches a person: e-mail, the in-app bell, a group robot webhook.

One function per channel, each taking a ``Delivery`` and either returning
(delivered) or raising ``ChannelError`` with a message the office can read in
the admin (Delivery.last_error). Which channels a person gets is
``channels_for(user)``: their ``NotificationPreference`` (e-mail and in-app
by default), an e-mail address for e-mail, and a configured
``BLUESKY_WEBHOOK_URL`` for the webhook.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from reports.models import Delivery, Notification, NotificationPreference

Channel = Delivery.Channel
WEBHOOK_TIMEOUT_SECONDS = 10
# WeCom robots take at most 2048 bytes of text; DingTalk more. Stay under the smaller.
WEBHOOK_MAX_BYTES = 2000


class ChannelError(Exception):
    """A delivery failed; the message says why, in words for the office."""


def channels_for(user, preference: NotificationPreference | None = None) -> list[str]:
    """The channels ``user`` receives reminders on, in a fixed order (the first one is the digest's main record)."""
    if preference is None:
        preference = getattr(user, "notification_preference", None) or NotificationPreference(user=user)
    channels = []
    if preference.in_app:
        channels.append(Channel.IN_APP)
    if preference.by_email and user.email:
        channels.append(Channel.EMAIL)
    if preference.by_webhook and settings.BLUESKY_WEBHOOK_URL:
        channels.append(Channel.WEBHOOK)
    return channels


@contextmanager
def email_connection():
    """One connection to the mail server for a batch of e-mails, opened once and closed at the end. A server that
    does not answer now is tried again by each e-mail, which then fails on its own (ChannelError)."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        pass
    try:
        yield connection
    finally:
        close_quietly(connection)


def close_quietly(connection) -> None:
    """Drop a mail connection (after a failure the next e-mail opens a new one)."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def send_email(delivery: Delivery, *, connection=None) -> None:
    message = EmailMessage(
        subject=delivery.subject, body=delivery.body, to=[delivery.recipient.email], connection=connection
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError, ValueError, UnicodeError) as exc:
        # ValueError/UnicodeError: a malformed address or header; the delivery fails, the run goes on.
        raise ChannelError(f"邮件发送失败：{exc}") from exc


def _notification(delivery: Delivery, url: str) -> Notification:
    return Notification(
        user_id=delivery.recipient_id, title=delivery.subject[:200], body=delivery.body, url=url
    )


def send_in_app(delivery: Delivery) -> None:
    _notification(delivery, reverse("notifications:list")).save()


def send_in_app_many(deliveries: list[Delivery]) -> None:
    url = reverse("notifications:list")
    Notification.objects.bulk_create([_notification(d, url) for d in deliveries], batch_size=500)


def webhook_payload(delivery: Delivery) -> dict:
    """A text message both WeCom and DingTalk group robots accept, mentioning the recipient by user id."""
    content = f"{delivery.subject}\n{delivery.body}"
    encoded = content.encode("utf-8")
    if len(encoded) > WEBHOOK_MAX_BYTES:
        content = (
            encoded[: WEBHOOK_MAX_BYTES - 30].decode("utf-8", errors="ignore") + "\n……（详见系统站内通知）"
        )
    username = delivery.recipient.get_username()
    return {
        "msgtype": "text",
        "text": {"content": content, "mentioned_list": [username]},  # WeCom
        "at": {"atUserIds": [username], "isAtAll": False},  # DingTalk
    }


def send_webhook(delivery: Delivery) -> None:
    url = settings.BLUESKY_WEBHOOK_URL
    if not url:
        raise ChannelError("未配置群机器人地址（BLUESKY_WEBHOOK_URL）。")
    request = urllib.request.Request(
        url,
        data=json.dumps(webhook_payload(delivery), ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"群机器人返回 HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"无法连接群机器人：{getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChannelError("群机器人的应答不是 JSON。") from exc
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is an error.
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        raise ChannelError(f"群机器人拒绝了消息：{str(answer)[:200]}")


SENDERS = {Channel.EMAIL: send_email, Channel.IN_APP: send_in_app, Channel.WEBHOOK: send_webhook}


def send(delivery: Delivery, *, email_connection=None) -> None:
    if delivery.channel == Channel.EMAIL:
        send_email(delivery, connection=email_connection)
    else:
        SENDERS[delivery.channel](delivery)
