"""Fields shared by the serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, refusing a NUL character before it looks the code up.

    PostgreSQL cannot hold NUL in text, so a lookup by a code with one in it fails in the
    database (a 500) instead of finding nothing; DRF's CharField refuses NUL, its related fields
    do not. Every writable slug of the API (category, department, supporting, district,
    industry_chain) is one of these (tests/api/test_odd_bodies.py checks that none is not).
    """

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(
                _("Null characters are not allowed."), code="null_characters_not_allowed"
            )
        return super().to_internal_value(data)
