"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) and its Service Discovery.

Categories are the services. A problem is filed with the API key of an integration account
(integrations/), names its enterprise by `attribute[uscc]` and goes through
tickets.services.ticket_submit like any other. Requests are read with a key (the problems that
integration filed) or a signed-in session (what that user sees); without either, nothing exists.
Errors use the spec's format: `[{"code": 400, "description": "…"}]` or `<errors><error>…`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from enterprises.models import Category
from integrations.services import integration_authenticate
from tickets.models import Status, Ticket
from tickets.validators import without_control_characters
from tickets.workflow import TransitionError

from . import formats
from .forms import ServiceRequestForm
from .selectors import service_requests_visible_to
from .services import service_request_create

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00+08:00"  # when the services' shape last changed
DEFAULT_SPAN = dt.timedelta(days=90)
MAX_REQUESTS = 1000
CLOSED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED})
RATE_GROUP = "open311.requests"
# The offsets of the world's time zones (ISO 8601 allows up to ±23:59, PostgreSQL ±15:59).
EARLIEST_OFFSET, LATEST_OFFSET = dt.timedelta(hours=-12), dt.timedelta(hours=14)


# --- discovery and services ------------------------------------------------------------------


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services", args=["json"]))
    return formats.respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("The campaign office (领导小组办公室): %(site)s")
            % {"site": settings.SITE_URL},
            "key_service": _("Ask the campaign office for an integration account and its key."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rsplit("/services.json", 1)[0],
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": ngettext(
            "Completed within %(days)d working day.",
            "Completed within %(days)d working days.",
            category.completion_days,
        )
        % {"days": category.completion_days},
        "metadata": True,
        "type": "realtime",
        "keywords": category.code,
        "group": category.parent.name if category.parent_id else category.name,
    }


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = Category.objects.filter(is_active=True).select_related("parent")
    return formats.respond(fmt, "services", [_service(c) for c in categories])


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if not Category.objects.filter(code=code, is_active=True).exists():
        return formats.error(fmt, 404, _("There is no service with this code."))
    attributes = [
        {
            "variable": True,
            "code": "uscc",
            "datatype": "string",
            "required": True,
            "datatype_description": _("18 characters, as on the business licence."),
            "order": 1,
            "description": _("The enterprise's unified social credit code (统一社会信用代码)."),
        },
        {
            "variable": True,
            "code": "title",
            "datatype": "string",
            "required": False,
            "datatype_description": _("At most 120 characters."),
            "order": 2,
            "description": _(
                "One line that says what the problem is; by default the description's first line."
            ),
        },
    ]
    return formats.respond(
        fmt, "service_definition", {"service_code": code, "attributes": attributes}
    )


# --- service requests ------------------------------------------------------------------------


def _api_key(request: HttpRequest) -> str:
    return request.POST.get("api_key") or request.GET.get("api_key") or ""


def _reader(request: HttpRequest):
    """Who reads: the integration of the key given, else the signed-in user (maybe nobody).
    None when a key was given but is not a live one."""
    raw = _api_key(request)
    if raw:
        integration = integration_authenticate(raw_key=raw)
        return integration.user if integration is not None else None
    return request.user


def _limited(request: HttpRequest, key) -> int | None:
    """Seconds to wait when `key` has used up settings.OPEN311_SUBMIT_RATE, else None."""
    usage = get_usage(
        request,
        group=RATE_GROUP,
        key=key,
        rate=settings.OPEN311_SUBMIT_RATE,
        method="POST",
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        return usage["time_left"]
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    reader = _reader(request)
    if reader is None:
        return formats.error(fmt, 403, _("This api_key is not valid (or was revoked)."))
    try:
        tickets = _filtered(service_requests_visible_to(reader), request.GET)
    except ValidationError as error:
        return formats.error(fmt, 400, " ".join(error.messages))
    return formats.respond(fmt, "service_requests", [_request(t) for t in tickets[:MAX_REQUESTS]])


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    if (wait := _limited(request, "ip")) is not None:
        return _too_many(fmt, wait)
    integration = integration_authenticate(raw_key=_api_key(request))
    if integration is None:
        return formats.error(fmt, 403, _("A valid api_key is required to file a problem."))
    if (wait := _limited(request, lambda g, r: f"integration:{integration.pk}")) is not None:
        return _too_many(fmt, wait)
    form = ServiceRequestForm(request.POST)
    if not form.is_valid():
        return formats.respond(
            fmt,
            "errors",
            [{"code": 400, "description": message} for message in form.error_list()],
            status=400,
        )
    try:
        created = service_request_create(integration=integration, **form.submission())
    except TransitionError as error:
        return formats.error(fmt, 403, error.message)
    except ValidationError as error:
        return formats.error(fmt, 400, " ".join(error.messages))
    ticket = created.ticket
    return formats.respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": ticket.number,
                "token": str(created.token),
                "service_notice": _("Filed as %(number)s; it will be accepted by %(due)s.")
                % {"number": ticket.number, "due": formats.iso(ticket.acceptance_due)},
                "account_id": created.account_id or None,
            }
        ],
    )


