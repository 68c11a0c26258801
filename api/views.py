"""The REST API. Each view loads through the selectors the web pages use (404 for what the
caller may not see, 403 for what it may see but not do) and writes through the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.models import Category
from enterprises.selectors import enterprises_visible_to, is_office, member_of, report_scope
from enterprises.services import enterprise_create
from enterprises.validators import normalize_uscc
from ops.replica import replica_reads
from tickets.models import Action, Ticket, TicketEvent
from tickets.selectors import ticket_for, ticket_for_action, ticket_list_for, timeline_for
from tickets.services import ticket_transition
from tickets.workflow import NOTE_AUDIENCE, NoteAudience, TransitionError, allowed_actions

from . import serializers as s
from .errors import Conflict, as_api_error
from .filters import ApiTicketFilter, TicketFilterBackend
from .schema import errors
from .services import IdempotencyConflict, ticket_submit_once
from .throttles import SubmitThrottle, TokenThrottle

IDEMPOTENCY_HEADER = "Idempotency-Key"


def action_slug(action: Action) -> str:
    """`request_extension` → `request-extension`: the action's name in the URL."""
    return action.value.replace("_", "-")


# --- authentication --------------------------------------------------------------------------


class TokenView(APIView):
    """Exchange a user name and password for a token; send it as `Authorization: Token …`."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    serializer_class = s.AuthTokenSerializer

    @extend_schema(
        operation_id="auth_token",
        request=s.AuthTokenSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            **errors(400, 403, 429),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = s.AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):  # django-axes: too many failures
                raise Throttled(
                    detail=_(
                        "Too many failed sign-ins: this account cannot sign in for an hour. "
                        "Try again later, or ask the campaign office to unlock it."
                    ),
                    code="locked_out",
                )
            raise serializers.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


# --- master data -----------------------------------------------------------------------------


class CategoryList(generics.ListAPIView):
    """Problem categories open for new problems, with their deadlines in working days."""

    serializer_class = s.CategorySerializer
    pagination_class = None
    queryset = Category.objects.filter(is_active=True).select_related("parent")

    @extend_schema(responses={200: s.CategorySerializer(many=True), **errors(401)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class EnterpriseList(generics.ListCreateAPIView):
    """The enterprises the caller may see; the office adds new ones."""

    serializer_class = s.EnterpriseSerializer

    def get_queryset(self):
        return (
            enterprises_visible_to(self.request.user)
            .select_related("district", "industry_chain")
            .order_by("name", "pk")
        )

    @extend_schema(responses={200: s.EnterpriseSerializer(many=True), **errors(401, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: s.EnterpriseSerializer, **errors(400, 401, 403)})
    def post(self, request: Request, *args, **kwargs) -> Response:
        if not is_office(request.user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            enterprise = enterprise_create(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(self.get_serializer(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseDetail(generics.RetrieveAPIView):
    serializer_class = s.EnterpriseSerializer

    def get_object(self):
        return get_object_or_404(
            enterprises_visible_to(self.request.user).select_related("district", "industry_chain"),
            uscc=normalize_uscc(self.kwargs["uscc"]),
        )

    @extend_schema(responses={200: s.EnterpriseSerializer, **errors(401, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


# --- tickets ---------------------------------------------------------------------------------


def ticket_response(
    request: Request, ticket: Ticket, *, code: int = 200, filed: TicketEvent | None = None
) -> Response:
    """A ticket with its timeline and what the caller may do now, as GET .../{number}/ shows.

    `filed`: the event of a ticket just filed, its only one; the answer is then built from what
    is in hand, without reading the ticket back."""
    context = {
        "request": request,
        "timeline": timeline_for(request.user, ticket, events=[filed] if filed else None),
        "supporting": [] if filed else list(ticket.supporting_departments.all()),
        "allowed_actions": [action_slug(a) for a in allowed_actions(request.user, ticket)],
    }
    return Response(s.TicketDetailSerializer(ticket, context=context).data, status=code)


class TicketList(generics.ListCreateAPIView):
    """The tickets the caller may see, with the web queue's filters; and filing a problem."""

    filter_backends = [TicketFilterBackend]
    filterset_class = ApiTicketFilter
    throttle_classes = [SubmitThrottle]

    def get_queryset(self):
        return ticket_list_for(user=self.request.user)

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return s.TicketCreateSerializer
        return s.TicketSerializer

    @extend_schema(responses={200: s.TicketSerializer(many=True), **errors(400, 401, 404)})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.TicketCreateSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_(
                    "Any unique string (a UUID): a retried request with the same key returns "
                    "the first ticket instead of filing a second one."
                ),
            )
        ],
        responses={201: s.TicketDetailSerializer, **errors(400, 401, 403, 409, 429)},
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = s.TicketCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("enterprise") is None:
            member = member_of(request.user)
            if member is None:
                raise serializers.ValidationError(
                    {"enterprise": [_("Name the enterprise by its unified social credit code.")]}
                )
            data["enterprise"] = member.enterprise
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip() or None
        if key is not None and len(key) > 255:
            raise serializers.ValidationError({IDEMPOTENCY_HEADER: [_("At most 255 characters.")]})
        try:
            submission = ticket_submit_once(submitted_by=request.user, idempotency_key=key, **data)
        except IdempotencyConflict as error:
            raise Conflict(str(error), code="idempotency_conflict") from error
        except (TransitionError, DjangoValidationError) as error:
            raise as_api_error(error) from error
        if submission.replayed:
            response = ticket_response(request, submission.ticket, code=status.HTTP_201_CREATED)
            response["Idempotent-Replayed"] = "true"
        else:
            ticket = submission.ticket
            response = ticket_response(
                request, ticket, code=status.HTTP_201_CREATED, filed=ticket.filed_event
            )
        return response


