"""Filing a ticket and acting on one: each body checked and turned into the keywords of
tickets.services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enterprises.models import Category, Department, Enterprise
from enterprises.selectors import active_categories, enterprises_visible_to
from enterprises.validators import normalize_uscc
from tickets.models import Channel, Outcome, Rating, RejectReason, Ticket
from tickets.selectors import tickets_visible_to
from tickets.services import MAX_EXTENSION_DAYS

from ..fields import FieldsOnce, SlugRelatedField

User = get_user_model()


class ActiveCategoryField(SlugRelatedField):
    """An active category by its code, found among the categories the process keeps
    (enterprises.selectors.active_categories); a code not there is refused as before, by the
    query."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            slug_field="code", queryset=Category.objects.filter(is_active=True), **kwargs
        )

    def to_internal_value(self, data):
        if isinstance(data, str) and (found := active_categories().get(code=data)) is not None:
            return found
        return super().to_internal_value(data)


class TicketCreateSerializer(FieldsOnce, serializers.Serializer):
    enterprise = serializers.CharField(
        required=False,
        max_length=40,
        help_text=_("The enterprise's USCC. An enterprise user may leave it out."),
    )
    category = ActiveCategoryField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    # `proactive` is set only by the answer to the office's notice (themes), never claimed here.
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] != Channel.PROACTIVE], default=Channel.API
    )
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
