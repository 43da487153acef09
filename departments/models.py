"""Jurisdictions (行政区划), the units (单位) that carry plan measures, their other names, groups and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JurisdictionQuerySet(models.QuerySet):
    def within(self, jurisdiction: Jurisdiction):
        """``jurisdiction`` and everything below it (its subtree, by the materialised path)."""
        return self.filter(path__startswith=jurisdiction.path)

    def districts(self):
        return self.filter(level=Jurisdiction.Level.DISTRICT)


class Jurisdiction(models.Model):
    """An administrative division (行政区划) with its GB/T 2260 code.

    The tree runs province → city → district/county → street/town. Municipalities
    (北京市 110000) are province-level and have no city level: their districts hang
    under the province node. ``path`` ("/110000/110106/") makes a subtree one
    indexed ``startswith``; ``departments.jurisdictions`` keeps it right.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县级")
        STREET = "street", _("乡镇街道级")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级区划"),
    )
    path = models.CharField(_("路径"), max_length=80, db_index=True, editable=False)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}([0-9]{3}){0,2}$"), name="jurisdiction_code_digits"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="jurisdiction_name_not_empty"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(level="province"), name="jurisdiction_province_is_root"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def district_label(self) -> str:
        """What a unit's or plan's ``district`` label says for this jurisdiction: its district's name, "" above."""
        if self.level == self.Level.DISTRICT:
            return self.name
        if self.level == self.Level.STREET and self.parent_id:
            return self.parent.district_label
        return ""

    def contains(self, other: Jurisdiction | None) -> bool:
        """``other`` is this jurisdiction or lies below it: ``JurisdictionQuerySet.within`` for one in hand."""
        return other is not None and other.path.startswith(self.path)

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_district(self, district: str):
        return self.filter(district=district)

    def within(self, jurisdiction: Jurisdiction):
        """Units of ``jurisdiction`` and of every jurisdiction below it."""
        return self.filter(jurisdiction__path__startswith=jurisdiction.path)

    def in_scope(self, jurisdiction: Jurisdiction | None):
        """``within(jurisdiction)``, or every unit for ``None`` (an account that sees everything)."""
        return self if jurisdiction is None else self.within(jurisdiction)


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
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("所属行政区划"),
        help_text=_("市级单位属于市（如北京市 110000）；区级单位属于其区"),
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

    def save(self, *args, **kwargs):
        # The district label mirrors the jurisdiction (pages, the importer and the directory read the label).
        if self.jurisdiction_id and self.jurisdiction.district_label != self.district:
            self.district = self.jurisdiction.district_label
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "district"}
        super().save(*args, **kwargs)

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


class OfficeScope(models.Model):
    """The jurisdiction an office or leader account works for: it sees that jurisdiction and below.

    An office or viewer account without a scope sees everything, as before jurisdictions
    existed (``departments.scopes.scope_of``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="office_scope",
        verbose_name=_("用户"),
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="office_scopes", verbose_name=_("行政区划")
    )

    class Meta:
        verbose_name = _("账号辖区")
        verbose_name_plural = _("账号辖区")
        ordering = ["jurisdiction__path", "user"]

    def __str__(self) -> str:
        return f"{self.user} → {self.jurisdiction.name}"


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
