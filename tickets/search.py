"""Finding a problem: the queue's and the API's `search` (issue 11, item 6).

A search finds a ticket by any part of its number ("000201"), by any part of its enterprise's
USCC or name, and by any part of its title or description. Each is a case-insensitive
substring match (`icontains`); on PostgreSQL the migration `tickets.0009_search_trigram_indexes`
backs every one of them with a pg_trgm GIN index on `UPPER(column)`, the very expression
Django's `icontains` compares, so the planner answers from the indexes (a bitmap OR of four
index scans) instead of reading every ticket. Under `make run`'s SQLite it is the same plain
`icontains`, unindexed, which is fine at demo size.

Why trigrams and not a word index with jieba: measured at 1M tickets (bench/scale.py, README),
trigram indexes answer part-of-a-number and part-of-a-USCC searches, which a tokenizer does not
produce, and need nothing on the write path; jieba would have to tokenize every title and
description on every save and on every import. A search shorter than three characters ("用电")
has no trigram: it still works (the indexes are read in full), only more slowly.
"""

from __future__ import annotations

from django.db.models import Q

from enterprises.models import Enterprise

# Enterprises matched by name or USCC are looked up first and named by id, so that the
# tickets' query stays an OR of index scans; a search that matches more enterprises than this
# (a word every name contains) is joined as a subquery instead.
ENTERPRISE_IDS_INLINE = 500


def search_condition(text: str) -> Q:
    """The condition a ticket matches `text` by (empty text: every ticket)."""
    text = text.strip()
    if not text:
        return Q()
    enterprises = Enterprise.objects.filter(Q(name__icontains=text) | Q(uscc__icontains=text))
    ids = list(enterprises.values_list("pk", flat=True)[: ENTERPRISE_IDS_INLINE + 1])
    by_enterprise = (
        Q(enterprise_id__in=ids)
        if len(ids) <= ENTERPRISE_IDS_INLINE
        else Q(enterprise_id__in=enterprises.values("pk"))
    )
    return (
        Q(number__icontains=text)
        | Q(title__icontains=text)
        | Q(description__icontains=text)
        | by_enterprise
    )
