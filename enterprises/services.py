"""Writes of master data (the API creates enterprises here)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from audit.models import Action
from audit.services import audit_record

from .models import Enterprise


@transaction.atomic
def enterprise_create(*, actor: AbstractBaseUser, **fields: Any) -> Enterprise:
    """A new enterprise, validated by the model (USCC check character, choices) first, and its
    audit record."""
    enterprise = Enterprise(**fields)
    enterprise.full_clean()
    enterprise.save()
    audit_record(actor=actor, action=Action.CREATED, obj=enterprise)
    return enterprise
