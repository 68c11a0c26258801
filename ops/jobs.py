"""What the workers did last, for /readyz: the last run of each of beat's jobs and the moment
a worker last finished any task (its heartbeat: beat's outbox sweep runs every minute, so a
live worker with a live beat refreshes it at least that often).

Written by a task_postrun signal in the worker, into the cache (Redis in production): a few
keys, no table, nothing to clean up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from celery import current_app
from django.core.cache import cache
from django.utils import timezone

PREFIX = "ops:last-run:"
HEARTBEAT = "ops:worker-heartbeat"
# A worker silent longer than this (beat's sweep runs every minute) is reported as stale.
HEARTBEAT_STALE = dt.timedelta(minutes=5)
# A job this much later than its schedule says is reported as late.
JOB_GRACE = dt.timedelta(minutes=10)


def beat_jobs() -> dict[str, object]:
    """{task name: its schedule} of config/celery.py's beat schedule."""
    return {job["task"]: job["schedule"] for job in current_app.conf.beat_schedule.values()}


def record_task_run(task=None, state: str | None = None, **kwargs) -> None:
    """task_postrun: the worker's heartbeat, and the run of a job of beat's."""
    now = timezone.now().isoformat()
    values = {HEARTBEAT: now}
    name = getattr(task, "name", None)
    if name in beat_jobs():
        values[PREFIX + name] = {"at": now, "state": state or ""}
    cache.set_many(values, timeout=None)


def worker_ready(**kwargs) -> None:
    cache.set(HEARTBEAT, timezone.now().isoformat(), timeout=None)


@dataclass(frozen=True)
class JobRun:
    task: str
    at: dt.datetime | None
    state: str
    late: bool

    def as_json(self) -> dict:
        return {
            "task": self.task,
            "last_run": self.at.isoformat() if self.at else None,
            "state": self.state or None,
            "late": self.late,
        }


def _moment(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def job_runs(now: dt.datetime | None = None) -> list[JobRun]:
    """Each of beat's jobs with its last run (one cache round trip); a job never run since the
    cache was emptied is not late: a weekly one may simply not have come round yet."""
    now = now or timezone.now()
    jobs = beat_jobs()
    found = cache.get_many([PREFIX + name for name in jobs])
    runs = []
    for name, schedule in jobs.items():
        entry = found.get(PREFIX + name) or {}
        at = _moment(entry.get("at"))
        late = False
        if at is not None and hasattr(schedule, "remaining_estimate"):
            due_in = schedule.remaining_estimate(at)
            late = due_in < -JOB_GRACE
        elif at is not None:  # a plain number of seconds
            late = now - at > dt.timedelta(seconds=float(schedule)) + JOB_GRACE
        runs.append(JobRun(name, at, entry.get("state", ""), late))
    return runs


def worker_heartbeat() -> dt.datetime | None:
    return _moment(cache.get(HEARTBEAT))
