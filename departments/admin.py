"""Admin for the unit directory: the office edits units, their other names, groups and staff here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .account_admin import register as register_account_admin
from .models import ApiToken, Unit, UnitAlias, UnitMembership
from .scopes import reading_scope


class InJurisdictionAdmin:
    """An office account with a jurisdiction lists and opens only its jurisdiction's records in the admin too
    (another's id is not found); ``scoped`` narrows a queryset, by default with its ``in_scope``."""

    def scoped(self, queryset, scope):
        return queryset.in_scope(scope)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = reading_scope(request.user)
        return queryset if scope is None else self.scoped(queryset, scope)


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 0


class UnitMembershipInline(admin.TabularInline):
    model = UnitMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(InJurisdictionAdmin, admin.ModelAdmin):
    list_display = ["name", "district", "kind", "is_active", "needs_review", "alias_list"]
    list_filter = ["kind", "district", "is_active", "needs_review"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [UnitAliasInline, UnitMembershipInline]
    list_editable = ["is_active", "needs_review"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("别称"))
    def alias_list(self, obj):
        return "、".join(a.name for a in obj.aliases.all())


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
