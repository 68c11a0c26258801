"""Master data kept in each process: what every filing reads and an office changes a few times
a year (the active categories, the office's calendar days, the group robots, the webhooks).

Read from the database, they are four of a submission's dozen queries. A reader decorated with
`kept(Model, …)` answers from this process's memory instead, and this process asks the cache at
most once a second whether any kept model has changed since:

- saving or deleting a row of a watched model (in any process) sets a new *generation* in the
  cache, at once and again when its transaction commits; a process that finds a generation other
  than the one it read under forgets everything it kept;
- the process that wrote forgets at once, so what it does next (and a test) sees the change;
- a generation the cache has lost (Redis restarted, the key evicted) is replaced by a new one,
  so every process reads its values again;
- without the cache (Redis down) nothing is kept: every read goes to the database, as it would
  without this module, and the cache is asked again a second later, not at every read;
- a kept value is read again after MAX_AGE seconds whatever happens, so a value read inside a
  transaction that then rolled back (a change that never was) cannot outlive that.

Writes that bypass the model's signals (`QuerySet.update`, raw SQL) must call `changed()`.
Readers must not change what they are given: it is shared by the process's later requests.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

KEY = "masterdata:generation"
CHECK_EVERY = 1.0  # seconds between two looks at the generation
MAX_AGE = 60.0  # seconds a value is kept at most

T = TypeVar("T")


class _Memory:
    """This process's: the generation it last saw, when, and the values read under it."""

    def __init__(self) -> None:
        self.generation: str | None = None
        self.checked = float("-inf")
        self.values: dict[str, tuple[float, object]] = {}

    def forget(self) -> None:
        self.generation, self.checked = None, float("-inf")
        self.values = {}


_memory = _Memory()


def kept(*models: type[Model]) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Keep what the decorated loader answers until a row of one of `models` changes."""

    def decorator(load: Callable[[], T]) -> Callable[[], T]:
        name = f"{load.__module__}.{load.__qualname__}"
        for model in models:
            uid = f"ops.masterdata:{model._meta.label}"
            post_save.connect(_changed_row, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(_changed_row, sender=model, dispatch_uid=uid, weak=False)

        @functools.wraps(load)
        def read() -> T:
            if _generation() is None:
                return load()
            now = time.monotonic()
            found = _memory.values.get(name)
            if found is None or now - found[0] > MAX_AGE:
                found = _memory.values[name] = (now, load())
            return found[1]  # type: ignore[return-value]

        return read

    return decorator


def changed() -> None:
    """Tell every process that kept master data has changed: now, and after the commit."""
    _new_generation()
    transaction.on_commit(_new_generation)


def forget() -> None:
    """Drop what this process keeps (the tests, between two tests)."""
    _memory.forget()


def _changed_row(sender, **kwargs) -> None:
    changed()


def _new_generation() -> None:
    generation = uuid.uuid4().hex
    cache.set(KEY, generation, timeout=None)
    _memory.forget()


def _generation() -> str | None:
    """The generation this process's values belong to, looked up at most once a second; None
    without the cache."""
    now = time.monotonic()
    if now - _memory.checked < CHECK_EVERY:
        return _memory.generation
    generation = cache.get(KEY)
    if generation is None:  # never set, evicted, or the cache is down
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(KEY)
    if generation != _memory.generation:
        _memory.values = {}
    _memory.generation, _memory.checked = generation, now
    return generation
