"""Panels that apps above tickets add to a ticket's page (a theme it belongs to, problems like it).

Tickets know nothing of those apps: each registers a function from its AppConfig.ready; the page
asks every one and shows what they return (a template and its context), in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser

from .models import Ticket

Panel = Callable[[AbstractBaseUser, Ticket], dict | None]
_panels: list[Panel] = []


def register_panel(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(user: AbstractBaseUser, ticket: Ticket) -> list[dict]:
    """What each panel shows `user` on `ticket`'s page: {"template": …, …} or nothing."""
    return [shown for panel in _panels if (shown := panel(user, ticket)) is not None]
