"""A web process starts without the heavy libraries that only some requests or the worker need:
each is imported where it is used, so every gunicorn worker does not carry it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.parts.processes import ROOT

# numpy, scipy, scikit-learn and jieba: themes' grouping, run by the worker; python-docx and
# WeasyPrint: a document's download; Pillow: a picture's upload (about 5 MB of every worker's
# 100); pillow-heif: a HEIC photo; Tencent's SDK: a text message.
HEAVY = (
    "numpy", "scipy", "sklearn", "jieba", "docx", "weasyprint", "PIL", "pillow_heif",
    "tencentcloud",
)  # fmt: skip

LOADED = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every app's URLs and views, as the first request loads them
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_web_process_starts_without_the_libraries_only_the_worker_or_a_download_needs():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=ROOT, env=environment, capture_output=True,
        text=True, check=True, timeout=120,
    ).stdout  # fmt: skip

    loaded = set(json.loads(out.strip().splitlines()[-1]))

    assert "django" in loaded and "tickets" in loaded  # the process did start the project
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
