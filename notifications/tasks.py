"""Thin tasks: load by id, call the service. Safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> str:
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome == "retry":
        from .models import Delivery

        delivery = Delivery.objects.only("attempts").get(pk=delivery_id)
        countdown = services.backoff(delivery.attempts).total_seconds()
        deliver.apply_async((delivery_id,), countdown=countdown)
    return outcome


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-enqueue what is pending: sends that never reached the broker, and dead workers' work."""
    ids = services.deliveries_due()
    services.enqueue(ids)
    return len(ids)


@shared_task(ignore_result=True)
def housekeeping() -> dict:
    return services.housekeeping()
