"""Logs a city can ship: JSON lines in production (python-json-logger), readable text in
development, each line with the request id of ops.requestid, and no phone number or e-mail
address in any of them.

`logging_config(json=…)` is the LOGGING of the settings; its filters sit on the handler, so
they see every record that reaches it, whichever logger wrote it (Django's, Celery's, ours).
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

# The id of the request (or task) being served; ops.requestid sets it. Here, with no import of
# Django, so that the settings can read `logging_config`.
request_id: ContextVar[str | None] = ContextVar("qinqing_request_id", default=None)

# Mainland mobile numbers (1[3-9] and nine digits, spaces or dashes allowed as 3-4-4), landlines
# with their area code (010-12345678, 0431 8888 6666), each not part of a longer run of
# letters or digits (a USCC, a ticket number, a timestamp).
MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])"
)
LANDLINE = re.compile(r"(?<![0-9A-Za-z])(0\d{2,3})[- ]?(\d{3,4})[- ]?(\d{4})(?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def mask(text: str) -> str:
    """138****5678 for a phone number (the usual 脱敏), ***@example.com for an e-mail address."""
    text = EMAIL.sub(lambda m: f"***@{m.group(1)}", text)
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)


# The attributes every record has; any other was added by the call's `extra` (Celery's `data`
# holds a task's arguments, for one) and is masked too.
STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


def _masked(value):
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


class MaskPersonalData(logging.Filter):
    """Masks phone numbers and e-mail addresses in the message, its arguments, the fields of
    its `extra` and a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        for name in set(vars(record)) - STANDARD:
            setattr(record, name, _masked(getattr(record, name)))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
            record.exc_info = None  # formatters print exc_text as it is now
        return True


class RequestId(logging.Filter):
    """Puts the current request's (or task's) id on the record: `request_id`, "-" if none."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The fields of each JSON line; the `extra` of a call (view, status, duration_ms …) is added.
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def logging_config(*, json: bool, levels: dict[str, str] | None = None) -> dict:
    """The LOGGING dict: one handler on standard error (journald or the container keeps it)."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FORMAT,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
            "json_ensure_ascii": False,
        }
        if json
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "ops.logs.RequestId"},
            "mask": {"()": "ops.logs.MaskPersonalData"},
        },
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id", "mask"],
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            name: {"level": level}
            for name, level in {
                "django": "WARNING",
                "axes": "WARNING",
                **(levels or {}),
            }.items()
        },
    }
