"""Writes of master data (the API creates enterprises here)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Enterprise


@transaction.atomic
def enterprise_create(*, actor: AbstractBaseUser, **fields) -> Enterprise:
    """A new enterprise, validated by the model (USCC check character, choices) first."""
    enterprise = Enterprise(**fields)
    enterprise.full_clean()
    enterprise.save()
    return enterprise
