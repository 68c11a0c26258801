"""/healthz and /readyz, for a load balancer, systemd or a container orchestrator.

- /healthz: the process answers (no database, no Redis): restart it if this fails.
- /readyz: JSON; 503 when something every request needs is down — PostgreSQL, Redis (the
  cache: rate limits, throttles) or Celery's broker — each tried with a short timeout; 200
  otherwise. It also reports, without failing on them, the outbox backlog and the age of its
  oldest message, the last run of each of beat's jobs and the worker's heartbeat (a dead worker
  does not make the web unready: filing still works and the outbox waits for it).
No secret in either answer: no address, no password, only names and states.

ProbeMiddleware answers both (and /metrics) before every other middleware: no host check (a
load balancer asks by address), no HTTPS redirect, no session, no login, no rate limit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string

from . import jobs

logger = logging.getLogger(__name__)
TIMEOUT = 1.0  # seconds each service has to answer


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _timed(check: Callable[[], dict | None]) -> dict:
    started = time.perf_counter()
    try:
        found = check() or {}
        result = {"ok": True, **found}
    except Exception as error:  # any failure of a service is a "down", never a 500
        logger.warning("readiness: %s failed: %s", check.__name__, type(error).__name__)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    """PostgreSQL answers, and the outbox's backlog (one query, on its partial index)."""
    backlog = import_string(settings.OUTBOX_BACKLOG_SOURCE)()
    age = (timezone.now() - backlog.oldest).total_seconds() if backlog.oldest else None
    return {
        "outbox_pending": backlog.pending,
        "outbox_oldest_pending_seconds": None if age is None else round(max(age, 0.0)),
    }


def check_redis() -> dict | None:
    """The cache's Redis answers a PING (django-redis' client, with its 1 s socket timeouts).
    With another cache backend (the database cache of `make run`) there is no Redis to ask."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.startswith("django_redis."):
        return {"skipped": "no Redis cache configured"}
    from django_redis import get_redis_connection

    get_redis_connection("default").ping()
    return None


def check_broker() -> None:
    """Celery's broker takes a connection within the timeout."""
    with current_app.connection_for_write(connect_timeout=TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT)
        conn.default_channel  # noqa: B018 (the Redis transport connects on its first channel)


def readiness() -> tuple[bool, dict]:
    """(ready, the JSON body)."""
    checks = {
        "database": _timed(check_database),
        "redis": _timed(check_redis),
        "broker": _timed(check_broker),
    }
    ready = all(check["ok"] for check in checks.values())
    body: dict = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["redis"]["ok"]:
        now = timezone.now()
        heartbeat = jobs.worker_heartbeat()
        stale = heartbeat is None or now - heartbeat > jobs.HEARTBEAT_STALE
        runs = jobs.job_runs(now)
        body["worker"] = {
            "last_seen": heartbeat.isoformat() if heartbeat else None,
            "stale": stale,
        }
        body["beat_jobs"] = [run.as_json() for run in runs]
        if ready and (stale or any(run.late for run in runs)):
            body["status"] = "degraded"
    return ready, body


def readyz(request: HttpRequest) -> HttpResponse:
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)


class ProbeMiddleware:
    """Answers the probes before every other middleware (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        from .metrics import metrics

        self.views = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        else:
            response = view(request)
        response["Cache-Control"] = "no-store"
        return response
