"""Accounts in the admin, for an office that must not be able to raise its own privileges.

The office (大气办管理员) creates and maintains accounts: names, e-mail, the active
flag, a password reset, and the role of *other* people among 单位填报员 and 领导查看.
Only a superuser changes ``is_superuser``, ``is_staff``, groups and single
permissions, gives the office role, or touches a superuser's account. No one
deletes an account: deleting would blank the author of every record the person
made, so accounts are deactivated (停用) instead, which also keeps their history.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from . import roles

User = get_user_model()

# What an office administrator may hand out: never its own role, never superuser.
GRANTABLE_ROLES = (roles.UNIT_STAFF, roles.VIEWER)
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _role_field(initial: str | None = None) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("角色"),
        choices=[(name, name) for name in GRANTABLE_ROLES],
        initial=initial,
        help_text=_("大气办管理员角色和超级用户只能由系统管理员（超级用户）授予。"),
    )


class RoleUserAdmin(UserAdmin):
    actions = ["deactivate_accounts"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # accounts are deactivated, never deleted
        return actions

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if request.user.is_superuser or obj is None:
            return True
        # An office administrator never edits a superuser, nor another office administrator.
        return not obj.is_superuser and not (obj != request.user and roles.OFFICE_ADMIN in _groups(obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*PRIVILEGE_FIELDS, "last_login", "date_joined"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or (obj is not None and obj == request.user):
            return fieldsets
        # Other people's role, among those the office may give.
        return [*fieldsets, (_("角色"), {"fields": ("role",)})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        superuser = request.user.is_superuser
        own_account = obj is not None and obj == request.user
        if not superuser:
            kwargs["fields"] = None  # the fieldsets decide; privilege fields stay read-only
        form = super().get_form(request, obj, change=change, **kwargs)
        if superuser or own_account:
            return form
        current = next((name for name in GRANTABLE_ROLES if obj is not None and name in _groups(obj)), None)
        return type("RoleForm", (form,), {"role": _role_field(current or roles.UNIT_STAFF)})

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and "role" in form.cleaned_data:
            obj.is_staff = form.cleaned_data["role"] == roles.VIEWER  # viewers read the admin
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = form.cleaned_data.get("role")
        if not request.user.is_superuser and role in GRANTABLE_ROLES:
            user = form.instance
            user.groups.remove(*Group.objects.filter(name__in=GRANTABLE_ROLES))
            user.groups.add(Group.objects.get(name=role))

    @admin.action(description=_("停用所选账号（保留其全部记录）"), permissions=["change"])
    def deactivate_accounts(self, request, queryset):
        allowed = queryset if request.user.is_superuser else queryset.filter(is_superuser=False)
        allowed = allowed.exclude(pk=request.user.pk)
        count = 0
        for user in allowed.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])  # revokes the account's API tokens too
            count += 1
        messages.success(request, f"已停用 {count} 个账号；其填报和操作记录全部保留。")


def _groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def register() -> None:
    if admin.site.is_registered(User):
        admin.site.unregister(User)
    admin.site.register(User, RoleUserAdmin)
