"""Production's entry points run production settings with only the environment the README lists.

Each is started the way the README's "Running it for real" starts it (gunicorn on `config.wsgi`,
the same on `config.asgi`, the Celery worker and beat), in a process of its own, with the
variables README's table names and nothing else: no DJANGO_SETTINGS_MODULE. What each one runs
is read from what it does: its pages, its banner, the Redis keys it writes, its settings as the
running worker reports them over the broker.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.db import connection

from tests.services import ROOT, free_port, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "qinqing.example.gov.cn"
BIN = Path(sys.executable).parent
# Behind nginx every request arrives over TLS (production redirects plain HTTP to HTTPS).
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}


def readme_variables() -> list[str]:
    """The variables in the table of README's "Running it for real"."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Running it for real", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def production_env(django_db_setup) -> dict[str, str]:
    """Exactly the README's variables (and a PATH), pointing at the test database and Redis."""
    db = connection.settings_dict
    values = {
        "SECRET_KEY": get_random_secret_key(),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SITE_URL": f"https://{HOST}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
    }
    assert sorted(readme_variables()) == sorted(values), (
        "README's table of production variables and this test's environment differ"
    )
    return {**values, "PATH": "/usr/bin:/bin"}


class Process:
    """A server started in its own session, its output in a file."""

    def __init__(self, args: list[str], env: dict, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.output()}")
            return text in self.output()

        wait_for(seen, timeout=timeout, what=f"{text!r} in {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _answers(url: str) -> bool:
    try:
        requests.get(url, headers=HEADERS, timeout=2)
    except (requests.ConnectionError, requests.Timeout):  # not up, or its worker still booting
        return False
    return True


def _server(app: str, env: dict, log: Path, *extra: str):
    """gunicorn as the README starts it (its config file), on a free port, with one worker."""
    port = free_port()
    server = Process(
        [
            str(BIN / "gunicorn"),
            app,
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            *extra,
        ],
        env,
        log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: server.process.poll() is None and _answers(url), timeout=60, what=app)
    except AssertionError:
        server.stop()
        raise AssertionError(server.output()) from None
    return server, url


@pytest.fixture(scope="module")
def deployed(production_env, tmp_path_factory) -> None:
    """The deploy step the README asks for before serving: collectstatic (production keeps the
    hashed names of the static files in a manifest)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env={**production_env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def wsgi(production_env, deployed, tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn") / "wsgi.log"
    server, url = _server("config.wsgi", production_env, log)
    yield url
    server.stop()


@pytest.fixture(scope="module")
def asgi(production_env, deployed, tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn") / "asgi.log"
    server, url = _server("config.asgi:application", production_env, log, "-k", "asgi")
    yield url
    server.stop()


def _custom_not_found(response: requests.Response) -> None:
    """The site's own 404 page, as production shows it; not Django's technical page."""
    assert response.status_code == 404
    body = response.text
    assert "URLconf" not in body and "DEBUG = True" not in body, "Django's technical 404 page"
    assert "这里没有内容" in body, body[:2000]


def test_gunicorn_on_wsgi_serves_with_debug_off(wsgi):
    _custom_not_found(requests.get(f"{wsgi}/no-such-page/", headers=HEADERS, timeout=10))


def test_gunicorn_on_wsgi_counts_in_redis(wsgi):
    """A token request is throttled per user name and address in the cache: the keys appear in
    the test's Redis database (the dev settings would count in a database table)."""
    store = redis.Redis.from_url(settings.REDIS_URL)
    store.flushdb()
    response = requests.post(
        f"{wsgi}/api/v1/auth/token/",
        json={"username": "nobody", "password": "wrong"},
        headers=HEADERS,
        timeout=10,
    )
    assert response.status_code == 400, response.text
    keys = store.keys("*")
    assert any(b"rl:" in key for key in keys), keys


def test_gunicorn_on_wsgi_serves_hashed_static_files_with_a_long_cache(wsgi):
    page = requests.get(f"{wsgi}/accounts/login/", headers=HEADERS, timeout=10)
    assert page.status_code == 200
    href = re.search(
        r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page.text
    )
    assert href, "no hashed stylesheet: the page was not rendered with the production storage"
    css = requests.get(f"{wsgi}{href.group(1)}", headers=HEADERS, timeout=10)
    assert css.status_code == 200
    assert "immutable" in css.headers["Cache-Control"]


def test_gunicorn_refuses_an_oversized_request_line_and_headers(wsgi):
    too_long = requests.get(f"{wsgi}/{'x' * 5000}", headers=HEADERS, timeout=10)
    assert too_long.status_code == 414
    many = {**HEADERS, **{f"X-Extra-{n}": "1" for n in range(60)}}
    assert requests.get(f"{wsgi}/healthz", headers=many, timeout=10).status_code == 431
    big = {**HEADERS, "Cookie": "a=" + "b" * 9000}
    assert requests.get(f"{wsgi}/healthz", headers=big, timeout=10).status_code == 431
    assert requests.get(f"{wsgi}/healthz", headers=HEADERS, timeout=10).status_code == 200


def test_gunicorn_on_asgi_serves_with_debug_off(asgi):
    _custom_not_found(requests.get(f"{asgi}/no-such-page/", headers=HEADERS, timeout=10))


def test_the_celery_worker_runs_production_settings_on_redis(production_env, tmp_path):
    name = f"entry-{os.getpid()}@{socket.gethostname()}"
    worker = Process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "info",
            "-n",
            name,
        ],
        production_env,
        tmp_path / "worker.log",
    )
    try:
        worker.wait_for_output(" ready.")
        # The running worker's own settings, asked over the broker (Celery's remote control).
        from config.celery import app

        replies = app.control.inspect(destination=[name], timeout=10).conf(with_defaults=False)
        conf = replies[name]
        assert conf["DEBUG"] is False
        assert conf["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert conf["CELERY_BROKER_URL"] == settings.REDIS_URL
    finally:
        worker.stop()
    transport = re.search(r"\.> transport:\s+(\S+)", worker.output()).group(1)
    assert transport.startswith("redis://"), transport


def test_celery_beat_runs_production_settings_on_redis(production_env, tmp_path):
    beat = Process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel",
            "info",
            "--schedule",
            str(tmp_path / "schedule"),
        ],
        production_env,
        tmp_path / "beat.log",
    )
    try:
        beat.wait_for_output("beat: Starting")  # its log; the banner on stdout comes at exit
    finally:
        beat.stop()
    broker = re.search(r"\. broker -> (\S+)", beat.output()).group(1)
    assert broker.startswith("redis://"), broker
