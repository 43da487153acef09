"""The project's own table: the heartbeats of the Celery worker and scheduler (bluesky/heartbeats.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a worker or the scheduler said it is alive; /healthz judges how old it is."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("后台任务进程")
        BEAT = "beat", _("定时调度进程")

    process = models.CharField(_("进程"), max_length=200, primary_key=True)  # kind:hostname
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    seen_at = models.DateTimeField(_("最近心跳"))

    class Meta:
        verbose_name = _("进程心跳")
        verbose_name_plural = _("进程心跳")
        ordering = ["process"]

    def __str__(self) -> str:
        return f"{self.process} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
