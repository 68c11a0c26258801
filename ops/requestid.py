"""A request id on every log line: taken from nginx's X-Request-ID (`proxy_set_header
X-Request-ID $request_id;` in deploy/nginx) or made here, echoed in the response's header, and
carried in the headers of every Celery task the request enqueues, so that the task's log lines
carry it too.

The id lives in a context variable for the length of a request or a task; ops.logs puts it on
each log record.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import Token

from django.http import HttpRequest, HttpResponse

from .logs import request_id

HEADER = "X-Request-ID"
TASK_HEADER = "qinqing_request_id"  # the Celery message header that carries it
# nginx's $request_id is 32 hex digits; any other proxy's id is taken if it is this tame.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")

access_log = logging.getLogger("qinqing.request")
task_log = logging.getLogger("qinqing.task")


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_request_id(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if ACCEPTED.fullmatch(given) else new_request_id()


class RequestIdMiddleware:
    """Sets the request's id for its log lines and answers it in X-Request-ID; writes one log
    line for each request (method, path without its query, view, status, time)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_request_id(request)
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            match = getattr(request, "resolver_match", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "view": match.view_name if match else "",
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


# --- Celery: into the task's headers, and back out in the worker -----------------------------

_task_tokens: dict[str, Token] = {}


def add_to_task_headers(headers: dict | None = None, **kwargs) -> None:
    """before_task_publish: the enqueueing request's (or task's) id rides in the headers."""
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


def task_started(task_id: str | None = None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the id it was sent with (an eager task, run in
    the request's own thread, keeps the request's)."""
    rid = getattr(getattr(task, "request", None), TASK_HEADER, None)
    if rid and task_id:
        _task_tokens[task_id] = request_id.set(str(rid))
    task_log.info("task %s started", getattr(task, "name", "?"), extra={"task_id": task_id})


def task_finished(task_id: str | None = None, **kwargs) -> None:
    """task_postrun: the worker's next task starts without it."""
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        request_id.reset(token)
