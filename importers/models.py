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
        PARSING = "parsing", _("正在解析")
        FAILED = "failed", _("无法解析")
        EXPIRED = "expired", _("已过期清理")

    class Step(models.TextChoices):
        """Where a queued parse is (importers/jobs.py); the upload page polls it."""

        QUEUED = "queued", _("排队等待")
        READING = "reading", _("读取文件")
        STRUCTURE = "structure", _("识别结构")
        UNITS = "units", _("匹配单位")
        DONE = "done", _("完成")

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
    step = models.CharField(_("解析进度"), max_length=16, choices=Step.choices, default=Step.DONE)
    error = models.TextField(_("解析错误"), blank=True)
    job_sent_at = models.DateTimeField(_("解析任务发出时间"), null=True, blank=True)
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

    @property
    def step_number(self) -> int:
        """1-based position of the current step among the three the page shows (0 while queued)."""
        order = [self.Step.READING, self.Step.STRUCTURE, self.Step.UNITS]
        return (
            order.index(self.step) + 1 if self.step in order else (0 if self.step == self.Step.QUEUED else 3)
        )

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_state_display()}）"
