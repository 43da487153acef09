"""The read-only viewset every app's API builds on, the error answers its schema documents, and the
JSON 404 for an address under /api/ that names nothing."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets

ID_PATTERN = r"[0-9]{1,19}"  # MAX_ID (2**62) has 19 digits; larger ids find nothing (404)
ERRORS = {
    400: OpenApiResponse(description="输入有误（字段及中文说明）"),
    403: OpenApiResponse(description="无权操作"),
    409: OpenApiResponse(description="数据已被他人更新"),
}


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details; who may read or write is REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES
    (departments/api/permissions.py: viewers never write)."""

    lookup_value_regex = ID_PATTERN


def not_found(request, exception=None):
    """Django's 404 (handler404): JSON under /api/ (the API's clients read JSON, as its schema says), the
    site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。"}, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)
