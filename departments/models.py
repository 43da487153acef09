"""Units (单位) that carry plan measures, their other names, groups and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_district(self, district: str):
        return self.filter(district=district)


class Unit(models.Model):
    """A unit that can lead, be responsible for or assist a measure.

    A unit of kind GROUP (各街乡镇, …成员单位) stands for many units; its
    ``members`` say which, where known. Names are unique within a district
    (every district has its own 区生态环境局); municipal units have district "".
    """

    class Kind(models.TextChoices):
        MUNICIPAL_DEPARTMENT = "municipal_department", _("市级部门")
        DISTRICT_GOVERNMENT = "district_government", _("区政府")
        DISTRICT_BUREAU = "district_bureau", _("区级委办局")
        STREET_TOWN = "street_town", _("街道乡镇")
        ENTERPRISE = "enterprise", _("企业")
        GROUP = "group", _("单位统称")
        OTHER = "other", _("其他")

    name = models.CharField(_("规范名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    district = models.CharField(
        _("所属区"), max_length=20, blank=True, default="", help_text=_("市级单位留空")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    needs_review = models.BooleanField(
        _("待核实"), default=False, help_text=_("导入时未能识别的单位，需大气办确认")
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="groups",
        verbose_name=_("成员单位"),
        help_text=_("仅用于“单位统称”：它代表的单位"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["district", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unit_unique_name_per_district"),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_empty"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.name}（{self.district}）"
            if self.district and not self.name.startswith(self.district)
            else self.name
        )


class UnitAlias(models.Model):
    """Another way a unit is written: an abbreviation, or its name before a rename."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("简称/别称")
        FORMER = "former", _("曾用名")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("单位"))
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.ALIAS)
    renamed_on = models.DateField(_("更名日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位别称")
        verbose_name_plural = _("单位别称")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="alias_unique_per_unit"),
            models.CheckConstraint(
                condition=Q(kind="former") | Q(renamed_on__isnull=True),
                name="alias_rename_date_only_for_former",
            ),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.kind == self.Kind.FORMER else "="
        return f"{self.name} {arrow} {self.unit.name}"


class UnitMembership(models.Model):
    """A person working for a unit: they see and report what the unit carries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_memberships",
        verbose_name=_("用户"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("单位")
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位人员")
        verbose_name_plural = _("单位人员")
        ordering = ["unit", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.name}"


class ApiTokenQuerySet(models.QuerySet):
    def live(self, *, now=None):
        from django.utils import timezone

        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """An API token: only its SHA-256 is stored; the secret is shown once, when it is issued.

    Tokens expire, carry a name saying what they are for, and are revoked when their owner's
    password changes or the account is deactivated (departments/api_tokens.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("所属账号"),
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(
        _("令牌前缀"), max_length=12, db_index=True, help_text=_("用于识别令牌，不是密钥")
    )
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=100, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
