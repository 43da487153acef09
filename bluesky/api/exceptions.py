"""The API's answer to what the services raise: the same checks as the pages, as HTTP status codes.

- django PermissionDenied → 403 (DRF's own handler);
- django ValidationError → 400 with the field messages (Chinese, as on the pages);
- a stale edit (any exception whose ``code`` is "stale": tasks.services.StaleEdit, or a report's version
  check's ValidationError) → 409 Conflict;
- a ValidationError whose every message has a code of ``CONFLICT_CODES`` → 409 with the field messages: the
  request is well formed (the schema admits it) but the data's state refuses it (a signed-off measure, a
  report already submitted, a month not yet open), which a client cannot know from the schema.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CONFLICT_CODES = frozenset({"stale", "state", "future", "incomplete"})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "数据已被他人更新，请刷新后再操作。"
    default_code = "stale"


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"detail": " ".join(str(m) for m in exc.messages)}


def _codes(exc: DjangoValidationError) -> set:
    errors = (
        [e for es in exc.error_dict.values() for e in es] if hasattr(exc, "error_dict") else exc.error_list
    )
    return {error.code for error in errors}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "stale":
            exc = Conflict(" ".join(exc.messages))
        else:
            conflict = _codes(exc) <= CONFLICT_CODES
            return Response(
                _django_validation_detail(exc),
                status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST,
            )
    elif getattr(exc, "code", None) == "stale":
        exc = Conflict(str(exc))
    return drf_exception_handler(exc, context)