def _too_many(fmt: str, wait: int) -> HttpResponse:
    response = formats.error(fmt, 429, _("Too many requests; try again later."))
    response["Retry-After"] = str(max(int(wait), 1))
    return response


def _filtered(tickets, query) -> list[Ticket]:
    """The spec's filters: a list of ids wins over everything else; otherwise service codes,
    status and a period of at most 90 days (by default the last 90 days)."""
    ids = [i.strip() for i in _clean(query, "service_request_id").split(",") if i.strip()]
    if ids:
        return list(tickets.filter(number__in=ids[:MAX_REQUESTS]))
    codes = [c.strip() for c in _clean(query, "service_code").split(",") if c.strip()]
    if codes:
        tickets = tickets.filter(category__code__in=codes)
    statuses = {s.strip() for s in query.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise ValidationError(_("status is open, closed or both."))
    if statuses == {"open"}:
        tickets = tickets.exclude(status__in=CLOSED)
    elif statuses == {"closed"}:
        tickets = tickets.filter(status__in=CLOSED)
    start, end = _moment(query, "start_date"), _moment(query, "end_date")
    end = end or (start + DEFAULT_SPAN if start else timezone.now())
    start = start or end - DEFAULT_SPAN
    if start > end:
        raise ValidationError(_("start_date is after end_date."))
    tickets = tickets.filter(Q(submitted_at__gte=start) & Q(submitted_at__lte=end))
    return list(tickets.order_by("-submitted_at", "-id")[:MAX_REQUESTS])


def _clean(query, name: str) -> str:
    """A list parameter without the control characters (NUL…) the database refuses."""
    return without_control_characters(query.get(name, ""))


def _moment(query, name: str) -> dt.datetime | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or not 2000 <= moment.year <= 2100:
        raise ValidationError(
            _("%(name)s is not a date and time such as 2026-11-05T08:15:30+08:00.") % {"name": name}
        )
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    if not EARLIEST_OFFSET <= moment.utcoffset() <= LATEST_OFFSET:
        raise ValidationError(
            _(
                "%(name)s has a time zone offset no place uses; use one from -12:00 to +14:00, "
                "such as 2026-11-05T08:15:30+08:00."
            )
            % {"name": name}
        )
    return moment


@require_GET
def service_request(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return formats.error(fmt, 403, _("This api_key is not valid (or was revoked)."))
    ticket = service_requests_visible_to(reader).filter(number=number).first()
    if ticket is None:
        return formats.error(fmt, 404, _("There is no service request %(id)s.") % {"id": number})
    return formats.respond(fmt, "service_requests", [_request(ticket)])


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    reader = _reader(request)
    if reader is None:
        return formats.error(fmt, 403, _("This api_key is not valid (or was revoked)."))
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    ticket = (
        service_requests_visible_to(reader).filter(open311__token=value).first() if value else None
    )
    if ticket is None:
        return formats.error(fmt, 404, _("There is no request with this token."))
    return formats.respond(
        fmt, "service_requests", [{"service_request_id": ticket.number, "token": token}]
    )


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    return formats.error(fmt, 404, _("There is no such resource in GeoReport v2."))


def _request(ticket: Ticket) -> dict:
    """One service request, as GeoReport v2 describes it."""
    extra = getattr(ticket, "open311", None)  # None: filed some other way
    enterprise = ticket.enterprise
    latitude = extra.latitude if extra and extra.latitude is not None else enterprise.latitude
    longitude = extra.longitude if extra and extra.longitude is not None else enterprise.longitude
    return {
        "service_request_id": ticket.number,
        "status": "closed" if ticket.status in CLOSED else "open",
        "status_notes": _status_notes(ticket),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": ticket.description[:4000],
        "agency_responsible": ticket.lead_department.name if ticket.lead_department else None,
        "service_notice": str(Status(ticket.status).label),
        "requested_datetime": formats.iso(ticket.submitted_at),
        "updated_datetime": formats.iso(ticket.updated_at),
        "expected_datetime": formats.iso(ticket.completion_due),
        "address": (extra.address if extra and extra.address else enterprise.address) or None,
        "address_id": (extra.address_id if extra else "") or None,
        "zipcode": None,
        "lat": float(latitude) if latitude is not None else None,
        "long": float(longitude) if longitude is not None else None,
        "media_url": (extra.media_url if extra else "") or None,
    }


def _status_notes(ticket: Ticket) -> str | None:
    """What the enterprise would read: the resolution, the reason for a rejection, or the
    latest public note."""
    if ticket.status in (Status.RESOLVED, Status.CLOSED) and ticket.resolution:
        return ticket.resolution
    if ticket.status == Status.REJECTED and ticket.reject_reason:
        reason = str(ticket.get_reject_reason_display())
        return f"{reason}：{ticket.last_public_note}" if ticket.last_public_note else reason
    return ticket.last_public_note or None
