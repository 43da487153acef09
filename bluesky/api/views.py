"""The read-only viewset every app's API builds on, and the error answers its schema documents."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets

ID_PATTERN = r"[0-9]{1,18}"
ERRORS = {
    400: OpenApiResponse(description="输入有误（字段及中文说明）"),
    403: OpenApiResponse(description="无权操作"),
    409: OpenApiResponse(description="数据已被他人更新"),
}


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details; who may read or write is REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES
    (departments/api/permissions.py: viewers never write)."""

    lookup_value_regex = ID_PATTERN
