"""/metrics: Prometheus' view of the service, open to loopback and the listed scrapers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tickets.models import Status, Ticket

FAMILIES = {
    "qinqing_http_requests": "counter",
    "qinqing_http_request_duration_seconds": "histogram",
    "qinqing_db_queries": "counter",
    "qinqing_db_query_seconds": "counter",
    "qinqing_celery_tasks": "counter",
    "qinqing_celery_task_duration_seconds": "histogram",
    "qinqing_outbox_pending": "gauge",
    "qinqing_outbox_oldest_pending_age_seconds": "gauge",
    "qinqing_tickets_open": "gauge",
    "qinqing_tickets_overdue": "gauge",
    "qinqing_scrape_collector_up": "gauge",
}


def scrape(client, **extra) -> dict:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def value(families: dict, name: str, sample: str | None = None, **labels) -> float:
    return sum(
        s.value
        for s in families[name].samples
        if s.name == (sample or name) and all(s.labels.get(k) == v for k, v in labels.items())
    )


@pytest.mark.django_db
def test_every_family_is_there_with_counts_of_requests_queries_tasks_and_tickets(
    client, world, make_ticket
):
    from notifications.tasks import sweep_outbox

    make_ticket(Status.IN_PROGRESS)
    late = make_ticket(Status.IN_PROGRESS)
    Ticket.objects.filter(pk=late.pk).update(completion_due=timezone.now() - dt.timedelta(days=1))
    make_ticket(Status.SUBMITTED)  # not accepted yet: not open (在办)
    before = scrape(client)
    client.get("/accounts/login/")
    sweep_outbox.apply()

    families = scrape(client)
    assert {name: families[name].type for name in FAMILIES} == FAMILIES
    logins = "qinqing_http_requests_total"
    assert value(families, "qinqing_http_requests", logins, view="login", status="200") == (
        value(before, "qinqing_http_requests", logins, view="login", status="200") + 1
    )
    assert (
        value(
            families,
            "qinqing_http_request_duration_seconds",
            "qinqing_http_request_duration_seconds_count",
            view="login",
        )
        >= 1
    )
    queries = "qinqing_db_queries_total"
    assert value(families, "qinqing_db_queries", queries) > value(
        before, "qinqing_db_queries", queries
    )
    assert (
        value(
            families,
            "qinqing_celery_tasks",
            "qinqing_celery_tasks_total",
            task="notifications.tasks.sweep_outbox",
            outcome="SUCCESS",
        )
        >= 1
    )
    assert value(families, "qinqing_tickets_open", district="nanguan") == 2
    assert value(families, "qinqing_tickets_overdue", district="nanguan") == 1
    assert value(families, "qinqing_tickets_open", district="kuancheng") == 0
    assert value(families, "qinqing_scrape_collector_up") == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "real_ip", "allowed"),
    [
        ("127.0.0.1", None, True),  # Prometheus on the host itself
        ("::1", None, True),
        ("10.0.5.20", None, True),  # listed
        ("10.0.6.77", None, True),  # in a listed network
        ("10.0.5.21", None, False),
        ("203.0.113.9", None, False),
        # through nginx (a trusted proxy on loopback): the client's own address counts
        ("127.0.0.1", "203.0.113.9", False),
        ("127.0.0.1", "10.0.5.20", True),
        # a client reaching gunicorn directly cannot claim an address it does not have
        ("203.0.113.9", "127.0.0.1", False),
    ],
)
def test_only_loopback_and_the_listed_scrapers_may_read_metrics(
    client, settings, remote, real_ip, allowed
):
    settings.METRICS_ALLOWED_IPS = ["10.0.5.20", "10.0.6.0/24"]
    headers = {"REMOTE_ADDR": remote}
    if real_ip:
        headers["HTTP_X_REAL_IP"] = real_ip
    response = client.get("/metrics", **headers)
    assert response.status_code == (200 if allowed else 404)
    assert (b"qinqing_http_requests_total" in response.content) is allowed


@pytest.mark.django_db
def test_with_a_token_set_a_scraper_must_also_send_it(client, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics").status_code == 404
    wrong = {"HTTP_AUTHORIZATION": "Bearer not-it"}
    assert client.get("/metrics", **wrong).status_code == 404
    right = {"HTTP_AUTHORIZATION": "Bearer s3cret-token-for-prometheus"}
    assert client.get("/metrics", **right).status_code == 200
    outsider = {**right, "REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **outsider).status_code == 404


@pytest.mark.django_db
def test_a_collector_that_fails_leaves_the_rest_of_the_scrape(client, settings):
    settings.METRICS_COLLECTORS = [*settings.METRICS_COLLECTORS, "ops.nothing.Here"]
    families = scrape(client)
    assert value(families, "qinqing_scrape_collector_up", collector="Here") == 0
    assert value(families, "qinqing_scrape_collector_up", collector="OutboxCollector") == 1
    assert "qinqing_http_requests" in families


@pytest.mark.django_db(transaction=True)
def test_gunicorns_workers_add_up_their_counts_in_multiprocess_mode(tmp_path):
    """gunicorn with several workers, as deployed: each worker counts in its own files under
    PROMETHEUS_MULTIPROC_DIR, and /metrics, whichever worker answers it, adds them all up."""
    import os
    import signal
    import subprocess

    import requests
    from django.db import connection

    from tests.parts.processes import ROOT, free_port, wait_for

    db = connection.settings_dict
    folder = tmp_path / "metrics"
    folder.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", "config/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("wb"),
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_for(up, timeout=90, what="gunicorn")
        for _ in range(30):
            assert requests.get(f"{url}/accounts/login/", timeout=30).status_code == 200
        families = {
            f.name: f
            for f in text_string_to_metric_families(requests.get(f"{url}/metrics", timeout=30).text)
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    logins = "qinqing_http_requests_total"
    assert value(families, "qinqing_http_requests", logins, view="login", status="200") == 30
    # /metrics read the files (in this mode it reads nothing else): one per worker that counted
    assert list(folder.glob("counter_*.db"))
    assert value(families, "qinqing_outbox_pending") == 0  # the scrape-time counts are there too
