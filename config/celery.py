"""The Celery app. Periodic schedules are declared here, in one place.

`celery -A config worker` and `beat` run production settings unless DJANGO_SETTINGS_MODULE
names others (`make run` names dev, the tests name test). `config/__init__.py` imports this
module, so its default is also the one `config.wsgi` and `config.asgi` get: keep them the same.
"""

import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("qinqing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "notifications-sweep-outbox": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": 60.0,
    },
    "tickets-check-deadlines": {
        "task": "tickets.tasks.check_deadlines",
        "schedule": 600.0,
    },
    "tickets-close-unrated": {
        "task": "tickets.tasks.close_unrated_tickets",
        "schedule": crontab(minute=15),
    },
    "notifications-housekeeping": {
        "task": "notifications.tasks.housekeeping",
        "schedule": crontab(hour=3, minute=30),
    },
    "api-purge-idempotency-keys": {
        "task": "api.tasks.purge_idempotency_keys",
        "schedule": crontab(hour=3, minute=40),
    },
    "dispatches-check-dispatches": {
        "task": "dispatches.tasks.check_dispatches",
        "schedule": crontab(minute=5),
    },
    # Every Monday 08:00 (CELERY_TIMEZONE = Asia/Shanghai): last week's bulletins (通报), drafted
    # for the office (or published at once: CampaignSettings.auto_publish).
    "reports-weekly-bulletin": {
        "task": "reports.tasks.publish_weekly_bulletin",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    "themes-similar-refresh": {
        "task": "themes.similar_refresh",
        "schedule": 300.0,
    },
    "themes-candidates-refresh": {
        "task": "themes.candidates_refresh",
        "schedule": crontab(minute=0, hour=2),
    },
    "reports-fold-rollup": {
        "task": "reports.tasks.fold_rollup",
        "schedule": 60.0,
    },
    "reports-check-rollup": {
        "task": "reports.tasks.check_rollup",
        "schedule": crontab(minute=30, hour=3),
    },
}


@signals.setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """The worker and beat log as the web does (settings.LOGGING, ops.logs: JSON in production,
    the request id, phone numbers and e-mail addresses masked): a receiver here keeps Celery
    from setting up logging of its own. Django applies LOGGING when it starts in the worker."""
