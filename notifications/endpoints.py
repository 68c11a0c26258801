"""Writes of webhook endpoints, whose signing secrets are made here and shown once."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from audit.models import Action
from audit.services import audit_record
from audit.state import audit_state

from .models import WebhookEndpoint, new_signing_secret


def masked(secret: str) -> str:
    """How a saved secret is shown after it was made: enough to tell two apart, no more."""
    return f"••••••••{secret[-4:]}" if len(secret) >= 16 else ("••••••••" if secret else "—")


@transaction.atomic
def webhook_create(
    *, name: str, url: str, is_active: bool = True, actor: AbstractBaseUser | None = None
) -> tuple[WebhookEndpoint, str]:
    """A webhook with a new signing secret; answers it with the secret, to show once (its audit
    record holds it masked)."""
    endpoint = WebhookEndpoint(name=name, url=url, is_active=is_active, secret=new_signing_secret())
    endpoint.full_clean()
    endpoint.save()
    audit_record(actor=actor, action=Action.CREATED, obj=endpoint)
    return endpoint, endpoint.secret


@transaction.atomic
def webhook_secret_rotate(
    *, endpoint: WebhookEndpoint, actor: AbstractBaseUser | None = None
) -> str:
    """A new signing secret for `endpoint` (the old one stops at once); answers it, to show once."""
    before = audit_state(endpoint)
    endpoint.secret = new_signing_secret()
    endpoint.save(update_fields=["secret"])
    audit_record(actor=actor, action=Action.REKEYED, obj=endpoint, before=before)
    return endpoint.secret
