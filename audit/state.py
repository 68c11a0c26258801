"""What an object's audited fields hold, captured before a change and compared after it.

`audit_state(obj)` reads the fields into a `State` that compares as the database would (a related
object by its key), without a query when the related objects are loaded. `as_json` turns the
fields that changed into the JSON an `AuditRecord` keeps: a related object as its id and label,
many related objects as their labels, a secret masked, a password never.

Which fields: every concrete field and many-to-many field of the model but its key, the fields
the clock writes (`auto_now`, `auto_now_add`), those named in EXCLUDED, in EXCLUDED_BY_MODEL (for
other packages' models) or in the model's own `audit_exclude` attribute. Fields named in HIDDEN,
or in the model's `audit_hidden`, are secrets: the record says that they changed and shows their
last characters (as the admin does), never what they hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# A user's sign-ins and the day it joined (which the admin's form posts back to the minute).
EXCLUDED = frozenset({"password", "last_login", "date_joined", "digest"})
HIDDEN = frozenset({"secret", "key", "token"})
# Models of other packages, which cannot say it themselves: the request data of a failed sign-in.
EXCLUDED_BY_MODEL = {"axes.accessattempt": frozenset({"get_data", "post_data"})}
MASK = "••••••••"


@dataclass(frozen=True)
class Ref:
    """A related object: equal when the key is (its label is only for reading)."""

    pk: Any
    label: str | None = field(default=None, compare=False)


class State(dict):
    """The audited fields of one object of `model`, by name."""

    def __init__(self, model: type[models.Model], values: dict[str, Any]) -> None:
        super().__init__(values)
        self.model = model


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    excluded = (
        EXCLUDED
        | EXCLUDED_BY_MODEL.get(model._meta.label_lower, frozenset())
        | set(getattr(model, "audit_exclude", ()))
    )
    opts = model._meta
    return [
        f
        for f in [*opts.concrete_fields, *opts.many_to_many]
        if not f.primary_key
        and f.name not in excluded
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def hidden_fields(model: type[models.Model]) -> frozenset[str]:
    return HIDDEN | frozenset(getattr(model, "audit_hidden", ()))


def with_relations(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` with the objects its audited foreign keys point to (their labels), joined."""
    names = [f.name for f in audited_fields(queryset.model) if f.many_to_one or f.one_to_one]
    return queryset.select_related(*names) if names else queryset


def audit_state(obj: models.Model) -> State:
    values: dict[str, Any] = {}
    for f in audited_fields(type(obj)):
        if f.many_to_many:
            if obj.pk is None:
                values[f.name] = frozenset()
                continue
            rows = getattr(obj, f.name).all()
            if f.name not in getattr(obj, "_prefetched_objects_cache", {}):
                # What a label reads (a permission's content type) comes in the same query.
                joined = [r.name for r in f.related_model._meta.concrete_fields if r.is_relation]
                rows = rows.select_related(*joined) if joined else rows
            values[f.name] = frozenset(Ref(row.pk, str(row)) for row in rows)
        elif f.is_relation:
            pk = getattr(obj, f.attname)
            label = str(getattr(obj, f.name)) if pk is not None and f.is_cached(obj) else None
            values[f.name] = None if pk is None else Ref(pk, label)
        else:
            values[f.name] = f.value_from_object(obj)
    return State(type(obj), values)


def changed(before: State, after: State) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def as_json(state: State, names: list[str] | None = None) -> dict[str, Any]:
    """The named fields of `state` (all by default) as the JSON a record keeps."""
    hidden = hidden_fields(state.model)
    opts = state.model._meta
    return {
        name: _json(opts.get_field(name), state[name], hidden=name in hidden)
        for name in (state if names is None else names)
    }


def mask(value: Any) -> Any:
    """Enough of a secret to tell two apart, never the secret: an address keeps its host."""
    if not value or not isinstance(value, str):
        return value
    tail = value[-4:] if len(value) >= 16 else ""
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname:  # no user name or password either
        return f"{parts.scheme}://{parts.hostname}/{MASK}{tail}"
    return f"{MASK}{tail}"


def _json(f: models.Field, value: Any, *, hidden: bool) -> Any:
    if hidden:
        return mask(value)
    if isinstance(value, Ref):
        return {"id": value.pk, "label": value.label or _label(f, value.pk)}
    if isinstance(value, frozenset):
        return sorted(ref.label or "" for ref in value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _label(f: models.Field, pk: Any) -> str:
    related = f.related_model._base_manager.filter(pk=pk).first()
    return str(related) if related is not None else f"#{pk}"
