"""Filing once per form: the web form's guard against a double submission.

The API has its own (Idempotency-Key, api.services); this one keeps a one-time token rendered
into the filing form, claimed in the database in the same transaction as the ticket it files.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

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
        claim = _claim(submitted_by, form_token)
        if claim is None:
            claimed = FormToken.objects.select_related("ticket").get(
                user=submitted_by, token=form_token
            )
            return Filed(claimed.ticket, True)
        ticket = ticket_submit(submitted_by=submitted_by, **submission)
        FormToken.objects.filter(pk=claim).update(ticket=ticket)
        return Filed(ticket, False)


def _claim(user: AbstractBaseUser, token: uuid.UUID) -> int | None:
    """Insert the claim of `token` in one statement; None when it was claimed before. (An
    INSERT … ON CONFLICT DO NOTHING, where get_or_create would SELECT, then INSERT in a
    savepoint.)"""
    q = connection.ops.quote_name
    value = FormToken._meta.get_field("token").get_db_prep_value(token, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(FormToken._meta.db_table)} (user_id, token, created_at) "
            "VALUES (%s, %s, %s) ON CONFLICT (user_id, token) DO NOTHING RETURNING id",
            [user.pk, value, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    return row[0] if row else None
