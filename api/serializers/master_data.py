"""Master data: problem categories and enterprises (created through the API by the office)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enterprises.models import Category, District, Enterprise, IndustryChain
from enterprises.validators import normalize_uscc, validate_uscc

from ..fields import SlugRelatedField


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "parent",
            "complexity",
            "acceptance_days",
            "progress_days",
            "completion_days",
        ]


class UsccField(serializers.CharField):
    """A unified social credit code, normalised (spaces out, upper case) and checked."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        code = normalize_uscc(super().to_internal_value(data))
        validate_uscc(code)
        return code


class EnterpriseSerializer(serializers.ModelSerializer):
    uscc = UsccField(label=_("unified social credit code"))
    district = SlugRelatedField(slug_field="code", queryset=District.objects.all())
    district_name = serializers.CharField(source="district.name", read_only=True)
    industry_chain = SlugRelatedField(
        slug_field="code", queryset=IndustryChain.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "district",
            "district_name",
            "industry_chain",
            "revenue_tier",
            "srdi_level",
            "address",
            "latitude",
            "longitude",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_active",
        ]

    def validate_uscc(self, value: str) -> str:
        if Enterprise.objects.filter(uscc=value).exists():
            raise serializers.ValidationError(
                _("An enterprise with this unified social credit code exists already.")
            )
        return value
