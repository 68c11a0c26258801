from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def check_dispatches() -> dict:
    return dict(services.check_dispatches())
