"""The deployment files that cannot run here (no systemd as PID 1, no container engine) are
checked by the tools that can: `systemd-analyze verify` and `security --offline`, Debian's
docker-compose (`config`), and the environment template against what the settings read."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.parts.processes import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted(p.name for p in (DEPLOY / "systemd").iterdir())
SERVICES = [u for u in UNITS if u.endswith(".service")]
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
# Read by base.py but forced by production.py, whatever the environment says.
FORCED = {"DEBUG"}
# Read by manage.py, whose default is the dev settings (the entry points default to production).
AROUND = {"DJANGO_SETTINGS_MODULE"}


def installed_units(tmp_path: Path) -> Path:
    """The units as installed, with the checkout at /opt/qinqing standing for this one, so that
    systemd finds the programs they start (.venv/bin/gunicorn, celery, python)."""
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        (tmp_path / name).write_text(text.replace("/opt/qinqing", str(ROOT)))
    return tmp_path


def test_there_are_units_for_the_web_the_worker_beat_and_backups():
    assert {
        "qinqing-web.service",
        "qinqing-worker.service",
        "qinqing-beat.service",
        "qinqing-backup.service",
        "qinqing-backup.timer",
        "qinqing.target",
    } <= set(UNITS)


def test_systemd_analyze_verifies_the_units_without_a_word(tmp_path):
    if not Path(SYSTEMD_ANALYZE).exists():
        pytest.fail("systemd-analyze is missing: apt-get install systemd (.ci/run does)")
    units = installed_units(tmp_path)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *[str(units / name) for name in UNITS]],
        capture_output=True,
        text=True,
    )
    # verify exits 0 on an unknown key or system-call group; it only says so: no word at all.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_sandboxed(service, tmp_path):
    units = installed_units(tmp_path)
    result = subprocess.run(
        # exposure at most 2.0 of 10 ("OK"); the threshold counts in tenths
        [SYSTEMD_ANALYZE, "security", "--offline=true", "--threshold=20", str(units / service)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    text = (DEPLOY / "systemd" / service).read_text()
    assert "User=qinqing" in text
    assert re.search(r"^Restart=(always|on-failure)$", text, re.M) or "Type=oneshot" in text
    assert re.search(r"^CapabilityBoundingSet=$", text, re.M)


def test_only_the_web_writes_the_uploads():
    for service in SERVICES:
        text = (DEPLOY / "systemd" / service).read_text()
        writes = re.findall(r"^ReadWritePaths=(.*)$", text, re.M)
        if service == "qinqing-web.service":
            assert writes == ["/var/lib/qinqing/media"]
        else:
            assert not any("media" in paths for paths in writes), service


# How the settings read the environment: django-environ's `env(…)`, `env.int(…)` and the like,
# the settings' own helpers for lists of networks and secrets, and os.environ in gunicorn's config.
READERS = r"\b(?:env(?:\.\w+)?|_networks|secret|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]*)\""


def settings_read_from_the_environment() -> set[str]:
    names = set()
    for path in (
        "config/settings/base.py",
        "config/settings/production.py",
        "config/gunicorn.conf.py",
    ):
        names |= set(re.findall(READERS, (ROOT / path).read_text()))
    return names - FORCED


def template_names() -> set[str]:
    text = (DEPLOY / "qinqing.env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, re.M))


def test_the_environment_template_lists_exactly_what_production_reads():
    read = settings_read_from_the_environment()
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_CONCURRENCY"} <= read  # the search finds them
    assert template_names() - AROUND == read


def test_the_readme_names_every_setting_of_the_template():
    readme = (ROOT / "README.md").read_text()
    assert not [name for name in template_names() if not re.search(f"`{name}[`=]", readme)]


def test_compose_validates_and_runs_one_image_as_web_worker_and_beat(tmp_path):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail("docker-compose is missing: apt-get install docker-compose (.ci/run does)")
    (tmp_path / "deploy").mkdir()
    shutil.copy(DEPLOY / "compose.yaml", tmp_path / "deploy/compose.yaml")
    shutil.copy(DEPLOY / "qinqing.env.example", tmp_path / "deploy/qinqing.env")
    result = subprocess.run(
        [compose, "--project-name", "qinqing", "-f", "deploy/compose.yaml", "config"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "POSTGRES_PASSWORD": "not-a-real-one"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    app = {name: services[name] for name in ("migrate", "web", "worker", "beat")}
    assert {s["image"] for s in app.values()} == {"qinqing:latest"}
    assert app["web"]["command"][:2] == ["gunicorn", "config.wsgi"]
    assert app["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert app["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("web", "worker", "beat"):
        assert app[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert app[name]["environment"]["DATABASE_URL"].endswith("@db:5432/qinqing")
    # the web is published on the host's loopback only, for nginx to front
    ports = [
        p if isinstance(p, str) else f"{p['host_ip']}:{p['published']}:{p['target']}"
        for p in app["web"]["ports"]
    ]
    assert [port.removesuffix("/tcp") for port in ports] == ["127.0.0.1:8000:8000"]


def test_the_dockerfile_runs_as_a_user_and_copies_what_exists():
    text = (DEPLOY / "Dockerfile").read_text()
    final_stage = text.split("\nFROM ")[-1]
    assert re.search(r"^USER qinqing$", final_stage, re.M)
    assert "config/gunicorn.conf.py" in final_stage.split("CMD", 1)[1]
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in final_stage
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for name in source.split():
            assert name == "." or (ROOT / name).exists(), name
    assert not re.search(r"^ADD ", text, re.M)  # nothing fetched from an address at build time
