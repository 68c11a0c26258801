"""Thin periodic tasks: each calls a service and is safe to run twice, or twice at once."""

from celery import shared_task

from . import deadlines


@shared_task(ignore_result=True)
def check_deadlines() -> dict:
    return dict(deadlines.check_deadlines())


@shared_task(ignore_result=True)
def close_unrated_tickets() -> int:
    return deadlines.close_unrated()
