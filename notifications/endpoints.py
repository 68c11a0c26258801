"""Writes of webhook endpoints, whose signing secrets are made here and shown once."""

from __future__ import annotations

from .models import WebhookEndpoint, new_signing_secret


def masked(secret: str) -> str:
    """How a saved secret is shown after it was made: enough to tell two apart, no more."""
    return f"••••••••{secret[-4:]}" if len(secret) >= 16 else ("••••••••" if secret else "—")


def webhook_create(*, name: str, url: str, is_active: bool = True) -> tuple[WebhookEndpoint, str]:
    """A webhook with a new signing secret; answers it with the secret, to show once."""
    endpoint = WebhookEndpoint(name=name, url=url, is_active=is_active, secret=new_signing_secret())
    endpoint.full_clean()
    endpoint.save()
    return endpoint, endpoint.secret


def webhook_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    """A new signing secret for `endpoint` (the old one stops at once); answers it, to show once."""
    endpoint.secret = new_signing_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret
