"""`make run`: SQLite, no Redis needed, e-mail printed to the console."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, secret

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = secret("SECRET_KEY", "dev-only-not-secret-qinqing")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# No Redis on a newcomer's laptop: a cache in the database (shared by the web and the worker,
# which the rate limits need) and a Celery broker on the file system.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "qinqing_cache",
    }
}
_BROKER_DIR = BASE_DIR / "var" / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "data_folder_in": str(_BROKER_DIR),
    "data_folder_out": str(_BROKER_DIR),
    "processed_folder": str(BASE_DIR / "var" / "broker-processed"),
    "control_folder": str(BASE_DIR / "var" / "broker-control"),
    "store_processed": False,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
