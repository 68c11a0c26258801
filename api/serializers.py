"""Serializers: they turn JSON into the keywords the services take, and objects into JSON.

They check types and look names up (a USCC, a category code, a user name) among what the caller
may see; every rule about tickets stays in tickets.services and tickets.workflow.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken import serializers as authtoken

from enterprises.models import Category, Department, District, Enterprise, IndustryChain
from enterprises.selectors import enterprises_visible_to
from enterprises.validators import normalize_uscc, validate_uscc
from tickets.models import Channel, Outcome, Rating, RejectReason, Status, Ticket, TicketEvent
from tickets.selectors import enterprise_view, tickets_visible_to
from tickets.services import MAX_EXTENSION_DAYS
from tickets.templatetags.tickets_tags import actor_name

from .fields import SlugRelatedField

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


# --- master data -----------------------------------------------------------------------------


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


# --- tickets: reading ------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseRefSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")


class OfficialRefSerializer(serializers.Serializer):
    username = serializers.CharField(source="get_username")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        official = getattr(user, "official", None)
        return official.name if official is not None else user.get_username()


class DeadlinesSerializer(serializers.Serializer):
    acceptance_due = serializers.DateTimeField()
    first_progress_due = serializers.DateTimeField(allow_null=True)
    completion_due = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()


class TicketSerializer(serializers.ModelSerializer):
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


class EventSerializer(serializers.ModelSerializer):
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


# --- tickets: writing ------------------------------------------------------------------------


class TicketCreateSerializer(serializers.Serializer):
    enterprise = serializers.CharField(
        required=False,
        max_length=40,
        help_text=_("The enterprise's USCC. An enterprise user may leave it out."),
    )
    category = SlugRelatedField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    contact_name = serializers.CharField(max_length=64, required=False, default="")
    contact_phone = serializers.CharField(max_length=32, required=False, default="")
    contact_email = serializers.EmailField(required=False, default="")

    def validate_enterprise(self, value: str) -> Enterprise:
        """Named by its USCC among the enterprises the caller may see (any other is unknown); one
        it may see but not file for is refused by the service (403), as the API's rules say."""
        user = self.context["request"].user
        enterprise = enterprises_visible_to(user).filter(uscc=normalize_uscc(value)).first()
        if enterprise is None:
            raise serializers.ValidationError(
                _("There is no enterprise with this unified social credit code that you may see.")
            )
        return enterprise


class ActionSerializer(serializers.Serializer):
    """The body of `POST /tickets/{number}/{action}/`. `params()` gives the keywords of
    tickets.services.ticket_transition; `service_fields` maps the service's field names back
    to the API's, for its validation errors."""

    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_(
            "The enterprise reads the notes of reject, add-info, resolve, rate and reopen, and "
            "of the actions that take `public` when it is true; the others stay internal."
        ),
    )
    service_fields: dict[str, str] = {}

    def params(self) -> dict:
        return dict(self.validated_data)


class NoteChoiceSerializer(ActionSerializer):
    """Actions whose note stays between officials unless its author shows it to the enterprise
    (tickets.workflow.NOTE_AUDIENCE: accept, assign, transfer, merge, progress, close)."""

    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Internal unless `public` is true."),
    )
    public = serializers.BooleanField(
        required=False, default=False, help_text=_("Whether the enterprise reads this note.")
    )


class ReasonActionSerializer(ActionSerializer):
    """Actions whose note is the reason the caller gives."""

    reason = serializers.CharField(max_length=5000)
    service_fields = {"note": "reason"}

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("note")
        return fields

    def params(self) -> dict:
        return {"note": self.validated_data["reason"]}


class RejectSerializer(ActionSerializer):
    reason = serializers.ChoiceField(choices=RejectReason.choices)


class AssignSerializer(NoteChoiceSerializer):
    official = serializers.CharField(max_length=150, help_text=_("The official's user name."))
    service_fields = {"assignee": "official"}

    def validate_official(self, value: str):
        user = User.objects.filter(username=value, is_active=True, official__isnull=False).first()
        if user is None:
            raise serializers.ValidationError(_("There is no official with this user name."))
        return user

    def params(self) -> dict:
        data = dict(self.validated_data)
        return {"note": data["note"], "public": data["public"], "assignee": data["official"]}


class TransferSerializer(NoteChoiceSerializer):
    department = SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    supporting = SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), many=True, required=False
    )


class ProgressSerializer(NoteChoiceSerializer):
    note = serializers.CharField(max_length=5000, help_text=_("Internal unless `public` is true."))


class AddInfoSerializer(ActionSerializer):
    note = serializers.CharField(max_length=5000)


class FollowUpSerializer(ActionSerializer):
    note = serializers.CharField(
        max_length=5000, help_text=_("What the enterprise said on the call.")
    )


class RequestExtensionSerializer(ReasonActionSerializer):
    working_days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)
    service_fields = {"note": "reason", "days": "working_days"}

    def params(self) -> dict:
        return {"note": self.validated_data["reason"], "days": self.validated_data["working_days"]}


class MergeSerializer(NoteChoiceSerializer):
    into = serializers.CharField(max_length=16, help_text=_("The number of the main ticket."))

    def validate_into(self, value: str) -> Ticket:
        user = self.context["request"].user
        ticket = tickets_visible_to(user).filter(number=value.strip().upper()).first()
        if ticket is None:
            raise serializers.ValidationError(
                _("There is no ticket %(number)s.") % {"number": value}
            )
        return ticket


class ResolveSerializer(ActionSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    resolution = serializers.CharField(max_length=5000)


class RateSerializer(ActionSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


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