class TicketDetail(APIView):
    @extend_schema(responses={200: s.TicketDetailSerializer, **errors(401, 404)})
    def get(self, request: Request, number: str) -> Response:
        return ticket_response(request, ticket_for(request.user, number))


class TicketActionView(APIView):
    """`POST /tickets/{number}/{action}/`: one action through tickets.services.ticket_transition.

    404 when the caller may not see the ticket, 403 when it may not do this action, 400 for bad
    input, 409 when the ticket's status does not allow it now; nothing changes on any of them.
    """

    ticket_action: Action = Action.ACCEPT
    serializer_class: type[s.ActionSerializer] = s.ActionSerializer

    def get_serializer(self, *args, **kwargs) -> s.ActionSerializer:
        return self.serializer_class(*args, context={"request": self.request}, **kwargs)

    def post(self, request: Request, number: str) -> Response:
        ticket = ticket_for_action(request.user, number, self.ticket_action)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = serializer.params()
        try:
            done = ticket_transition(
                ticket=ticket,
                actor=request.user,
                action=self.ticket_action,
                note=params.pop("note", ""),
                public=params.pop("public", None),
                **params,
            )
        except (TransitionError, DjangoValidationError) as error:
            raise as_api_error(error, field_names=serializer.service_fields) from error
        try:
            ticket = ticket_for(request.user, number)
        except Http404:
            ticket = done  # e.g. a department returned it: it no longer sees it, but did this
        return ticket_response(request, ticket)


ACTION_SERIALIZERS: dict[Action, type[s.ActionSerializer]] = {
    Action.ACCEPT: s.NoteChoiceSerializer,
    Action.REJECT: s.RejectSerializer,
    Action.ASSIGN: s.AssignSerializer,
    Action.TRANSFER: s.TransferSerializer,
    Action.RETURN: s.ReasonActionSerializer,
    Action.MERGE: s.MergeSerializer,
    Action.PROGRESS: s.ProgressSerializer,
    Action.ADD_INFO: s.AddInfoSerializer,
    Action.REQUEST_EXTENSION: s.RequestExtensionSerializer,
    Action.APPROVE_EXTENSION: s.NoteChoiceSerializer,
    Action.DENY_EXTENSION: s.ReasonActionSerializer,
    Action.ESCALATE: s.ActionSerializer,
    Action.SUPERVISE: s.ActionSerializer,
    Action.RESOLVE: s.ResolveSerializer,
    Action.RATE: s.RateSerializer,
    Action.REOPEN: s.ReasonActionSerializer,
    Action.CLOSE: s.NoteChoiceSerializer,
    Action.REMIND: s.ActionSerializer,
    Action.FOLLOW_UP: s.FollowUpSerializer,
    Action.URGE: s.ActionSerializer,
}
assert set(ACTION_SERIALIZERS) == set(Action) - {Action.SUBMIT}, "every action needs an endpoint"
assert all(
    issubclass(serializer, s.NoteChoiceSerializer) == (NOTE_AUDIENCE[a] == NoteAudience.CHOICE)
    for a, serializer in ACTION_SERIALIZERS.items()
), "an author may mark a note for the enterprise exactly where tickets.workflow lets it choose"


def action_view(action: Action):
    """The view of one action, documented under its own name."""
    serializer = ACTION_SERIALIZERS[action]

    @extend_schema(
        operation_id=f"tickets_{action.value}",
        summary=str(action.label),
        request=serializer,
        responses={200: s.TicketDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, number: str) -> Response:
        return TicketActionView.post(self, request, number)

    view = type(
        f"Ticket{action.name.title().replace('_', '')}View",
        (TicketActionView,),
        {"ticket_action": action, "serializer_class": serializer, "post": post},
    )
    return view.as_view()


# --- reports ---------------------------------------------------------------------------------


class ReportSummary(APIView):
    """The figures for a period, as `manage.py report --format json` gives them."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("cumulative", OpenApiTypes.BOOL),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=s.ReportQuerySerializer.GROUPS),
        ],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403)},
    )
    @replica_reads()
    def get(self, request: Request) -> Response:
        scope = report_scope(request.user)
        if scope is None:
            raise PermissionDenied
        query = s.ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        from reports.aggregates import summary  # the reports module: one implementation of figures

        return Response(
            summary(
                scope=scope,
                date_from=query.validated_data["from"],
                date_to=query.validated_data["to"],
                cumulative=query.validated_data["cumulative"],
                group_by=query.validated_data.get("group_by"),
            )
        )


# --- documentation ---------------------------------------------------------------------------


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its assets served by the app (drf-spectacular-sidecar). The split view sends
    its start-up script as a file of its own, so the site's Content-Security-Policy (scripts
    from this origin only) holds here too; our template drops the inline <style>."""

    template_name = "api/swagger_ui.html"
