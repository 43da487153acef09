"""A record of every plan document uploaded: what it parsed to, and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanImport(models.Model):
    """One upload. The parsed tree waits here (as JSON) between preview and confirmation."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("待确认")
        APPLIED = "applied", _("已导入")
        UNCHANGED = "unchanged", _("重复文件，未改动")
        CANCELLED = "cancelled", _("已取消")

    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    parsed = models.JSONField(_("解析结果"), default=dict)
    district = models.CharField(_("所属区"), max_length=20, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PREVIEW)
    plan = models.ForeignKey(
        "tasks.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("行动计划"),
    )
    summary = models.JSONField(_("导入结果"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("上传人")
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文件导入记录")
        verbose_name_plural = _("文件导入记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_state_display()}）"
