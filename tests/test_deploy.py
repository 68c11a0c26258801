"""Production settings: refuse to start without secrets, and `check --deploy` is clean."""

import subprocess
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "SECRET_KEY": get_random_secret_key(),
    "ALLOWED_HOSTS": "qinqing.example.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "PATH": "/usr/bin:/bin",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={k: v for k, v in GOOD.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={k: v for k, v in GOOD.items() if k != "ALLOWED_HOSTS"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = manage("check", env={k: v for k, v in GOOD.items() if k != "DATABASE_URL"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_refuses_to_load_the_demo_accounts():
    result = manage("seed_demo", env=GOOD)
    assert result.returncode != 0
    assert "SEED_DEMO_ALLOWED" in result.stderr


def test_a_secret_key_beginning_with_a_dollar_sign_is_kept_as_it_is():
    """django-environ reads a value beginning with "$" as the name of another variable; a random
    key may begin with one (get_random_secret_key draws from an alphabet with "$" in it)."""
    key = "$" + get_random_secret_key()
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        "--no-imports",
        env={**GOOD, "SECRET_KEY": key},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


CONNECTIONS = """
from django.db import connections
c = connections["default"]
print(c.settings_dict["CONN_MAX_AGE"], c.settings_dict["CONN_HEALTH_CHECKS"],
      c.settings_dict.get("OPTIONS", {}).get("pool"))
with c.cursor() as cursor:
    cursor.execute("SELECT 1")
    print(cursor.fetchone()[0])
"""


def test_production_keeps_its_database_connections_between_requests_by_default():
    result = manage("shell", "-v", "0", "-c", CONNECTIONS, env=GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True", "None", "1"]


def test_production_draws_connections_from_a_pool_when_given_its_size():
    result = manage("shell", "-v", "0", "-c", CONNECTIONS, env={**GOOD, "DATABASE_POOL_SIZE": "3"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["0", "True"]
    assert "'max_size': 3" in result.stdout
    assert result.stdout.split()[-1] == "1"  # and it connects through it
