"""The once-per-key ledger: a warning, a step of an escalation, an announcement happens once.

Callers name what they send under a key (`ticket:12:completion:202611101700:step2`) and claim it
in the same transaction as what they write; the ledger knows nothing of what the key names.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from .models import SentOnce


def once(key: str) -> bool:
    """Claim `key` inside the caller's transaction: True the first time, False ever after.

    INSERT … ON CONFLICT DO NOTHING: on PostgreSQL a second run's insert of the same key waits
    for the first run's commit and then inserts nothing, without an error in either."""
    table = connection.ops.quote_name(SentOnce._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, created_at) VALUES (%s, %s) "
            "ON CONFLICT (key) DO NOTHING RETURNING id",
            [key, timezone.now()],
        )
        return cursor.fetchone() is not None
