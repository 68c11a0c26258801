"""Filing once per form: the web form's guard against a double submission.

The API has its own (Idempotency-Key, api.services); this one keeps a one-time token rendered
into the filing form, claimed in the database in the same transaction as the ticket it files.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import FormToken, Ticket
from .services import ticket_submit


@dataclass(frozen=True)
class Filed:
    ticket: Ticket
    again: bool  # True: this form had filed it already


def ticket_submit_once(
    *, form_token: uuid.UUID | None, submitted_by: AbstractBaseUser, **submission
) -> Filed:
    """`tickets.services.ticket_submit`, at most once per (user, form token).

    Concurrent posts of one form: the first inserts the token; the others' inserts wait on the
    unique index until its transaction ends, then find the token and its ticket (or, when the
    first failed and rolled back, file their own). Without a token it simply files.
    """
    if form_token is None:
        return Filed(ticket_submit(submitted_by=submitted_by, **submission), False)
    with transaction.atomic():
        claim, created = FormToken.objects.get_or_create(user=submitted_by, token=form_token)
        if not created:
            return Filed(claim.ticket, True)
        claim.ticket = ticket_submit(submitted_by=submitted_by, **submission)
        claim.save(update_fields=["ticket"])
        return Filed(claim.ticket, False)
