"""Error responses for the OpenAPI schema: every operation lists the ones it can answer."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer

FIELD_ERRORS = {
    "type": "object",
    "description": "Field name → messages; `non_field_errors` for the request as a whole.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

DESCRIPTIONS = {
    400: "Invalid input: the fields and what is wrong with each. Nothing was changed.",
    401: "No credentials, or wrong ones.",
    403: "You may see this but not do this. Nothing was changed.",
    404: "Not found: it does not exist, or you may not see it.",
    409: "The ticket's status does not allow this now (`invalid_transition`). Nothing changed.",
    429: "Too many requests; try again after `Retry-After` seconds.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {
        code: OpenApiResponse(
            response=FIELD_ERRORS if code == 400 else ErrorSerializer,
            description=DESCRIPTIONS[code],
        )
        for code in codes
    }
