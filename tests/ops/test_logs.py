"""Logs a city can ship: JSON lines with the request's id, from the web into the tasks it
enqueues, and no phone number or e-mail address on any line."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from ops.logs import logging_config, mask
from tests.parts.processes import ROOT, RedisServer, free_port, point_celery_at, wait_for
from tickets.models import Status


@pytest.fixture
def json_logs():
    """The production LOGGING (JSON lines), written to a buffer; the test's own after."""
    stream = io.StringIO()
    config = logging_config(json=True)
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(django_settings.LOGGING)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_line_with_a_phone_number_and_an_email_address_keeps_neither(json_logs):
    logging.getLogger("tickets").warning(
        "企业联系人 %s 电话 13812345678，座机 0431-85551234，邮箱 %s",
        "陈静",
        "chen.jing@example.cn",
        extra={"data": {"args": "('13900001111', 'li@example.cn')"}},
    )
    try:
        raise ValueError("could not reach wang.fang@gov.example.cn at 139 1234 5678")
    except ValueError:
        logging.getLogger("notifications").exception("delivery failed")
    text = json_logs.getvalue()
    for personal in (
        "13812345678",
        "85551234",
        "chen.jing",
        "wang.fang",
        "139 1234 5678",
        "13900001111",
        "li@",
    ):
        assert personal not in text
    first, second = lines(json_logs)
    assert (
        first["message"]
        == "企业联系人 陈静 电话 138****5678，座机 0431-****1234，邮箱 ***@example.cn"
    )
    assert first["level"] == "WARNING" and first["logger"] == "tickets"
    assert "***@gov.example.cn" in second["exc_info"] and "139****5678" in second["exc_info"]


def test_numbers_that_are_no_phone_numbers_are_left_alone():
    for text in ("ZQ-2026-000123", "91220101MA17V1234X", "1764403200123", "订单 2026112913"):
        assert mask(text) == text


@pytest.mark.django_db
def test_a_request_with_nginxs_id_logs_json_lines_with_it_and_answers_it(client, json_logs):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="5f0c2a9e8b1d4c6f9a7e3b2d1c0f4e8a")
    assert response["X-Request-ID"] == "5f0c2a9e8b1d4c6f9a7e3b2d1c0f4e8a"
    [access] = [line for line in lines(json_logs) if line["logger"] == "qinqing.request"]
    assert access["request_id"] == "5f0c2a9e8b1d4c6f9a7e3b2d1c0f4e8a"
    assert (access["path"], access["status"], access["view"]) == ("/accounts/login/", 200, "login")


@pytest.mark.django_db
def test_a_request_without_an_id_or_with_an_odd_one_gets_a_new_one(client):
    made = client.get("/accounts/login/")["X-Request-ID"]
    assert len(made) == 32
    odd = client.get("/accounts/login/", HTTP_X_REQUEST_ID="<script>" + "x" * 100)
    assert odd["X-Request-ID"] not in (made, "") and "<" not in odd["X-Request-ID"]


@pytest.fixture
def private_redis():
    server = RedisServer(free_port())
    server.start()
    previous = point_celery_at(server.url)
    yield server
    point_celery_at(previous)
    server.stop()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_tasks_a_request_enqueues_log_the_same_request_id_in_a_real_worker(
    client, world, make_ticket, private_redis, tmp_path, json_logs
):
    from django.db import connection

    world.enterprise_user.email = "chen@example.cn"
    world.enterprise_user.save()
    ticket = make_ticket(Status.SUBMITTED)
    db = connection.settings_dict
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": private_redis.url,
            "CELERY_BROKER_URL": private_redis.url,
            "LOG_JSON": "true",
        },
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    try:
        client.force_login(world.office)
        response = client.post(
            f"/api/v1/tickets/{ticket.number}/accept/",
            HTTP_X_REQUEST_ID="req-accept-0001",
        )
        assert response.status_code == 200, response.content

        def task_lines() -> list[dict]:
            # (the problem's filing, before the request, sent tasks of its own, without an id)
            entries = [json.loads(line) for line in log.read_text().splitlines() if line[:1] == "{"]
            return [
                entry
                for entry in entries
                if entry["logger"] == "qinqing.task" and entry["request_id"] == "req-accept-0001"
            ]

        wait_for(task_lines, timeout=60, what="the worker's log line of the delivery")
    finally:
        worker.terminate()
        worker.wait(20)
    [started] = task_lines()
    assert started["message"] == "task notifications.tasks.deliver started"
    # the web's own lines of that request carry it too
    web = [line for line in lines(json_logs) if line["request_id"] == "req-accept-0001"]
    assert any(line["logger"] == "qinqing.request" for line in web)
    assert "chen@example.cn" not in log.read_text()
