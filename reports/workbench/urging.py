"""催报/催办: the office urges one or many units with its own text.

Each unit's active staff get the text in the bell (an in-app notification) and,
where they asked for it and it is configured, by e-mail and the group robot —
through the same channel functions as the reminder digests, after the commit, so a
mail server that is down never undoes the urging. Each unit gets one ``Urge`` row:
the history the unit's page and the office read back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from departments.models import Unit, UnitMembership
from departments.roles import is_office_admin
from departments.scopes import scope_of
from reports.models import Delivery, Notification, NotificationPreference, Urge
from reports.notifications import channels

log = logging.getLogger(__name__)
MAX_UNITS = 300
MAX_TEXT = 2000


def default_text(*, measure=None, period: dt.date | None = None) -> str:
    if measure is not None:
        return f"措施 {measure.code} 已超过完成时限，请抓紧推进并及时填报进展。"
    if period is not None:
        return f"贵单位{period:%Y年%m月}月报尚未报送，请尽快报送。"
    return "请抓紧推进所承担的任务，并及时填报进展和月报。"


def kind_of(*, measure=None, period: dt.date | None = None) -> str:
    """催报 asks for a monthly report; anything else (an overdue measure, a unit's work) is 催办."""
    return "催报" if period is not None and measure is None else "催办"


def _target_url(unit_id: int, *, measure=None, period: dt.date | None = None) -> str:
    if measure is not None:
        return reverse("measure_detail", args=[measure.pk])
    if period is not None:
        return reverse("reports:detail", args=[unit_id, period.year, period.month])
    return reverse("my_measures")


def _send_outside(user_ids: list[int], subject: str, body: str) -> None:
    """E-mail and webhook for those who chose them; a failure is logged, the urging stands."""
    users = {
        m.user_id: m.user for m in UnitMembership.objects.filter(user_id__in=user_ids).select_related("user")
    }
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)}
    for user_id, user in users.items():
        for channel in channels.channels_for(user, preferences.get(user_id)):
            if channel == Delivery.Channel.IN_APP:
                continue  # written in the transaction
            delivery = Delivery(recipient=user, channel=channel, subject=subject, body=body)
            try:
                channels.send(delivery)
            except channels.ChannelError as exc:
                log.warning("催办未能送达 %s（%s）：%s", user.get_username(), channel, exc)


def urge_units(
    *, units: list[Unit], user, text: str, measure=None, period: dt.date | None = None
) -> list[Urge]:
    """Urge each unit in ``units``: notify its staff, record an ``Urge``; returns the records."""
    if not is_office_admin(user):
        raise PermissionDenied("只有大气办可以催报、催办。")
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写催办内容。")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"催办内容不能超过 {MAX_TEXT} 字。")
    if not units:
        raise ValidationError("请至少选择一个单位。")
    if len(units) > MAX_UNITS:
        raise ValidationError(f"一次最多催办 {MAX_UNITS} 个单位。")
    scope = scope_of(user)
    if scope is not None and Unit.objects.within(scope).filter(pk__in=[u.pk for u in units]).count() < len(
        units
    ):
        raise PermissionDenied("只能催办本辖区的单位。")
    staff: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in UnitMembership.objects.filter(unit__in=units, user__is_active=True).values_list(
        "unit_id", "user_id"
    ):
        staff[unit_id].append(user_id)
    subject = f"大气办{kind_of(measure=measure, period=period)}：{text[:60]}"
    with transaction.atomic():
        urges = Urge.objects.bulk_create(
            [
                Urge(
                    unit=unit,
                    measure=measure,
                    period=period,
                    text=text,
                    urged_by=user,
                    recipients=len(staff[unit.pk]),
                )
                for unit in units
            ]
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    user_id=user_id,
                    title=subject[:200],
                    body=text,
                    url=_target_url(unit.pk, measure=measure, period=period),
                )
                for unit in units
                for user_id in staff[unit.pk]
            ]
        )
        everyone = sorted({u for unit in units for u in staff[unit.pk]})
        transaction.on_commit(lambda: _send_outside(everyone, subject, text))
    return urges


def recent_urges(unit_id: int, limit: int = 5) -> list[Urge]:
    return list(Urge.objects.filter(unit_id=unit_id).select_related("urged_by", "measure")[:limit])
