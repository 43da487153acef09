"""Plans (行动计划) → chapters → tasks (重点任务) → measures (具体措施), and who carries them."""

# Long module: the models of one aggregate (plan → measure → progress, history), their constraints, and the
# rules on measures written once (finished_q … MeasureQuerySet); split into models/ when it grows.
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


def plan_in_force_q(plan: str = "") -> Q:
    """The rule "in force": the plan (reached by ``plan``, e.g. ``"plan__"`` from a chapter) is not withdrawn."""
    return Q(**{f"{plan}withdrawn_at__isnull": True})


def plan_in_scope_q(jurisdiction, plan: str = "") -> Q:
    """The rule "in the jurisdiction": the plan (reached by ``plan``) belongs to ``jurisdiction`` (a
    departments.Jurisdiction) or to one below it; ``None`` (an account without a scope) takes every plan.

    A measure, chapter or task is in a jurisdiction when its plan is (``in_scope_q``): what an office
    or viewer account sees, what its dashboards count and what its notices list (departments/scopes.py).
    """
    if jurisdiction is None:
        return Q()
    return Q(**{f"{plan}jurisdiction__path__startswith": jurisdiction.path})


class PlanQuerySet(models.QuerySet):
    def in_force(self):
        """Plans the office works on: not withdrawn (撤回). Withdrawn plans keep their records."""
        return self.filter(plan_in_force_q())

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def within(self, jurisdiction):
        """Plans of ``jurisdiction`` (a departments.Jurisdiction) and of every jurisdiction below it."""
        return self.filter(plan_in_scope_q(jurisdiction))

    def in_scope(self, jurisdiction):
        """``within(jurisdiction)``, or every plan for ``None`` (an account that sees everything)."""
        return self.filter(plan_in_scope_q(jurisdiction))

    def with_counts(self):
        """Each plan with ``chapter_count``, ``task_count`` and ``measure_count``: a counting subquery each (one
        join of chapters, tasks and measures counted their product: seconds at city scale)."""
        return self.annotate(
            chapter_count=count_per_row(Chapter.objects, "plan"),
            task_count=count_per_row(Task.objects, "plan"),
            measure_count=count_per_row(Measure.objects, "task__plan"),
        )


def count_per_row(rows, outer_path: str) -> Coalesce:
    """How many of ``rows`` belong to the outer query's row (reached from ``rows`` by ``outer_path``), as a
    subquery. Unlike ``Count`` through a join, it does not group the outer query: a page of it counts only its
    own rows, and the paginator's ``COUNT`` counts the outer rows alone."""
    counted = (
        rows.filter(**{outer_path: models.OuterRef("pk")})
        .order_by()
        .values(outer_path)
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(counted), 0)


