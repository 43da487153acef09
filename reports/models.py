"""Monthly reports and their review; the working-day calendar they fall due on."""

# Long module: the models of monthly reports, reviews, report history, reminders and deliveries, notices and
# rankings: the reports app's tables in one place, as Django expects (split into models/ when it grows).
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from departments.models import Unit
from tasks.models import EvidenceFile


class WorkdayOverride(models.Model):
    """A day the office declares a holiday or a working day, over the national calendar."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '休息'} {self.note}".strip()


class MonthlyReportQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period=period)

    def in_scope(self, jurisdiction):
        """Reports of the units of ``jurisdiction`` and below (departments.UnitQuerySet.in_scope); None: all."""
        if jurisdiction is None:
            return self
        return self.filter(unit__in=Unit.objects.in_scope(jurisdiction))


class MonthlyReport(models.Model):
    """A unit's report for one month (period = the month's first day), due on the 3rd working day after it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")
        RESUBMITTED = "resubmitted", _("重新报送")
        ACCEPTED = "accepted", _("已通过")

    unit = models.ForeignKey(
        "departments.Unit", on_delete=models.PROTECT, related_name="monthly_reports", verbose_name=_("单位")
    )
    period = models.DateField(_("月份"), help_text=_("该月第一天"))
    due_date = models.DateField(_("报送截止日"))
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    summary = models.TextField(_("本月工作小结"), blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    # The one-time token of the last form that saved or submitted the report: the same form posted again
    # (back button, double click, retry) changes nothing.
    last_submission = models.UUIDField(_("最近提交标识"), null=True, blank=True, editable=False)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_one_per_unit_and_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="report_period_is_first_of_month"),
            models.CheckConstraint(
                condition=Q(due_date__gt=models.F("period")), name="report_due_after_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.period:%Y年%m月}月报"

    @property
    def state_label(self) -> str:
        """What get_state_display() says, at a list's pace: Django's get_FOO_display() translates every
        choice's label on each call (it hashes them all), this only the one shown."""
        return str(self.State(self.state).label) if self.state in self.State.values else self.state

    @property
    def is_on_time(self) -> bool | None:
        """On time if first submitted by the end of the due date (Beijing time); None until submitted."""
        if self.first_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) <= self.due_date


class MonthlyReportItem(models.Model):
    """One measure in a monthly report: its state as the unit reported it that month."""

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="items", verbose_name=_("月报")
    )
    measure = models.ForeignKey(
        "tasks.Measure", on_delete=models.CASCADE, related_name="report_items", verbose_name=_("措施")
    )
    status = models.CharField(_("状态"), max_length=16)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    note = models.TextField(_("本月进展"), blank=True)

    class Meta:
        verbose_name = _("月报条目")
        verbose_name_plural = _("月报条目")
        ordering = ["report", "measure"]
        constraints = [models.UniqueConstraint(fields=["report", "measure"], name="report_item_unique")]

    def __str__(self) -> str:
        return f"{self.report} · {self.measure.code}"


class ReportAttachment(EvidenceFile):
    """佐证材料 of a monthly report, checked as a progress update's evidence is (tasks.evidence)."""

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("月报")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("月报附件")
        verbose_name_plural = _("月报附件")
        ordering = ["report", "id"]


