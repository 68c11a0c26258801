"""Thin tasks: call the service. Safe to run twice."""

from celery import shared_task
from django.db import DatabaseError

from .periods import last_week
from .rollup import rollup_fold, rollup_repair
from .services import bulletin_monday


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=60, max_retries=5)
def publish_weekly_bulletin() -> int:
    """Monday 08:00 (Asia/Shanghai): draft last week's bulletins for the office (or publish
    them at once, when the office chose automatic publishing)."""
    return len(bulletin_monday(week=last_week()))


@shared_task(ignore_result=True)
def check_rollup() -> int:
    """Nightly: repair the reports rollup if anything changed tickets behind its back."""
    return rollup_repair()


@shared_task(ignore_result=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=3)
def fold_rollup() -> int:
    """Every minute: add the figures' appended changes into the rollup (reports.rollup)."""
    return rollup_fold()
