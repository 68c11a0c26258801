"""The query of the figures' endpoint."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ReportQuerySerializer(serializers.Serializer):
    """`?from=…&to=…[&cumulative=true][&group_by=…]`, as `manage.py report` takes them."""

    GROUPS = [
        "district",
        "department",
        "category",
        "industry_chain",
        "official",
        "revenue_tier",
        "srdi_level",
    ]

    def get_fields(self) -> dict:
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            "cumulative": serializers.BooleanField(required=False, default=False),
            "group_by": serializers.ChoiceField(choices=self.GROUPS, required=False),
        }

    def validate(self, attrs: dict) -> dict:
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": _("The period ends before it starts.")})
        return attrs
