"""Tickets as the API shows them: in a list, and one with its timeline and what the caller may
do to it now."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import Status, Ticket, TicketEvent
from tickets.selectors import enterprise_view
from tickets.templatetags.tickets_tags import actor_name

from ..fields import FieldsOnce


class NamedRefSerializer(FieldsOnce, serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseRefSerializer(FieldsOnce, serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")


class OfficialRefSerializer(FieldsOnce, serializers.Serializer):
    username = serializers.CharField(source="get_username")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        official = getattr(user, "official", None)
        return official.name if official is not None else user.get_username()


class DeadlinesSerializer(FieldsOnce, serializers.Serializer):
    acceptance_due = serializers.DateTimeField()
    first_progress_due = serializers.DateTimeField(allow_null=True)
    completion_due = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()


class TicketSerializer(FieldsOnce, serializers.ModelSerializer):
    """A ticket as a list shows it."""

    enterprise = EnterpriseRefSerializer()
    category = NamedRefSerializer()
    lead_department = NamedRefSerializer(allow_null=True)
    assignee = serializers.SerializerMethodField()
    merged_into = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    deadlines = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Ticket
        fields = [
            "number",
            "title",
            "status",
            "status_display",
            "enterprise",
            "category",
            "channel",
            "outcome",
            "lead_department",
            "assignee",
            "merged_into",
            "supervised",
            "submitted_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "deadlines",
        ]

    def as_enterprise(self, ticket: Ticket) -> bool:
        """Whether the caller reads this ticket as its enterprise (some fields are internal)."""
        return enterprise_view(self.context["request"].user, ticket)

    @extend_schema_field(OfficialRefSerializer(allow_null=True))
    def get_assignee(self, ticket: Ticket):
        # The enterprise sees who handles its problem, as on the web page and its timeline.
        if ticket.assignee_id is None:
            return None
        return OfficialRefSerializer(ticket.assignee).data

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, ticket: Ticket) -> dict:
        internal = self.as_enterprise(ticket)
        return DeadlinesSerializer(
            {
                "acceptance_due": ticket.acceptance_due,
                "first_progress_due": None if internal else ticket.first_progress_due,
                "completion_due": ticket.completion_due,
                "overdue": ticket.is_overdue(),
            }
        ).data


class EventSerializer(FieldsOnce, serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = [
            "action",
            "actor",
            "from_status",
            "to_status",
            "note",
            "public",
            "note_public",
            "created_at",
        ]

    def get_actor(self, event: TicketEvent) -> str:
        return actor_name(event)


class ExtensionSerializer(serializers.Serializer):
    working_days = serializers.IntegerField()
    reason = serializers.CharField()


class TicketDetailSerializer(TicketSerializer):
    """One ticket with its timeline (public events only, for its enterprise) and what the
    caller may do to it now. The view puts `timeline`, `supporting` and `allowed_actions`,
    read through tickets.selectors and tickets.workflow, into the context."""

    description = serializers.CharField()
    supporting_departments = serializers.SerializerMethodField()
    extension = serializers.SerializerMethodField()
    escalation_level = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "description",
            "resolution",
            "reject_reason",
            "rating",
            "rating_comment",
            "rated_at",
            "contact_name",
            "contact_phone",
            "supporting_departments",
            "escalation_level",
            "escalated_to",
            "extension",
            "events",
            "allowed_actions",
        ]

    @extend_schema_field(NamedRefSerializer(many=True))
    def get_supporting_departments(self, ticket: Ticket) -> list:
        return NamedRefSerializer(self.context["supporting"], many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, ticket: Ticket) -> list:
        return EventSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, ticket: Ticket) -> list[str]:
        return self.context["allowed_actions"]

    @extend_schema_field(ExtensionSerializer(allow_null=True))
    def get_extension(self, ticket: Ticket):
        if ticket.extension_days is None or self.as_enterprise(ticket):
            return None
        return {"working_days": ticket.extension_days, "reason": ticket.extension_reason}

    @extend_schema_field(OpenApiTypes.INT)
    def get_escalation_level(self, ticket: Ticket) -> int | None:
        return None if self.as_enterprise(ticket) else ticket.escalation_level

    @extend_schema_field(OfficialRefSerializer(allow_null=True))
    def get_escalated_to(self, ticket: Ticket):
        """Who holds it at its escalation level (tickets.escalation); internal to officials."""
        if ticket.escalated_to_id is None or self.as_enterprise(ticket):
            return None
        return OfficialRefSerializer(ticket.escalated_to).data
