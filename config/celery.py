"""The Celery app. Periodic schedules are declared here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

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
    "enterprises-check-dispatches": {
        "task": "enterprises.tasks.check_dispatches",
        "schedule": crontab(minute=5),
    },
}
