"""Filing a problem through Open311: tickets.services.ticket_submit, plus what GeoReport adds."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from enterprises.models import Category, Enterprise
from integrations.models import Integration
from tickets.services import ticket_submit

from .models import ServiceRequest


@transaction.atomic
def service_request_create(
    *,
    integration: Integration,
    enterprise: Enterprise,
    category: Category,
    title: str,
    description: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    address_id: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    media_url: str = "",
    account_id: str = "",
    device_id: str = "",
) -> ServiceRequest:
    """The integration files the problem as itself (Role.INTEGRATION), on its own channel."""
    ticket = ticket_submit(
        enterprise=enterprise,
        category=category,
        title=title,
        description=description,
        submitted_by=integration.user,
        channel=integration.channel,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    request = ServiceRequest(
        ticket=ticket,
        integration=integration,
        address=address,
        address_id=address_id,
        latitude=latitude,
        longitude=longitude,
        media_url=media_url,
        account_id=account_id,
        device_id=device_id,
    )
    request.full_clean(exclude=["ticket"])
    request.save()
    return request
