"""Reports on a real PostgreSQL streaming replica.

The test makes a primary cluster of its own (initdb, on a spare port, in a temporary folder)
and a hot standby of it (pg_basebackup), migrates and seeds the demo city on the primary, and
runs gunicorn with DATABASE_URL on the primary and REPORTS_DATABASE_URL on the replica. With the
replica's replay paused, a problem filed now is on the primary and not yet on the replica: the
report API and the dashboard, read from the replica, do not count it yet; the office, which has
just written, reads the primary and does; once the replica replays, everybody does. The
replica logs every statement: report reads are there and never a write. The machine's own
cluster is not touched.
"""

import datetime as dt
import re
import subprocess
import sys

import pytest
import requests
from django.conf import settings

from tests.parts.gunicorn import Gunicorn
from tests.parts.postgres import PostgresCluster
from tests.parts.processes import ROOT, RedisServer, free_port, wait_for

pytestmark = pytest.mark.services
PASSWORD = "qinqing-demo"  # seed_demo's accounts


@pytest.fixture(scope="module")
def clusters():
    primary = PostgresCluster.primary()
    replica = None
    try:
        replica = primary.replica(log_statement="'all'")
        yield primary, replica
    finally:
        if replica is not None:
            replica.destroy()
        primary.destroy()


@pytest.fixture(scope="module")
def site(clusters, tmp_path_factory):
    primary, replica = clusters
    primary.sql("CREATE DATABASE qinqing")
    redis = RedisServer(free_port())
    redis.start()
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": primary.url("qinqing", application_name="qinqing-primary"),
        "REPORTS_DATABASE_URL": replica.url("qinqing", application_name="qinqing-replica"),
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    web = Gunicorn(env).start()
    try:
        yield web
    finally:
        web.stop()
        redis.stop()


def caught_up(primary: PostgresCluster, replica: PostgresCluster) -> bool:
    [(lsn,)] = primary.sql("SELECT pg_current_wal_lsn()")
    [(done,)] = replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")
    return done


def api_session(site, username: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{site.url}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    session.headers["Authorization"] = f"Token {response.json()['token']}"
    # Asking for a token may write (it is made on first use), which pins this client to the
    # primary for REPORTS_PIN_SECONDS: start as a client whose pin has run out.
    session.cookies.clear()
    return session


def totals(session: requests.Session, site) -> dict:
    today = dt.date.today()
    response = session.get(
        f"{site.url}/api/v1/reports/summary/",
        params={"from": today.isoformat(), "to": today.isoformat()},
    )
    assert response.status_code == 200, response.text
    return response.json()["totals"]


def replica_statements(replica: PostgresCluster, since: int = 0) -> list[str]:
    """What the web process ran on the replica (its connections say who they are)."""
    text = replica.log.read_text(errors="replace")[since:]
    return re.findall(r"qinqing-replica: (?:LOG|ERROR|STATEMENT): +(.*)", text)


def test_report_reads_go_to_the_replica_and_writes_to_the_primary(clusters, site):
    primary, replica = clusters
    wait_for(lambda: caught_up(primary, replica), what="the replica to catch up")
    leader = api_session(site, "leader")
    office = api_session(site, "office")
    enterprise = api_session(site, "enterprise")
    before = totals(leader, site)

    replica.sql("SELECT pg_wal_replay_pause()")  # the replica now lags, for as long as we like
    log_start = replica.log.stat().st_size
    filed = enterprise.post(
        f"{site.url}/api/v1/tickets/",
        json={"category": "power", "title": "园区变压器容量不足", "description": "新增产线"},
    )
    assert filed.status_code == 201, filed.text
    number = filed.json()["number"]
    [(on_primary,)] = primary.sql(
        f"SELECT count(*) FROM tickets_ticket WHERE number = '{number}'", "qinqing"
    )
    [(on_replica,)] = replica.sql(
        f"SELECT count(*) FROM tickets_ticket WHERE number = '{number}'", "qinqing"
    )
    assert (on_primary, on_replica) == (1, 0)

    # The leader's figures come from the replica: today's new problem is not there yet.
    assert totals(leader, site)["submitted"] == before["submitted"]

    # The office writes (accepts the problem) and reads its figures at once: from the primary.
    accepted = office.post(f"{site.url}/api/v1/tickets/{number}/accept/", json={})
    assert accepted.status_code == 200, accepted.text
    assert "qinqing_primary" in office.cookies
    after_write = totals(office, site)
    assert after_write["submitted"] == before["submitted"] + 1
    assert after_write["accepted"] == before["accepted"] + 1

    # The leader's dashboard is read on the replica too; who the leader is comes from the primary.
    browser = requests.Session()
    browser.get(f"{site.url}/accounts/login/")
    logged_in = browser.post(
        f"{site.url}/accounts/login/",
        data={
            "username": "leader",
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
    )
    assert logged_in.status_code == 200 and "/accounts/login/" not in logged_in.url
    del browser.cookies["qinqing_primary"]  # logging in wrote; let that pin run out
    dashboard_start = replica.log.stat().st_size
    assert browser.get(f"{site.url}/reports/").status_code == 200
    on_dashboard = replica_statements(replica, dashboard_start)
    assert any('"reports_dayfigures"' in s for s in on_dashboard), on_dashboard
    assert any('"tickets_ticket"' in s for s in on_dashboard), on_dashboard
    assert not [s for s in on_dashboard if 'FROM "django_session"' in s or 'FROM "auth_user"' in s]

    # Nothing the web process sent to the replica wrote, or failed.
    statements = replica_statements(replica, log_start)
    assert statements
    assert not [
        s for s in statements if re.match(r"(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b", s, re.I)
    ]
    assert "ERROR" not in replica.log.read_text(errors="replace")[log_start:]

    # Once the replica replays, the leader reads today's problem too.
    replica.sql("SELECT pg_wal_replay_resume()")
    wait_for(lambda: caught_up(primary, replica), what="the replica to replay")
    caught = totals(leader, site)
    assert (caught["submitted"], caught["accepted"]) == (
        before["submitted"] + 1,
        before["accepted"] + 1,
    )


def test_with_the_replica_down_the_reports_read_the_primary(clusters, site):
    _primary, replica = clusters
    leader = api_session(site, "leader")
    before = totals(leader, site)
    enterprise = api_session(site, "enterprise")
    filed = enterprise.post(
        f"{site.url}/api/v1/tickets/",
        json={"category": "power", "title": "厂区断电", "description": "园区线路故障"},
    )
    assert filed.status_code == 201, filed.text
    replica.stop()
    after = totals(leader, site)  # answers, from the primary, with today's new problem
    assert after["submitted"] == before["submitted"] + 1
    assert "reports replica cannot be reached" in site.log.read_text()


def test_the_replica_refuses_writes_should_one_ever_be_sent(clusters):
    """What would happen to a write routed to the replica: PostgreSQL refuses it."""
    _primary, replica = clusters
    replica.start()  # after the test before stopped it
    import psycopg

    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        replica.sql("CREATE TABLE nope (id int)", "postgres")
    assert settings.DATABASE_ROUTERS == ["ops.replica.ReplicaRouter"]
