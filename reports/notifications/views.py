"""The bell's notifications and each person's choice of reminder channels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bluesky.web import redirect_back
from reports.models import Notification, NotificationPreference

from .forms import NotificationPreferenceForm


@login_required
def notifications(request):
    if request.method == "POST":  # 全部标为已读
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications:list")
    items = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")[:100]
    return render(request, "reports/notifications/list.html", {"items": items})


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    return redirect_back(request, notification.url, "notifications:list")


@login_required
def preferences(request):
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "提醒方式已保存。")
        return redirect("notifications:preferences")
    return render(
        request,
        "reports/notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
