"""Which key a caller presents."""

from __future__ import annotations

from .models import IntegrationKey, key_digest


def live_key_for(raw: str | None) -> IntegrationKey | None:
    """The live key whose clear text is `raw`, with its integration and user loaded; None when
    the key is unknown or revoked, or its integration or user is switched off."""
    if not raw or not raw.strip():
        return None
    return (
        IntegrationKey.objects.select_related("integration__user")
        .filter(
            digest=key_digest(raw.strip()),
            revoked_at__isnull=True,
            integration__is_active=True,
            integration__user__is_active=True,
        )
        .first()
    )
