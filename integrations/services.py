"""Writes of integrations and their keys."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import audit_record
from audit.state import audit_state

from .models import Integration, IntegrationKey, default_channel, key_digest
from .selectors import live_key_for

User = get_user_model()


@transaction.atomic
def integration_create(
    *,
    name: str,
    description: str = "",
    channel: str = "",
    is_active: bool = True,
    actor: AbstractBaseUser | None = None,
) -> Integration:
    """An integration and the user it acts as (no password: it signs in with keys only); both
    are audited. Without a channel it records the default one (integrations.models)."""
    user = User(username=f"integration-{name}", is_active=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    integration = Integration(
        user=user,
        name=name,
        description=description,
        channel=channel or default_channel(),
        is_active=is_active,
    )
    integration.full_clean()
    integration.save()
    audit_record(actor=actor, action=Action.CREATED, obj=user)
    audit_record(actor=actor, action=Action.CREATED, obj=integration)
    return integration


@transaction.atomic
def integration_key_issue(
    *,
    integration: Integration,
    label: str = "",
    raw: str | None = None,
    actor: AbstractBaseUser | None = None,
) -> tuple[IntegrationKey, str]:
    """A new key for `integration`; returns it with its clear text, which is never stored (nor
    audited: the record holds the key's first characters, as the admin shows them).

    `raw` fixes the key's text (the demo data's well-known key); otherwise it is random.
    """
    raw = raw or secrets.token_urlsafe(32)
    key = IntegrationKey(
        integration=integration, label=label, prefix=raw[:8], digest=key_digest(raw)
    )
    key.full_clean()
    key.save()
    audit_record(actor=actor, action=Action.KEY_ISSUED, obj=key)
    return key, raw


@transaction.atomic
def integration_key_revoke(
    *, key: IntegrationKey, actor: AbstractBaseUser | None = None
) -> IntegrationKey:
    """Revoke a live key (a revoked one stays as it is, and nothing is recorded)."""
    if key.revoked_at is None:
        before = audit_state(key)
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=Action.KEY_REVOKED, obj=key, before=before)
    return key


TOUCH_EVERY = dt.timedelta(minutes=5)  # `last_used_at` is written at most this often


def integration_authenticate(*, raw_key: str | None) -> Integration | None:
    """The integration a caller is, by the key it presents (None: unknown or revoked)."""
    key = live_key_for(raw_key)
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > TOUCH_EVERY:
        IntegrationKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.integration
