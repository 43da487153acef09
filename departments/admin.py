"""Admin for the unit directory: the office edits units, their other names, groups and staff here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .account_admin import register as register_account_admin
from .models import ApiToken, Jurisdiction, OfficeScope, Unit, UnitAlias, UnitMembership
from .scopes import reading_scope
from .services import load_units
from .unit_files import UnitFileError


class InJurisdictionAdmin:
    """An office account with a jurisdiction lists and opens only its jurisdiction's records in the admin too
    (another's id is not found); ``scoped`` narrows a queryset, by default with its ``in_scope``."""

    def scoped(self, queryset, scope):
        return queryset.in_scope(scope)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = reading_scope(request.user)
        return queryset if scope is None else self.scoped(queryset, scope)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    """The division tree, listed in tree order (by path) and indented; searchable by name or code."""

    list_display = ["indented_name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    list_select_related = ["parent"]
    list_per_page = 200

    @admin.display(description=_("名称"), ordering="path")
    def indented_name(self, obj):
        return "　" * (obj.path.count("/") - 2) + obj.name


@admin.register(OfficeScope)
class OfficeScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction"]
    search_fields = ["user__username", "jurisdiction__name", "jurisdiction__code"]
    autocomplete_fields = ["user", "jurisdiction"]
    list_select_related = ["user", "jurisdiction"]


class UnitFileForm(forms.Form):
    file = forms.FileField(label=_("单位名录文件（.xlsx 或 .csv）"))


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0


class UnitMembershipInline(admin.TabularInline):
    model = UnitMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    list_display = ["name", "district", "jurisdiction", "kind", "is_active", "needs_review", "alias_list"]
    list_filter = ["kind", "district", "is_active", "needs_review"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["jurisdiction"]
    change_list_template = "admin/departments/unit/change_list.html"
    inlines = [UnitAliasInline, UnitMembershipInline]
    list_editable = ["is_active", "needs_review"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("别称"))
    def alias_list(self, obj):
        return "、".join(a.name for a in obj.aliases.all())

    def get_urls(self):
        load = path("load/", self.admin_site.admin_view(self.load_units_view), name="departments_unit_load")
        return [load, *super().get_urls()]

    def load_units_view(self, request):
        """Upload a unit directory: 检查 shows what it would add (or every error), 载入 loads it, all or nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UnitFileForm(request.POST or None, request.FILES or None)
        errors, counts, loaded = [], None, False
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            loaded = "load" in request.POST
            try:
                counts = load_units(data=upload.read(), filename=upload.name, dry_run=not loaded)
            except UnitFileError as exc:
                errors, loaded = exc.errors, False
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("载入单位名录"),
            "form": form,
            "errors": errors,
            "counts": counts,
            "loaded": loaded,
        }
        return TemplateResponse(request, "admin/departments/unit/load_units.html", context)


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "renamed_on"]
    list_filter = ["kind", "unit__district"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "created_at"]
    list_filter = ["unit__district"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


# Accounts: the office manages people but can never raise privileges (departments/account_admin.py).
register_account_admin()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued on /accounts/tokens/ (the secret is shown once there); here they are listed and revoked."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_reason",
    ]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("撤销所选令牌"), permissions=["change"])
    def revoke(self, request, queryset):
        from .api_tokens import revoke_token

        for token in queryset.filter(revoked_at__isnull=True):
            revoke_token(token=token, reason=f"由 {request.user.get_username()} 在后台撤销")
