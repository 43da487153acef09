"""The record of 催报/催办 (reports/workbench/urging.py writes it); registered through reports.models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Urge(models.Model):
    """催报/催办: the office urged a unit (its staff got the office's text in the bell); the unit's history."""

    unit = models.ForeignKey(
        "departments.Unit", on_delete=models.CASCADE, related_name="urges", verbose_name=_("单位")
    )
    measure = models.ForeignKey(
        "tasks.Measure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("措施"),
    )
    period = models.DateField(_("月报月份"), null=True, blank=True)
    text = models.TextField(_("催办内容"))
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("催办人")
    )
    recipients = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("催报催办")
        verbose_name_plural = _("催报催办")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} 催办 {self.unit}"
