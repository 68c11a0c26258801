from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def purge_idempotency_keys() -> int:
    return services.idempotency_keys_purge()
