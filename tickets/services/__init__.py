"""Every write to a ticket. Views, the API, Open311, admin actions and tasks call these.

One module per concern: submission (numbering, `ticket_submit`), transition
(`ticket_transition`), actions (what each action does) and effects (attachments, duplicates,
notices after an event). Import from here: `from tickets.services import ticket_transition`.
"""

from .actions import MAX_EXTENSION_DAYS, REWORK_DAYS, Change, Context
from .submission import ticket_submit
from .transition import ticket_transition

__all__ = [
    "MAX_EXTENSION_DAYS",
    "REWORK_DAYS",
    "Change",
    "Context",
    "ticket_submit",
    "ticket_transition",
]
