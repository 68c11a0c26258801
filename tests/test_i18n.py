"""Chinese first, English too: every string in the code has its Chinese, and the switch works."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _untranslated(po: Path) -> list[str]:
    """Entries of a catalogue with no translation, or a fuzzy one (msgfmt's own count)."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stderr.strip()
    return [] if ("untranslated" not in report and "fuzzy" not in report) else [report]


def test_every_user_visible_string_in_the_code_has_a_chinese_translation(tmp_path):
    """Collect the strings afresh from the code (as `make messages` does) in a copy of the
    project, and require a translation for each."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", ".git", "media", "var", "staticfiles", "__pycache__", "*.mo"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "bench/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.dev", "PATH": "/usr/bin:/bin"},
    )
    assert _untranslated(copy / "locale/zh_Hans/LC_MESSAGES/django.po") == []


def test_pages_are_in_chinese_by_default(client, world):
    client.force_login(world.enterprise_user)
    page = client.get(reverse("tickets:mine")).content.decode()
    assert "我的诉求" in page
    assert 'lang="zh-hans"' in page


def test_the_language_switch_turns_pages_into_english(client, world):
    client.force_login(world.enterprise_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("tickets:mine")).content.decode()
    assert "My problems" in page
    assert "我的诉求" not in page


@pytest.mark.parametrize("language,expected", [("zh-hans", "待受理"), ("en", "Submitted")])
def test_statuses_read_in_the_chosen_language(client, world, make_ticket, language, expected):
    ticket = make_ticket()
    client.force_login(world.enterprise_user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert expected in client.get(ticket.get_absolute_url()).content.decode()
