"""Production: every secret and host from the environment; refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from ops.logs import logging_config

from .base import *  # noqa: F403
from .base import env, secret

SECRET_KEY = secret("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site answers to.")
if not env("DATABASE_URL", default=""):
    # Else base's SQLite file would quietly take production's data.
    raise ImproperlyConfigured("DATABASE_URL must name production's PostgreSQL database.")
DEBUG = False
SEED_DEMO_ALLOWED = False

# Database connections (README "Database connections"): each web worker and Celery process keeps
# its connection between requests, checked before reuse (CONN_MAX_AGE seconds; 0: a new one per
# request), or, with DATABASE_POOL_SIZE, draws from a psycopg pool of that many per process.
_pool_size = env.int("DATABASE_POOL_SIZE", default=0)
for _alias in DATABASES:
    if _pool_size:
        DATABASES[_alias]["CONN_MAX_AGE"] = 0
        DATABASES[_alias].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool_size,
            "timeout": 10,
        }
    else:
        DATABASES[_alias]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    # Behind PgBouncer in transaction pooling, a cursor cannot outlive its transaction.
    DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# JSON lines (python-json-logger) for the journal or the container's log shipper, unless
# LOG_JSON=False; django.security's refusals (a bad host, a CSRF failure) are kept.
LOGGING = logging_config(
    json=env.bool("LOG_JSON", default=True),
    levels={
        "django.security": "INFO",
        "weasyprint": "WARNING",
        "fontTools": "WARNING",
        "tencentcloud_sdk_common": "WARNING",  # base.py says why
    },
)
