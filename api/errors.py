"""One shape for every error the API answers.

- 400: field errors, `{"field": ["message", …], "non_field_errors": [...]}`;
- every other status: `{"code": "…", "detail": "…"}` — 401 `not_authenticated`, 403
  `permission_denied` or `forbidden` (the transition table's refusal), 404 `not_found`, 409
  `invalid_transition`, 429 `throttled`, …

tickets.workflow.TransitionError and django's ValidationError, raised by the services, become
these here, so views only call the services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tickets.workflow import TransitionError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def as_api_error(error: Exception, *, field_names: dict[str, str] | None = None) -> Exception:
    """The API exception for a domain error; `field_names` renames the services' fields."""
    if isinstance(error, TransitionError):
        if error.code == "forbidden":
            return exceptions.PermissionDenied(error.message, code="forbidden")
        return Conflict(error.message, code=error.code)
    if isinstance(error, DjangoValidationError):
        names = field_names or {}
        if hasattr(error, "error_dict"):
            return exceptions.ValidationError(
                {
                    names.get(field, field) if field != "__all__" else "non_field_errors": messages
                    for field, messages in error.message_dict.items()
                }
            )
        return exceptions.ValidationError({"non_field_errors": error.messages})
    return error


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # the same words for the invisible and the nonexistent
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    exc = as_api_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        if not isinstance(response.data, dict) or "detail" in response.data:
            response.data = {"non_field_errors": _messages(response.data)}
        return response
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(detail, "code", None) or _default_code(exc)
    response.data = {"code": code, "detail": str(detail)}
    return response


def _default_code(exc: Exception) -> str:
    if isinstance(exc, exceptions.APIException):
        return exc.default_code
    return "error"


def _messages(data) -> list[str]:
    if isinstance(data, dict):
        return [str(m) for value in data.values() for m in _messages(value)]
    if isinstance(data, list):
        return [str(m) for value in data for m in _messages(value)]
    return [str(data)]
