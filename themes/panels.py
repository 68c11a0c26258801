"""What themes add to a ticket's page (tickets.panels)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from enterprises.selectors import is_office
from tickets.models import Ticket

from .models import Member, Similar


def theme_panel(user: AbstractBaseUser, ticket: Ticket) -> dict | None:
    """The theme a ticket belongs to, and, once the theme is resolved, its proposed resolution
    with a button for the handler. The enterprise sees its problem is handled with others."""
    member = Member.objects.select_related("theme").filter(ticket=ticket).first()
    if member is None:
        return None
    may_confirm = (
        member.proposed_at is not None and ticket.assignee_id == user.pk and ticket.is_open
    )
    return {"template": "themes/_panel.html", "member": member, "may_confirm": may_confirm}


def similar_panel(user: AbstractBaseUser, ticket: Ticket) -> dict | None:
    """To the office: the open and recent problems most like this one, from any enterprise."""
    if not is_office(user):
        return None
    similar = list(Similar.objects.filter(ticket=ticket).select_related("other__enterprise")[:5])
    return {"template": "themes/_similar.html", "similar": similar}
