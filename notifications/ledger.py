"""The once-per-key ledger: a warning, a step of an escalation, an announcement happens once.

Callers name what they send under a key (`ticket:12:completion:202611101700:step2`) and claim it
in the same transaction as what they write; the ledger knows nothing of what the key names.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection
from django.utils import timezone

from .models import SentOnce


def claim(keys: Collection[str]) -> set[str]:
    """Claim `keys` inside the caller's transaction; answers those claimed now, never before.

    One INSERT … ON CONFLICT DO NOTHING for all of them: on PostgreSQL a second run's insert of
    the same key waits for the first run's commit and then inserts nothing, without an error in
    either."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return set()
    table = connection.ops.quote_name(SentOnce._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, created_at) VALUES "
            + ", ".join(["(%s, %s)"] * len(keys))
            + " ON CONFLICT (key) DO NOTHING RETURNING key",
            [value for key in keys for value in (key, now)],
        )
        return {row[0] for row in cursor.fetchall()}


def once(key: str) -> bool:
    """Claim `key` inside the caller's transaction: True the first time, False ever after."""
    return bool(claim([key]))


def claimed_before(keys: Collection[str]) -> set[str]:
    """Those of `keys` already claimed (one query): what a batch need not try again."""
    if not keys:
        return set()
    return set(SentOnce.objects.filter(key__in=list(keys)).values_list("key", flat=True))
