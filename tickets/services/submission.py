"""Filing a problem: its number (tickets.numbers), its first event and the acceptance clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Category, Enterprise
from workdays.calendar import WorkCalendar

from ..attachments import validate_attachments
from ..escalation import start_level
from ..models import Action, Channel, Status, Ticket, TicketEvent
from ..numbers import next_number
from ..workflow import TRANSITIONS, Role, TransitionError, roles_for_enterprise
from .effects import after_event, save_attachments

# --- submission ------------------------------------------------------------------------------


def _checked_channel(
    submitted_by: AbstractBaseUser | None, enterprise: Enterprise, category: Category, channel: str
) -> str:
    """Refuse a submission `submitted_by` may not make, or to an inactive category or
    enterprise; answer the channel to record (an enterprise user files on the web or the API,
    whatever it claims)."""
    roles = roles_for_enterprise(submitted_by, enterprise.pk)
    if not roles & TRANSITIONS[Action.SUBMIT].roles:
        raise TransitionError(
            _("You may file problems only for your own enterprise."), code="forbidden"
        )
    if not category.is_active:
        raise ValidationError({"category": _("This category no longer takes new problems.")})
    if not enterprise.is_active:
        raise ValidationError(
            {"enterprise": _("This enterprise is no longer active; it takes no new problems.")}
        )
    if Role.ENTERPRISE in roles and not roles & {Role.OFFICE, Role.COVERING}:
        # An enterprise files on the web or through the API, or answers the office's notice
        # (themes; the API does not offer that channel).
        return (
            Channel.WEB if channel not in (Channel.WEB, Channel.API, Channel.PROACTIVE) else channel
        )
    return channel


SUBMIT_IN_HAND = ["enterprise", "category", "submitted_by"]


@transaction.atomic
def ticket_submit(
    *,
    enterprise: Enterprise,
    category: Category,
    title: str,
    description: str,
    submitted_by: AbstractBaseUser | None,
    channel: str = Channel.WEB,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    attachments: Iterable[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Ticket:
    """File a problem for `enterprise`; the acceptance clock starts now (or at `at`, for
    problems recorded after the fact: imports and the demo data). The ticket carries the event
    that filed it (`filed_event`), so an answer can be built from what is in hand."""
    channel = _checked_channel(submitted_by, enterprise, category, channel)
    checked = validate_attachments(list(attachments))

    now = at or timezone.now()
    calendar = WorkCalendar.current()
    ticket = Ticket(
        number=next_number(timezone.localdate(now).year),
        enterprise=enterprise,
        category=category,
        title=title.strip(),
        description=description.strip(),
        channel=channel,
        status=Status.SUBMITTED,
        submitted_by=submitted_by,
        submitted_at=now,
        acceptance_due=calendar.add_working_days(now, category.acceptance_days),
        escalation_level=start_level(enterprise.revenue_tier),
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    # The fields' own checks (lengths, choices); the enterprise, category and user are in hand
    # (no SELECT to see that they exist), the number is unique by its sequence, and the
    # constraints are the database's.
    ticket.full_clean(exclude=SUBMIT_IN_HAND, validate_unique=False, validate_constraints=False)
    ticket.save()
    ticket.filed_event = event = TicketEvent.objects.create(
        ticket=ticket,
        action=Action.SUBMIT,
        actor=submitted_by,
        from_status="",
        to_status=Status.SUBMITTED,
        note="",
        public=True,
        note_public=True,
        data={"channel": channel},
        created_at=now,
    )
    save_attachments(ticket, event, checked, submitted_by)
    after_event(event)
    return ticket