class ReportReview(models.Model):
    """The office's decision on a submitted report."""

    class Decision(models.TextChoices):
        RETURN = "return", _("退回")
        ACCEPT = "accept", _("通过")

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("月报")
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("审核人"))
    decision = models.CharField(_("结论"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("审核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月报审核")
        verbose_name_plural = _("月报审核")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="return") | ~Q(comment=""), name="review_return_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_decision_display()}"


class ReportHistoryEntry(models.Model):
    """Who submitted, returned or accepted a monthly report, when, from what state to what: the history on
    the report page (measure history stays tasks.HistoryEntry, so neither app's models point at the other's)."""

    class Action(models.TextChoices):
        SUBMIT = "report_submit", _("报送月报")
        RETURN = "report_return", _("退回月报")
        ACCEPT = "report_accept", _("通过月报")
        WITHDRAW = "report_withdraw", _("撤回月报")

    report = models.ForeignKey(
        MonthlyReport, on_delete=models.CASCADE, related_name="history_entries", verbose_name=_("月报")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("变更"), default=dict, blank=True, help_text=_("字段 → [之前, 之后]"))
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"


# --- Reminders and notifications ----------------------------------------------


class NotificationPreference(models.Model):
    """Which channels a person wants reminders on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("用户"),
    )
    by_email = models.BooleanField(_("邮件"), default=True)
    in_app = models.BooleanField(_("站内通知"), default=True)
    by_webhook = models.BooleanField(_("群机器人"), default=False)

    class Meta:
        verbose_name = _("提醒方式")
        verbose_name_plural = _("提醒方式")

    def __str__(self) -> str:
        return f"{self.user} 的提醒方式"


class Notification(models.Model):
    """An in-app message (the bell in the page header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """One thing a person was reminded of. The unique key makes every reminder happen once."""

    class Kind(models.TextChoices):
        DEADLINE_AHEAD = "deadline_ahead", _("即将到期")
        DEADLINE_TODAY = "deadline_today", _("今日到期")
        OVERDUE = "overdue", _("已逾期")
        OVERDUE_ESCALATED = "overdue_escalated", _("逾期上报大气办")
        REPORT_AHEAD = "report_ahead", _("月报即将截止")
        REPORT_TODAY = "report_today", _("月报今日截止")
        REPORTS_MISSING = "reports_missing", _("月报未报送")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("事项"), max_length=100, help_text=_("如 measure:12、report:3:2026-10"))
    due_date = models.DateField(_("到期日"))
    text = models.CharField(_("内容"), max_length=500)
    delivery = models.ForeignKey(
        "Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("投递"),
        help_text=_("汇总所在的首个渠道的投递"),
    )
    digest_date = models.DateField(
        _("汇总日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("纳入哪一天的提醒汇总；为空表示尚未汇总发送"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "subject", "kind", "due_date"], name="reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()} · {self.subject}"


class Delivery(models.Model):
    """One digest to one person on one channel in one run; retried with backoff until sent."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        IN_APP = "in_app", _("站内通知")
        WEBHOOK = "webhook", _("群机器人")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("接收人"),
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    run_date = models.DateField(_("提醒日期"))
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒投递")
        verbose_name_plural = _("提醒投递")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "run_date"], name="delivery_one_digest_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_channel_display()} · {self.run_date}"


# --- Weekly notice and monthly ranking ------------------------------------------


class WeeklyNotice(models.Model):
    """周通报 for the week starting ``week_start`` (a Monday), as a .docx: one per jurisdiction an office works
    for (``jurisdiction``), and one over everything (none), as before jurisdictions existed."""

    week_start = models.DateField(_("周一"))
    jurisdiction = models.ForeignKey(
        "departments.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("行政区划"),
        help_text=_("通报的范围；留空为全部"),
    )
    file = models.FileField(_("文件"), upload_to="notices/")
    figures = models.JSONField(_("关键数据"), default=dict)
    opening = models.TextField(_("开头语"), blank=True, help_text=_("正文前的一段话，留空则用默认开头"))
    closing = models.TextField(_("结束语"), blank=True, help_text=_("正文后的要求，留空则不写"))
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("周通报")
        verbose_name_plural = _("周通报")
        ordering = ["-week_start"]
        constraints = [
            models.CheckConstraint(condition=Q(week_start__week_day=2), name="notice_week_starts_monday"),
            models.UniqueConstraint(fields=["week_start", "jurisdiction"], name="notice_unique_week_scope"),
            models.UniqueConstraint(
                fields=["week_start"], condition=Q(jurisdiction__isnull=True), name="notice_unique_week_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d} 周通报"


class ScoreFormula(models.Model):
    """How the monthly ranking scores a unit; the office sets the weights, one formula is active."""

    name = models.CharField(_("名称"), max_length=60)
    is_active = models.BooleanField(_("当前使用"), default=True)
    base = models.DecimalField(_("基础分"), max_digits=6, decimal_places=2, default=60)
    weight_on_time_reports = models.DecimalField(
        _("月报按时率权重"), max_digits=6, decimal_places=2, default=20
    )
    weight_done_on_time = models.DecimalField(_("按期完成率权重"), max_digits=6, decimal_places=2, default=20)
    penalty_per_overdue = models.DecimalField(_("每项逾期扣分"), max_digits=6, decimal_places=2, default=2)
    penalty_per_return = models.DecimalField(_("每次退回扣分"), max_digits=6, decimal_places=2, default=1)
    lowest = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2, default=0)
    highest = models.DecimalField(_("最高分"), max_digits=6, decimal_places=2, default=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("排名计分规则")
        verbose_name_plural = _("排名计分规则")
        ordering = ["-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_formula"
            ),
            models.CheckConstraint(condition=Q(highest__gt=F("lowest")), name="formula_bounds_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def score(self, *, report_rate, done_rate, overdue: int, returned: int):
        """The ranking score, the one place it is computed: the weighted sum held between lowest and highest.

        Penalties alone could take a unit with many overdue measures far below zero, which reads as
        nonsense on paper; the bounds keep every score on the scale the file explains.
        """
        raw = (
            self.base
            + self.weight_on_time_reports * report_rate
            + self.weight_done_on_time * done_rate
            - self.penalty_per_overdue * overdue
            - self.penalty_per_return * returned
        )
        # Decimal(): the default formula is an unsaved instance whose bounds are still the ints 0 and 100.
        return Decimal(min(max(raw, self.lowest), self.highest))


class MonthlyRanking(models.Model):
    """月排名 of units for one month, with its .xlsx: one per jurisdiction an office works for
    (``jurisdiction``), and one over every unit (none), as before jurisdictions existed."""

    period = models.DateField(_("月份"))
    jurisdiction = models.ForeignKey(
        "departments.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("行政区划"),
        help_text=_("排名的范围；留空为全部单位"),
    )
    file = models.FileField(_("文件"), upload_to="rankings/", blank=True)
    formula = models.JSONField(_("计分规则"), default=dict)
    unranked = models.JSONField(
        _("未参与排名的区"),
        default=list,
        blank=True,
        help_text=_("本区计划中没有在办措施、不参与各区排名的区"),
    )
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("月排名")
        verbose_name_plural = _("月排名")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(condition=Q(period__day=1), name="ranking_period_is_first_of_month"),
            models.UniqueConstraint(fields=["period", "jurisdiction"], name="ranking_unique_period_scope"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(jurisdiction__isnull=True), name="ranking_unique_period_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y年%m月}排名"


class RankingRowQuerySet(models.QuerySet):
    def with_unit_name(self):
        """Each row with its unit's name as ``unit_name``, without building the unit (a city's ranking has
        1,500 rows)."""
        return self.annotate(unit_name=models.F("unit__name"))


class RankingRow(models.Model):
    """A place in a ranking. A municipal ranking has two boards: the district governments, each scored on
    its district's plans (``DISTRICTS``), and the municipal bureaus (``UNITS``); every other ranking one."""

    class Board(models.TextChoices):
        UNITS = "units", _("单位排名")
        DISTRICTS = "districts", _("各区排名")

    ranking = models.ForeignKey(
        MonthlyRanking, on_delete=models.CASCADE, related_name="rows", verbose_name=_("月排名")
    )
    unit = models.ForeignKey(
        "departments.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    board = models.CharField(_("排名类别"), max_length=10, choices=Board.choices, default=Board.UNITS)
    rank = models.PositiveIntegerField(_("名次"))
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    measures = models.PositiveIntegerField(_("承担措施"))
    done = models.PositiveIntegerField(_("已完成"))
    finished_late = models.PositiveIntegerField(_("其中逾期完成"), default=0)
    on_track = models.PositiveIntegerField(_("正常推进"))
    overdue = models.PositiveIntegerField(_("逾期"))
    on_time_report_rate = models.DecimalField(_("月报按时率"), max_digits=5, decimal_places=4)
    returned = models.PositiveIntegerField(_("退回次数"), default=0)
    rank_change = models.IntegerField(_("名次变化"), null=True, blank=True, help_text=_("正数为上升"))

    objects = RankingRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("排名明细")
        verbose_name_plural = _("排名明细")
        ordering = ["ranking", "rank"]
        constraints = [models.UniqueConstraint(fields=["ranking", "unit"], name="ranking_row_unique_unit")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit.name} {self.score}"


from .workbench.models import Urge  # noqa: E402,F401  催报/催办 records, in the workbench package
