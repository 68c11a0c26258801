"""Fields shared by the serializers, and how a serializer makes its fields once (FieldsOnce)."""

from __future__ import annotations

import copy

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


class FieldsOnce:
    """A serializer makes its fields again for every instance: a ModelSerializer works them out
    of the model, and every field is deep-copied, which calls its `__init__` again (together a
    third of the time of a ticket's answer). These do not change at run time, so they are made
    once per class; each instance gets its own copy of each, to bind to itself: a shallow one of
    a plain field (binding sets only its own attributes), a deep one of a nested serializer
    (which keeps fields of its own)."""

    def get_fields(self):
        made = type(self).__dict__.get("_fields_once")
        if made is None:
            made = super().get_fields()  # type: ignore[misc]
            type(self)._fields_once = made  # type: ignore[attr-defined]
        return {
            name: copy.deepcopy(field)
            if isinstance(field, serializers.BaseSerializer)
            else copy.copy(field)
            for name, field in made.items()
        }
