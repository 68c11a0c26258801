"""/healthz and /readyz: what a load balancer and the city's monitoring ask of the web."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Delivery
from tests.parts.processes import RedisServer, free_port, point_celery_at


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_answer_a_balancer_that_asks_by_address_over_plain_http(client, settings, db):
    # Production sends plain HTTP to HTTPS and refuses unknown hosts; a load balancer asks
    # gunicorn directly, by address, without signing in.
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.20.30.40:8000")
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_service_the_outbox_backlog_and_no_secret(
    client, settings, db, django_assert_num_queries
):
    Delivery.objects.create(
        channel=Delivery.Channel.EMAIL,
        target="chen@example.cn",
        created_at=timezone.now() - dt.timedelta(minutes=10),
    )
    Delivery.objects.create(
        channel=Delivery.Channel.EMAIL, target="old@example.cn", state=Delivery.State.SENT
    )
    with django_assert_num_queries(1):  # the outbox's unsent messages: count and oldest
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "redis": True,
        "broker": True,
    }
    assert body["checks"]["database"]["outbox_pending"] == 1
    assert 590 <= body["checks"]["database"]["outbox_oldest_pending_seconds"] <= 700
    text = response.content.decode()
    for secret in ("redis://", "postgres", "6379", "5432", "chen@example.cn"):
        assert secret not in text


def test_readyz_shows_the_last_run_of_beats_jobs_and_the_workers_heartbeat(client, db):
    from notifications.tasks import sweep_outbox

    before = client.get("/readyz").json()
    assert before["worker"] == {"last_seen": None, "stale": True}
    assert before["status"] == "degraded"  # ready (200), but no worker has been heard of

    sweep_outbox.apply()  # run as a worker runs it: the task's signals fire

    body = client.get("/readyz").json()
    assert body["worker"]["stale"] is False
    jobs = {job["task"]: job for job in body["beat_jobs"]}
    assert jobs["notifications.tasks.sweep_outbox"]["state"] == "SUCCESS"
    assert jobs["notifications.tasks.sweep_outbox"]["last_run"] is not None
    assert jobs["reports.tasks.publish_weekly_bulletin"]["last_run"] is None
    assert not any(job["late"] for job in body["beat_jobs"])


@pytest.fixture
def private_redis(settings):
    """The app's cache and broker on a Redis server of this test's own, which it may stop."""
    server = RedisServer(free_port())
    server.start()
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": server.url},
    }
    previous = point_celery_at(server.url)
    yield server
    point_celery_at(previous)
    if server.is_up():
        server.stop()


@pytest.mark.services
def test_readyz_answers_503_while_redis_is_down_and_200_once_it_is_back(client, db, private_redis):
    assert client.get("/readyz").status_code == 200

    private_redis.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert client.get("/healthz").status_code == 200  # the process itself still answers

    private_redis.start()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["ok"] is True


ROUTED = """
import django
django.setup()
from config.celery import app
for task in ("notifications.tasks.deliver", "notifications.tasks.sweep_outbox",
             "reports.tasks.publish_weekly_bulletin", "tickets.tasks.check_deadlines"):
    print(task, app.amqp.router.route({}, task)["queue"].name)
"""


@pytest.mark.parametrize("split", [False, True])
def test_split_queues_send_the_outbox_the_reports_and_the_jobs_to_pools_of_their_own(split):
    import os
    import subprocess
    import sys

    from tests.parts.processes import ROOT

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["CELERY_SPLIT_QUEUES"] = str(split)
    result = subprocess.run(
        [sys.executable, "-c", ROUTED], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    queues = dict(line.split() for line in result.stdout.splitlines())
    expected = ["outbox", "outbox", "reports", "jobs"] if split else ["celery"] * 4
    assert list(queues.values()) == expected
