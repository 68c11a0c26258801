"""Writing audit records: one function for one change, one for many (an import)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import Action, AuditRecord
from .state import State, as_json, audit_state, changed, hidden_fields, mask

Values = State | dict[str, Any] | None
BATCH = 500  # rows per INSERT when many records are written at once


def audit_prepare(
    *,
    actor: AbstractBaseUser | None,
    action: Action,
    obj: models.Model,
    before: Values = None,
    after: Values = None,
) -> AuditRecord | None:
    """The record of one change to `obj`, not yet written; None when it changed nothing.

    `before` is the object's `audit_state` taken before the change (none for a creation);
    `after` defaults to its state now (none for a deletion). Of two states the record keeps
    only the fields that differ. A plain dict is kept as it is (for what is not a field: the
    failed sign-ins an unlock cleared). A change that switches `is_active` is recorded as a
    deactivation or reactivation, one that changes a secret as a change of secret.
    """
    if after is None and action != Action.DELETED:
        after = audit_state(obj)
    if isinstance(before, State) and isinstance(after, State):
        names = changed(before, after)
        if not names and action == Action.CHANGED:
            return None
        action = _refined(action, after, names, hidden_fields(type(obj)))
        before, after = as_json(before, names), as_json(after, names)
    before = as_json(before) if isinstance(before, State) else before or {}
    after = as_json(after) if isinstance(after, State) else after or {}
    object_id, label = str(obj._get_pk_val()), str(obj)
    if obj._meta.pk.name in hidden_fields(type(obj)):  # an API token is its own key
        object_id, label = mask(object_id), mask(label)
    return AuditRecord(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=object_id,
        object_repr=label[:200],
        before=before,
        after=after,
    )


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: Action,
    obj: models.Model,
    before: Values = None,
    after: Values = None,
) -> AuditRecord | None:
    """Write the record of one change, inside the change's own transaction (so a change that
    is refused or rolled back leaves no record, and no change goes unrecorded)."""
    record = audit_prepare(actor=actor, action=action, obj=obj, before=before, after=after)
    audit_record_many([record])
    return record


def audit_record_many(records: Iterable[AuditRecord | None]) -> list[AuditRecord]:
    """Write prepared records in a few INSERTs (an import of 1,000 rows: 2 or 3), in the
    transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An audit record is written in the transaction of its change.")
    return AuditRecord.objects.bulk_create([r for r in records if r is not None], BATCH)


def _refined(action: Action, after: State, names: list[str], hidden: frozenset[str]) -> Action:
    if action != Action.CHANGED:
        return action
    if "is_active" in names:
        return Action.REACTIVATED if after["is_active"] else Action.DEACTIVATED
    if any(name in hidden for name in names):
        return Action.REKEYED
    return action
