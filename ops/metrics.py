"""Prometheus metrics at /metrics, with prometheus-client.

What is counted: requests and their latency by view (MetricsMiddleware), database queries by
connection (an execute wrapper on every connection), Celery tasks by outcome and their run time
(task_postrun), and, at scrape time, whatever settings.METRICS_COLLECTORS names (the outbox
backlog, open and overdue tickets by district): collectors of the apps, which ops never imports.

Several processes: gunicorn's workers and Celery's pool each count in their own memory. With
PROMETHEUS_MULTIPROC_DIR set (the systemd units set it for the web and the worker), every
process writes its counts to files there and /metrics adds them all up (prometheus-client's
multiprocess mode); the directory must be empty when the service starts. Without it (make run,
the tests) /metrics shows the answering process's own counts.

Who may read it: clients whose address (config.network.client_ip: behind nginx, the address it
passes on) is loopback or in METRICS_ALLOWED_IPS; with METRICS_TOKEN set, only with
`Authorization: Bearer <token>` as well. Everyone else gets 404, as for a page that is not there.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)
disable_created_metrics()  # no *_created series beside each counter: half the lines to scrape

REQUESTS = Counter(
    "qinqing_http_requests_total",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "qinqing_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
DB_QUERIES = Counter(
    "qinqing_db_queries_total", "SQL statements executed, by database connection.", ["database"]
)
DB_SECONDS = Counter(
    "qinqing_db_query_seconds_total", "Time spent in SQL statements, by connection.", ["database"]
)
TASKS = Counter(
    "qinqing_celery_tasks_total",
    "Celery tasks run, by task and outcome (SUCCESS, FAILURE, RETRY…).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "qinqing_celery_task_duration_seconds",
    "Time a Celery task ran, by task.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)


# --- what is counted -------------------------------------------------------------------------


class MetricsMiddleware:
    """Counts each request by the name of the view that answered it (a bounded set of labels:
    an address no view matched counts as "unresolved")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unresolved"
        REQUESTS.labels(view, _method(request.method), str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


def _method(method: str | None) -> str:
    known = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
    return method if method in known else "other"


class _QueryCounter:
    def __init__(self, alias: str) -> None:
        self.queries = DB_QUERIES.labels(alias)
        self.seconds = DB_SECONDS.labels(alias)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.inc()
            self.seconds.inc(time.perf_counter() - started)


def count_queries(sender=None, connection=None, **kwargs) -> None:
    """connection_created: every statement of this connection is counted (once per wrapper)."""
    if connection is not None and not any(
        isinstance(w, _QueryCounter) for w in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_QueryCounter(connection.alias))


_task_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **kwargs) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task=None, state: str | None = None, **kw) -> None:
    name = getattr(task, "name", "unknown")
    TASKS.labels(name, state or "unknown").inc()
    started = _task_started.pop(task_id or "", None)
    if started is not None:
        TASK_SECONDS.labels(name).observe(time.perf_counter() - started)


# --- who may read them -----------------------------------------------------------------------


def _address_allowed(request: HttpRequest) -> bool:
    # The client's address as the rate limits take it (config.network.client_ip: behind the
    # trusted proxy, the address the proxy passes on; else the connection's own).
    client_ip = import_string(settings.RATELIMIT_IP_META_KEY)
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if address.is_loopback:
        return True
    return any(
        address.version == network.version and address in network
        for network in (
            ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS
        )
    )


def _token_given(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return True
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def metrics(request: HttpRequest) -> HttpResponse:
    if not _address_allowed(request) or not _token_given(request):
        return HttpResponse(status=404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(_Scraped(settings.METRICS_COLLECTORS))
    body = generate_latest(counted) + generate_latest(scraped)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class _Scraped(Collector):
    """The collectors of settings.METRICS_COLLECTORS, each on its own: one that fails (the
    database is down) leaves the others and the counts, and says so in
    qinqing_scrape_collector_up."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "qinqing_scrape_collector_up",
            "1 if the collector answered at this scrape, 0 if it failed.",
            labels=["collector"],
        )
        for path in self.paths:
            try:
                found = list(import_string(path)().collect())
            except Exception as error:  # a collector's failure is a 0, never a failed scrape
                logger.warning("metrics: %s failed: %s", path, type(error).__name__)
                up.add_metric([path.rsplit(".", 1)[-1]], 0)
                continue
            up.add_metric([path.rsplit(".", 1)[-1]], 1)
            yield from found
        yield up
