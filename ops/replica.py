"""Reports on a replica: the heavy reads of the reports go to a PostgreSQL streaming replica
(REPORTS_DATABASE_URL, the database alias settings.REPORTS_DATABASE) when one is configured.

The rules, all in ReplicaRouter:
- Only code marked with `replica_reads()` (a decorator or a context manager: the dashboard, the
  bulletins, the exports, the report API and `manage.py report`) reads the replica, and only the
  tables of the figures (REPLICA_APPS). Who the reader is and what it may read (sessions, users,
  tokens, lockouts, an official's or a member's record) and the bell always come from the
  primary, so a permission just changed is never read stale.
- Every write goes to the primary, and nothing migrates the replica.
- Once a request has written, its reads stay on the primary for the rest of it; inside a
  transaction on the primary, reads stay there too (a bulletin being published reads what it
  is about to store). PrimaryPinMiddleware then sets a short-lived cookie, so the same client's
  next requests (the page after a POST's redirect) read the primary as well: a page that writes
  then reads is not fooled by the replica's lag.
- Code outside a request and outside `replica_reads()` (Celery tasks, other commands) reads the
  primary, and so does report code while the replica cannot be reached (with a warning).

Without REPORTS_DATABASE_URL everything reads and writes the one database, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

# The apps whose tables the figures read; every other model reads the primary.
REPLICA_APPS = frozenset({"tickets", "reports", "enterprises", "workdays"})
# Records that say who a user is and what it may read: always from the primary.
PRIMARY_MODELS = frozenset({"enterprises.official", "enterprises.enterprisemember"})
PIN_COOKIE = "qinqing_primary"
logger = logging.getLogger(__name__)


@dataclass
class _Reads:
    replica: bool = False  # inside replica_reads()
    pinned: bool = False  # reads go to the primary whatever else holds
    wrote: bool = False  # something was written since this state began


_reads: ContextVar[_Reads | None] = ContextVar("qinqing_reads", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block (or the function it decorates), the figures' tables are read from
    the reports replica, if there is one, it answers, and nothing has been written yet."""
    state = _reads.get()
    token = None
    if state is None:  # outside a request: a command
        state = _Reads()
        token = _reads.set(state)
    before = state.replica
    state.replica = True
    fell_back = False
    if settings.REPORTS_DATABASE and not state.pinned and not _replica_answers():
        state.pinned = fell_back = True  # the primary has the same figures, fresher
    try:
        yield
    finally:
        state.replica = before
        if fell_back and not state.wrote:
            state.pinned = False
        if token is not None:
            _reads.reset(token)


def _replica_answers() -> bool:
    """Connect to the replica now (the block's queries use this connection): a replica that is
    down sends the reports to the primary instead of failing them."""
    try:
        connections[settings.REPORTS_DATABASE].ensure_connection()
    except DatabaseError as error:
        logger.warning("The reports replica cannot be reached (%s): reading the primary.", error)
        return False
    return True


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block every read goes to the primary, even inside `replica_reads()`: for
    code that reads what it is about to write (publishing a bulletin)."""
    state = _reads.get()
    token = _reads.set(_Reads(replica=False, pinned=True, wrote=bool(state and state.wrote)))
    try:
        yield
    finally:
        wrote = _reads.get().wrote
        _reads.reset(token)
        if state is not None and wrote:
            state.wrote = state.pinned = True


def reads_replica(model) -> bool:
    """Whether a read of `model` goes to the replica now (ReplicaRouter's rule)."""
    state = _reads.get()
    return bool(
        settings.REPORTS_DATABASE
        and state is not None
        and state.replica
        and not state.pinned
        and model._meta.app_label in REPLICA_APPS
        and model._meta.label_lower not in PRIMARY_MODELS
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return settings.REPORTS_DATABASE if reads_replica(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        state = _reads.get()
        if state is not None:
            state.wrote = state.pinned = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: every relation holds on both

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class PrimaryPinMiddleware:
    """Gives each request its reading state, pinned to the primary when the client wrote a
    moment ago; after a request that wrote, tells the client so for REPORTS_PIN_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = _Reads(pinned=PIN_COOKIE in request.COOKIES)
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if state.wrote and settings.REPORTS_DATABASE:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPORTS_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
