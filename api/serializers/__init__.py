"""Serializers: they turn JSON into the keywords the services take, and objects into JSON.

They check types and look names up (a USCC, a category code, a user name) among what the caller
may see; every rule about tickets stays in tickets.services and tickets.workflow. One module per
concern: the door (common), master data, tickets as read, tickets as written (filed and acted
on), and the figures' query.
"""

from .common import AuthTokenSerializer, ErrorSerializer
from .master_data import CategorySerializer, EnterpriseSerializer, UsccField
from .reports import ReportQuerySerializer
from .ticket_reading import (
    DeadlinesSerializer,
    EnterpriseRefSerializer,
    EventSerializer,
    ExtensionSerializer,
    NamedRefSerializer,
    OfficialRefSerializer,
    TicketDetailSerializer,
    TicketSerializer,
)
from .ticket_writing import (
    ActionSerializer,
    AddInfoSerializer,
    AssignSerializer,
    FollowUpSerializer,
    MergeSerializer,
    NoteChoiceSerializer,
    ProgressSerializer,
    RateSerializer,
    ReasonActionSerializer,
    RejectSerializer,
    RequestExtensionSerializer,
    ResolveSerializer,
    TicketCreateSerializer,
    TransferSerializer,
)

__all__ = [
    "ActionSerializer",
    "AddInfoSerializer",
    "AssignSerializer",
    "AuthTokenSerializer",
    "CategorySerializer",
    "DeadlinesSerializer",
    "EnterpriseRefSerializer",
    "EnterpriseSerializer",
    "ErrorSerializer",
    "EventSerializer",
    "ExtensionSerializer",
    "FollowUpSerializer",
    "MergeSerializer",
    "NamedRefSerializer",
    "NoteChoiceSerializer",
    "OfficialRefSerializer",
    "ProgressSerializer",
    "RateSerializer",
    "ReasonActionSerializer",
    "RejectSerializer",
    "ReportQuerySerializer",
    "RequestExtensionSerializer",
    "ResolveSerializer",
    "TicketCreateSerializer",
    "TicketDetailSerializer",
    "TicketSerializer",
    "TransferSerializer",
    "UsccField",
]
