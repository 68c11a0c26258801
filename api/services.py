"""Writes that belong to the API itself; the ticket's own rules stay in tickets.services."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Ticket
from tickets.services import ticket_submit

from .models import IdempotencyKey

IDEMPOTENCY_WINDOW = dt.timedelta(days=7)  # how long a retried POST finds its first ticket


class IdempotencyConflict(Exception):
    """The key was used before for a different request."""


@dataclass(frozen=True)
class Submission:
    ticket: Ticket
    replayed: bool  # True: an earlier request with the same key created it


def fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def ticket_submit_once(
    *, submitted_by: User, idempotency_key: str | None, **submission: Any
) -> Submission:
    """`tickets.services.ticket_submit`, at most once per (user, Idempotency-Key).

    Two concurrent requests with one key: the second one's insert of the key waits on the
    unique index until the first transaction ends; it then finds the first ticket (or, when the
    first failed and rolled back, goes on to create its own).
    """
    if not idempotency_key:
        return Submission(ticket_submit(submitted_by=submitted_by, **submission), False)
    digest = fingerprint({name: getattr(value, "pk", value) for name, value in submission.items()})
    with transaction.atomic():
        record, created = IdempotencyKey.objects.get_or_create(
            user=submitted_by, key=idempotency_key, defaults={"fingerprint": digest}
        )
        if not created:
            if record.fingerprint != digest:
                raise IdempotencyConflict(
                    _("This Idempotency-Key was used for a different request.")
                )
            # The key and its ticket are written in one transaction: a key found has its ticket.
            assert record.ticket_id is not None
            return Submission(
                Ticket.objects.select_related("enterprise", "category").get(pk=record.ticket_id),
                True,
            )
        ticket = ticket_submit(submitted_by=submitted_by, **submission)
        record.ticket = ticket
        record.save(update_fields=["ticket"])
    return Submission(ticket, False)


def idempotency_keys_purge(*, older_than: dt.timedelta = IDEMPOTENCY_WINDOW) -> int:
    """Forget Idempotency-Keys older than the retry window (a client retries within minutes)."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
