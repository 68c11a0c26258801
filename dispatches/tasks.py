"""The hourly dispatch job (config.celery's schedule): thin, the rules are in the service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def check_dispatches() -> dict:
    return dict(services.check_dispatches())
