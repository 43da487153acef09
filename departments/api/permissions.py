"""API permissions: everyone signed in reads; viewers never write; unit scope is checked by the services."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from departments.roles import is_viewer


class ViewersReadOnly(BasePermission):
    message = "查看账号只能查看，不能修改。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or not is_viewer(request.user)
