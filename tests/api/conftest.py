"""Clients for the REST API: each persona signs in with its own token, as a real client would."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api(world):
    """api("office") → an APIClient sending the office's token; api(None) → no credentials."""

    def client_for(persona: str | None) -> APIClient:
        client = APIClient()
        if persona is not None:
            user = world.personas()[persona]
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
