from celery import shared_task

from . import services


@shared_task(name="themes.candidates_refresh")
def candidates_refresh() -> int:
    """Nightly: the last 90 days' problems grouped into candidate themes."""
    return services.candidates_refresh()


@shared_task(name="themes.similar_refresh")
def similar_refresh() -> int:
    """Every few minutes: the problems most like each one just filed."""
    return services.similar_refresh()