class Plan(models.Model):
    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("市级")
        DISTRICT = "district", _("区级")

    title = models.CharField(_("名称"), max_length=200)
    issuing_body = models.CharField(_("发文机关"), max_length=120, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.DISTRICT)
    district = models.CharField(_("所属区"), max_length=20, blank=True)
    jurisdiction = models.ForeignKey(
        "departments.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("所属行政区划"),
        help_text=_("市级计划属于市（如北京市 110000），区级计划属于其区"),
    )
    year_start = models.PositiveSmallIntegerField(_("起始年份"))
    year_end = models.PositiveSmallIntegerField(_("截止年份"))
    issue_date = models.DateField(_("印发日期"), null=True, blank=True)
    goals = models.TextField(_("目标"), blank=True)
    carries_out = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_out_by",
        verbose_name=_("承接的上级计划"),
        help_text=_("本计划分解落实的上级计划（如区级任务分解承接市级行动计划）"),
    )
    source_file = models.FileField(_("原始文件"), upload_to="plans/%Y/", blank=True)
    source_name = models.CharField(_("原始文件名"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    withdrawn_at = models.DateTimeField(
        _("撤回时间"),
        null=True,
        blank=True,
        help_text=_("撤回的导入：计划及其记录保留，但不再出现在看板、排名、通报和提醒中"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")
        ordering = ["-year_start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(year_end__gte=F("year_start")), name="plan_years_ordered"),
            models.UniqueConstraint(
                fields=["source_sha256"], condition=~Q(source_sha256=""), name="plan_unique_source_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.year_end, 12, 31)


class Chapter(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("行动计划")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="chapter_unique_number")]

    def __str__(self) -> str:
        from .numerals import chinese_numeral

        return f"{chinese_numeral(self.number)}、{self.title}"


class Task(models.Model):
    """重点任务: a numbered item of a plan (numbers run through the whole plan)."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("章节")
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("行动计划"))
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("任务"), max_length=300)

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


# --- The rules on measures, each written once ------------------------------------------
# As Q objects, so that a count through a relation (``prefix="measure__"`` from an assignment) and the
# QuerySet methods below say the same thing; dashboards, selectors, exports, notices, rankings and
# reminders use these and spell no rule of their own.


def finished_q(prefix: str = "") -> Q:
    """Finished: reported done (已完成) or signed off (销号)."""
    return Q(**{f"{prefix}status": Measure.Status.DONE}) | Q(**{f"{prefix}signed_off_at__isnull": False})


def finished_late_q(prefix: str = "") -> Q:
    """Finished late (逾期完成): finished, on a day after its deadline. It stays late for good: never green."""
    return finished_q(prefix) & Q(**{f"{prefix}finished_on__gt": F(f"{prefix}due_date")})


def overdue_q(on: dt.date, prefix: str = "") -> Q:
    """Overdue on ``on``: not finished and due before that day."""
    return ~finished_q(prefix) & Q(**{f"{prefix}due_date__lt": on})


def due_between_q(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Open and due from ``start`` to ``end``, both included (the overview's 30日内到期)."""
    return ~finished_q(prefix) & Q(**{f"{prefix}due_date__gte": start, f"{prefix}due_date__lte": end})


def awaiting_sign_off_q(prefix: str = "") -> Q:
    """Reported done, not yet signed off by the office."""
    return Q(**{f"{prefix}status": Measure.Status.DONE, f"{prefix}signed_off_at__isnull": True})


def in_force_q(prefix: str = "") -> Q:
    """Of a plan in force: not withdrawn (PlanQuerySet.in_force). Withdrawn plans keep their records but leave
    the office's views: dashboards, rankings, notices, reminders, who owes a report, the review queue, API lists."""
    return plan_in_force_q(f"{prefix}task__plan__")


def measure_in_force_q(measure: str = "measure") -> Q:
    """``in_force_q`` for rows pointing at a measure (``measure``: the foreign key's name), asked as "not a
    withdrawn plan's measure": a hashed list of those few measures, where joining each row to its measure,
    task and plan cost a city's 143,000 assignments (or 400,000 progress updates) a tenth of a second and more."""
    return ~Q(**{f"{measure}__in": Measure.objects.exclude(in_force_q()).values("pk")})


def in_scope_q(jurisdiction, prefix: str = "") -> Q:
    """Of a plan of ``jurisdiction`` or below (``plan_in_scope_q``); ``None``: every measure."""
    return plan_in_scope_q(jurisdiction, f"{prefix}task__plan__")


def latest_progress_prefetch(prefix: str = "") -> models.Prefetch:
    """The newest progress update of each measure, as ``measure.latest_progress`` (a list of 0 or 1)."""
    return models.Prefetch(
        f"{prefix}progress_updates",
        queryset=ProgressUpdate.objects.select_related("unit").newest_first()[:1],
        to_attr="latest_progress",
    )


class MeasureQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(in_force_q())

    def in_scope(self, jurisdiction):
        return self.filter(in_scope_q(jurisdiction))

    def finished(self):
        return self.filter(finished_q())

    def open(self):
        return self.filter(~finished_q())

    def finished_late(self):
        return self.filter(finished_late_q())

    def overdue(self, *, on: dt.date):
        return self.filter(overdue_q(on))

    def awaiting_sign_off(self):
        return self.filter(awaiting_sign_off_q())

    def due_between(self, start: dt.date, end: dt.date):
        return self.filter(due_between_q(start, end))

    def carried_by(self, unit_ids):
        return self.filter(assignments__unit_id__in=unit_ids).distinct()

    def latest_progress(self):
        """Each measure with ``latest_progress`` (see latest_progress_prefetch): one query for the page."""
        return self.prefetch_related(latest_progress_prefetch())


class Measure(models.Model):
    """具体措施: one concrete action, with its deadline and the units that carry it."""

    class DeadlineKind(models.TextChoices):
        DATED = "dated", _("限期完成")
        WINDOW = "window", _("时段（每年）")
        RECURRING = "recurring", _("定期")
        ONGOING = "ongoing", _("长期实施")
        MILESTONES = "milestones", _("按时间节点")
        PLAN_END = "plan_end", _("计划期末")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        ONGOING = "ongoing", _("长期推进")
        DELAYED = "delayed", _("无法按期完成")

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="measures", verbose_name=_("重点任务")
    )
    sequence = models.PositiveSmallIntegerField(_("任务内序号"))
    code = models.CharField(_("编号"), max_length=20)
    text = models.TextField(_("措施内容"))
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=200, blank=True)
    deadline_kind = models.CharField(
        _("时限类型"), max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.PLAN_END
    )
    due_date = models.DateField(_("完成日期"), null=True, blank=True, db_index=True)
    window_start = models.DateField(_("时段开始"), null=True, blank=True)
    window_end = models.DateField(_("时段结束"), null=True, blank=True)
    deadline_guessed = models.BooleanField(_("时限为推定"), default=False)
    deadline_note = models.CharField(_("时限说明"), max_length=300, blank=True)
    needs_review = models.BooleanField(_("待核实"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    finished_on = models.DateField(
        _("实际完成日期"),
        null=True,
        blank=True,
        help_text=_("措施报告已完成（或销号）的日期；晚于完成日期即为逾期完成"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("每次保存加一，用于发现并发修改"))

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("具体措施")
        verbose_name_plural = _("具体措施")
        ordering = ["task__plan", "task__number", "sequence"]
        indexes = [
            # Open measures by deadline: the overdue ones (overdue_q), a city's 6,600 of 50,000, which the
            # 工作台 and the dashboards count and group. The condition is ~finished_q() (tests/workbench say so).
            models.Index(
                fields=["due_date"],
                condition=~(Q(status="done") | Q(signed_off_at__isnull=False)),
                name="measure_open_by_due_date",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "sequence"], name="measure_unique_sequence"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="measure_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True) | Q(window_end__gte=F("window_start")),
                name="measure_window_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="ongoing") | Q(due_date__isnull=True),
                name="measure_ongoing_has_no_due_date",
            ),
        ]

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 30 else self.text[:30] + "…"
        return f"{self.code} {short}"

    @property
    def status_label(self) -> str:
        """get_status_display() at a list's pace (as Assignment.role_label)."""
        return status_label(self.status)


def status_label(status: str) -> str:
    """A measure's or progress update's status as shown: only its own label translated."""
    return str(Measure.Status(status).label) if status in Measure.Status.values else status


class Milestone(models.Model):
    """A dated step found in the measure's text (2019年3月底前 …)."""

    class Kind(models.TextChoices):
        DUE = "due", _("完成节点")
        START = "start", _("起始节点")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("措施")
    )
    date = models.DateField(_("日期"))
    text = models.CharField(_("原文"), max_length=100)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.DUE)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["measure", "date"]
        constraints = [models.UniqueConstraint(fields=["measure", "date", "text"], name="milestone_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.text}"  # ISO date; str() also copes with a date given as text


class Assignment(models.Model):
    """A unit's role on a measure: lead (牵头), responsible (主责) or assisting (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        RESPONSIBLE = "responsible", _("主责")
        ASSISTING = "assisting", _("协办")

    class Source(models.TextChoices):
        STATED = "stated", _("文件明确")
        INFERRED = "inferred", _("推断待确认")
        MANUAL = "manual", _("人工指定")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("措施")
    )
    unit = models.ForeignKey(
        "departments.Unit",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("单位"),
        db_index=False,  # assignment_unit_measure below serves a unit's lookups too
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.STATED)
    confirmed = models.BooleanField(_("已确认"), default=True)
    written_as = models.CharField(_("原文写法"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["measure", "role", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit", "role"], name="assignment_unique_role"),
        ]
        # A unit's measures, read from the index alone (an index-only scan): the units page counts each
        # unit's measures over a city's ~150,000 assignments (dashboards.units._measure_counts).
        indexes = [models.Index(fields=["unit", "measure"], name="assignment_unit_measure")]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.get_role_display()}）"

    @property
    def role_label(self) -> str:
        """What get_role_display() says, at a list's pace: Django's get_FOO_display() translates every
        choice's label on each call (it hashes them all), this only the one shown."""
        return str(self.Role(self.role).label) if self.role in self.Role.values else self.role


# Which update is the latest: the newest by time, then by id (two saved in the same instant).
NEWEST_FIRST = ("-created_at", "-id")


class ProgressUpdateQuerySet(models.QuerySet):
    def completions(self):
        """“Done” reports that set their measure done (a 协办单位's “done” is its own part, not the measure's)."""
        return self.filter(status=Measure.Status.DONE, sets_measure=True)

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def of_plans_in_force(self):
        """Updates of measures of plans in force (``measure_in_force_q``: without joining each update to its
        plan, which cost a city's 400,000 updates a third of a second to count)."""
        return self.filter(measure_in_force_q())

    def latest_values(self, key: str, *fields: str) -> dict:
        """The latest update of each ``key`` (``"measure_id"``, ``"unit_id"``) among these, as
        key → (``fields``…): one query. Filter first to say whose latest (a unit's, a lead unit's)."""
        latest: dict = {}
        for key_value, *values in self.order_by(key, *NEWEST_FIRST).values_list(key, *fields):
            latest.setdefault(key_value, tuple(values))
        return latest


class ProgressUpdate(models.Model):
    """A unit's report on a measure: status, percent, a note, evidence files. Never edited, only added.

    Only a report of a driving unit (tasks.selectors.driving_unit_ids: the 牵头单位, else the 主责单位)
    sets the measure's status and percent (``sets_measure``); the others report their own part.
    """

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("措施")
    )
    unit = models.ForeignKey(
        "departments.Unit",
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("填报单位"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("填报人"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Measure.Status.choices)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    note = models.TextField(_("进展情况"))
    delay_reason = models.TextField(_("无法按期完成的原因"), blank=True)
    sets_measure = models.BooleanField(
        _("更新措施总体状态"),
        default=True,
        help_text=_(
            "牵头单位（无牵头单位时为主责单位）的填报更新措施的状态和完成百分比；其他单位的填报只报告本单位的情况"
        ),
    )
    # The form's one-time token: the same form posted twice (double click, back button, retry) records once.
    submission = models.UUIDField(_("提交标识"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True, db_index=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("进展填报")
        verbose_name_plural = _("进展填报")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["measure", "-created_at"], name="progress_measure_recent"),
            # "Done" reports are a few percent of all: the dashboards' trend finds them by date, and
            # a measure's first one by measure.
            models.Index(fields=["created_at"], condition=Q(status="done"), name="progress_done_recent"),
            models.Index(
                fields=["measure", "created_at"], condition=Q(status="done"), name="progress_done_by_measure"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="progress_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="delayed") | ~Q(delay_reason=""), name="progress_delay_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.get_status_display()} · {self.created_at:%Y-%m-%d}"

    @property
    def status_label(self) -> str:
        """get_status_display() at a list's pace (as Assignment.role_label)."""
        return status_label(self.status)


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """Stored names are ours (a hash and the checked extension), never the uploader's."""
    return f"evidence/{instance.created_on:%Y/%m}/{instance.sha256[:32]}.{instance.extension}"


class EvidenceFile(models.Model):
    """A checked evidence file (佐证材料), whatever it is attached to: a progress update's here, a monthly
    report's in reports.ReportAttachment. Filled and stored by tasks.evidence.store_evidence."""

    file = models.FileField(_("文件"), upload_to=evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    extension = models.CharField(_("类型"), max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_on = models.DateField(_("上传日期"), default=dt.date.today)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class Evidence(EvidenceFile):
    """佐证材料: a file attached to a progress update, its type checked by content."""

    progress = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("进展填报")
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["progress", "id"]


class HistoryEntry(models.Model):
    """Who changed what, when, from what to what: the history shown on measure and plan pages (a monthly
    report's is reports.ReportHistoryEntry)."""

    class Action(models.TextChoices):
        PROGRESS = "progress", _("填报进展")
        STATUS = "status", _("状态变更")
        ASSIGNMENT = "assignment", _("调整责任单位")
        SIGN_OFF = "sign_off", _("销号")
        IMPORT = "import", _("导入")
        REVIEW = "review", _("审核")
        EDIT = "edit", _("编辑")
        WITHDRAW = "withdraw", _("撤回导入")
        RESTORE = "restore", _("恢复导入")

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("措施"),
    )
    # Plan-level events (withdrawal, restore, edits of the plan's own fields); measure events also
    # name their plan only through the measure.
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("行动计划"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("变更"), default=dict, blank=True, help_text=_("字段 → [之前, 之后]"))
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False) | Q(plan__isnull=False),
                name="history_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"


class MeasureLinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=MeasureLink.State.CONFIRMED)

    def proposed(self):
        return self.filter(state=MeasureLink.State.PROPOSED)

    def from_plans_in_force(self):
        """Links from measures of plans in force (``measure_in_force_q``: without joining each link through its
        measure, task and plan, which cost a city's 27,000 links 0.1 s to count)."""
        return self.filter(measure_in_force_q())


class MeasureLink(models.Model):
    """承接: a lower plan's measure carries out a measure of the plan above it (a district's measure
    carrying out the municipal one). Proposed by text similarity, confirmed by the office
    (tasks/carrying_out.py)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, related_name="upper_link", verbose_name=_("下级措施")
    )
    upper = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="lower_links", verbose_name=_("承接的上级措施")
    )
    similarity = models.FloatField(_("文本相似度"), default=0)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("确认人")
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = MeasureLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("承接关系")
        verbose_name_plural = _("承接关系")
        constraints = [
            models.CheckConstraint(condition=~Q(measure=F("upper")), name="measure_link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} → {self.upper.code}"
