"""The API's door: the token request, and the body of every error but 400 (for the schema)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken import serializers as authtoken

User = get_user_model()


# --- authentication ------------------------------------------------------------------------


class AuthTokenSerializer(authtoken.AuthTokenSerializer):
    """DRF's, with the user name bounded as the user table bounds it: a longer one is a 400,
    before any sign-in is tried or recorded."""

    username = serializers.CharField(
        label=_("Username"),
        max_length=User._meta.get_field(User.USERNAME_FIELD).max_length,
        write_only=True,
    )


# --- errors (for the OpenAPI schema) ---------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error but 400: a machine-readable code and a sentence for people."""

    code = serializers.CharField()
    detail = serializers.CharField()
