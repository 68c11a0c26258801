"""`make test`: the real PostgreSQL and Redis of the machine (DATABASE_URL, REDIS_URL)."""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/qinqing-test-media")
TICKET_SUBMIT_RATE = "1000/h"
TICKET_SUBMIT_IP_RATE = "1000/h"
AXES_ENABLED = True
# The robots and webhooks of the tests are local receivers (tests/parts/receiver.py) on this address.
OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the finders (node_modules, static/), as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A second connection to the test database, for the tests of report reads on a replica
# (tests/ops): they set REPORTS_DATABASE = "reports" and see which connection each query took.
# With REPORTS_DATABASE_URL set (a real replica, tests/ops/test_replica.py), base.py's stands.
if "reports" not in DATABASES:
    DATABASES["reports"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    REPORTS_DATABASE = None
