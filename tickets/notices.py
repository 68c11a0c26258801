"""Who hears of a ticket event, and what they hear: people under the bell (and by e-mail), the
group robots of the enterprise's district and of the lead department, and the webhooks.

Called by tickets.services inside the transaction that wrote the event, so what it writes
(notifications and the outbox) commits or rolls back with the event. The delivery itself is
notifications' business, which knows nothing of tickets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from enterprises.escalation import escalation_recipients
from enterprises.selectors import covering_users, covering_users_by_enterprise, office_users
from notifications.models import Kind
from notifications.services import notify, to_group_robots, to_webhooks

from .models import Action, Status, Ticket, TicketEvent
from .workflow import extension_approvers

User = get_user_model()


# --- who is who for a ticket -----------------------------------------------------------------


def responsible_for(ticket: Ticket) -> list:
    """Whoever must act next: the assignee; else the lead department's coordinators; else the
    officials covering the enterprise; else the office."""
    return responsible_for_each([ticket])[ticket.pk]


def responsible_for_each(tickets: Sequence[Ticket]) -> dict[int, list]:
    """responsible_for of many tickets (the deadline job's batches) in at most three queries,
    each made only when some ticket needs it: coordinators, covering officials, the office."""
    answer = {t.pk: [t.assignee] for t in tickets if t.assignee_id}
    waiting = [t for t in tickets if t.pk not in answer]
    if departments := {t.lead_department_id for t in waiting if t.lead_department_id}:
        coordinators: dict[int, list] = defaultdict(list)
        for user in User.objects.filter(
            official__is_coordinator=True, official__department_id__in=departments
        ).select_related("official"):
            coordinators[user.official.department_id].append(user)
        for ticket in waiting:
            if found := coordinators.get(ticket.lead_department_id):
                answer[ticket.pk] = found
        waiting = [t for t in waiting if t.pk not in answer]
    if waiting:
        covering = covering_users_by_enterprise(t.enterprise_id for t in waiting)
        office: list | None = None
        for ticket in waiting:
            if not (found := covering.get(ticket.enterprise_id)):
                office = list(office_users()) if office is None else office
                found = office
            answer[ticket.pk] = found
    return answer


def _coordinators(ticket: Ticket):
    return User.objects.filter(
        official__is_coordinator=True, official__department_id=ticket.lead_department_id
    )


def _members(ticket: Ticket):
    """The enterprise's users."""
    return User.objects.filter(enterprise_member__enterprise_id=ticket.enterprise_id)


def _extension_requester(ticket: Ticket):
    event = (
        TicketEvent.objects.filter(ticket=ticket, action=Action.REQUEST_EXTENSION)
        .select_related("actor")
        .last()
    )
    return event.actor if event else None


# --- people ----------------------------------------------------------------------------------


@dataclass
class Notice:
    recipients: Iterable
    kind: Kind
    params: dict = field(default_factory=dict)


def notify_ticket_event(event: TicketEvent) -> None:
    """Tell the people concerned, the robots and the webhooks of `event`."""
    ticket = event.ticket
    say = partial(notify, ticket=ticket, url=ticket.get_absolute_url(), exclude=event.actor)
    base = {"number": ticket.number, "title": ticket.title}
    if event.from_status and event.from_status != event.to_status:
        say(
            recipients=_members(ticket),
            kind=Kind.STATUS,
            params={**base, "status": event.to_status},
        )
    notice_of = NOTICES.get(Action(event.action))
    notices = notice_of(event, ticket) if notice_of else None
    if isinstance(notices, Notice):
        notices = [notices]
    for notice in notices or ():
        say(recipients=notice.recipients, kind=notice.kind, params={**base, **notice.params})
    _to_robots(event)
    to_webhooks(payload=partial(webhook_payload, event))


def _submitted(event: TicketEvent, ticket: Ticket) -> Notice:
    # Their notification preferences come in the same query.
    recipients = covering_users(ticket.enterprise_id).select_related("notification_preference")
    return Notice(recipients, Kind.SUBMITTED, {"enterprise": ticket.enterprise.name})


def _assigned(event: TicketEvent, ticket: Ticket) -> Notice:
    return Notice([ticket.assignee], Kind.ASSIGNED)


def _transferred(event: TicketEvent, ticket: Ticket) -> Notice:
    return Notice(_coordinators(ticket), Kind.TRANSFERRED)


def _returned(event: TicketEvent, ticket: Ticket) -> Notice:
    name = event.department.name if event.department_id else ""
    return Notice(office_users(), Kind.RETURNED, {"department": name, "note": event.note})


def _info_added(event: TicketEvent, ticket: Ticket) -> Notice | None:
    return Notice([ticket.assignee], Kind.INFO_ADDED) if ticket.assignee_id else None


def _reopened(event: TicketEvent, ticket: Ticket) -> Notice | None:
    """A reopening, or a bad rating that reopens: the assignee has work again."""
    if event.to_status != Status.REOPENED or not ticket.assignee_id:
        return None
    return Notice([ticket.assignee], Kind.REOPENED)


def _extension_requested(event: TicketEvent, ticket: Ticket) -> Notice:
    days = event.data.get("days")
    return Notice(extension_approvers(ticket), Kind.EXTENSION_REQUESTED, {"days": days})


def _extension_decided(kind: Kind) -> Callable[[TicketEvent, Ticket], Notice]:
    return lambda event, ticket: Notice([_extension_requester(ticket)], kind)


def _extension_approved(event: TicketEvent, ticket: Ticket) -> list[Notice]:
    """The requester hears of the approval; the enterprise of its new completion date, and
    why when the note is for it."""
    due = timezone.localdate(dt.datetime.fromisoformat(event.data["to"])).isoformat()
    reason = event.note if event.note_public else ""
    return [
        Notice([_extension_requester(ticket)], Kind.EXTENSION_APPROVED),
        Notice(_members(ticket), Kind.EXTENDED, {"date": due, "reason": reason}),
    ]


def _escalated(event: TicketEvent, ticket: Ticket) -> Notice:
    """Whoever holds it now: the covering official of its new level; else (nobody covers that
    level, or it goes to the joint meeting, whose agenda the office keeps) the office."""
    recipients = [ticket.escalated_to] if ticket.escalated_to_id else list(office_users())
    return Notice(recipients, Kind.ESCALATED, {"level": event.data.get("level_name", "")})


def _reminded(event: TicketEvent, ticket: Ticket) -> Notice:
    """A step of the overdue ladder (by the system) or the office's reminder (催办)."""
    step = event.data.get("step", 1)
    recipients = escalation_recipients(
        step, enterprise_id=ticket.enterprise_id, first=partial(responsible_for, ticket)
    )
    kind = Kind.OVERDUE if event.actor_id is None else Kind.REMINDER
    return Notice(list(recipients), kind, {"clock": event.data.get("clock")})


def _supervised(event: TicketEvent, ticket: Ticket) -> list[Notice]:
    recipients = responsible_for(ticket)
    if event.actor_id is None:  # the last step of the overdue ladder: the office hears too
        recipients = [*recipients, *office_users()]
    # The enterprise hears that the office chases its problem, not the office's words.
    return [Notice(recipients, Kind.SUPERVISED), Notice(_members(ticket), Kind.CHASED)]


def _urged(event: TicketEvent, ticket: Ticket) -> Notice:
    """催办 by the enterprise: whoever holds the ticket hears which deadline has passed."""
    return Notice(responsible_for(ticket), Kind.URGED, {"clock": event.data.get("clock")})


# A handler returns one notice, several, or None.
NOTICES: dict[Action, Callable[[TicketEvent, Ticket], Notice | list[Notice] | None]] = {
    Action.SUBMIT: _submitted,
    Action.ASSIGN: _assigned,
    Action.TRANSFER: _transferred,
    Action.RETURN: _returned,
    Action.ADD_INFO: _info_added,
    Action.REOPEN: _reopened,
    Action.RATE: _reopened,
    Action.REQUEST_EXTENSION: _extension_requested,
    Action.APPROVE_EXTENSION: _extension_approved,
    Action.DENY_EXTENSION: _extension_decided(Kind.EXTENSION_DENIED),
    Action.ESCALATE: _escalated,
    Action.REMIND: _reminded,
    Action.SUPERVISE: _supervised,
    Action.URGE: _urged,
}


def status_label(code: str) -> str:
    """A status code kept in a notification's params, named in the reader's language."""
    try:
        return str(Status(code).label)
    except ValueError:
        return code


# --- robots and webhooks ---------------------------------------------------------------------

# Which events a unit's group robot hears of: new problems in its district, problems sent to
# its department, and every step of an overdue escalation or supervision of either.
ROBOT_ACTIONS_DISTRICT = frozenset(
    {Action.SUBMIT, Action.REMIND, Action.SUPERVISE, Action.ESCALATE}
)
ROBOT_ACTIONS_DEPARTMENT = frozenset(
    {Action.TRANSFER, Action.REMIND, Action.SUPERVISE, Action.ESCALATE, Action.RETURN}
)


def _to_robots(event: TicketEvent) -> None:
    ticket = event.ticket
    action = Action(event.action)
    districts = [ticket.enterprise.district_id] if action in ROBOT_ACTIONS_DISTRICT else []
    departments = (
        [ticket.lead_department_id]
        if action in ROBOT_ACTIONS_DEPARTMENT and ticket.lead_department_id
        else []
    )
    if districts or departments:
        to_group_robots(
            district_ids=districts,
            department_ids=departments,
            text=partial(robot_text, event),
        )


def robot_text(event: TicketEvent) -> str:
    ticket = event.ticket
    link = f"{settings.SITE_URL.rstrip('/')}{ticket.get_absolute_url()}"
    lines = [
        f"【{translation.gettext('Qinqing')}】{ticket.number} {ticket.title}",
        f"{ticket.enterprise.name} · {event.get_action_display()} · {event.get_to_status_display()}",
    ]
    if event.note_for_enterprise:  # the one rule for notes: internal ones stay in the system
        lines.append(event.note_for_enterprise[:200])
    lines.append(link)
    return "\n".join(lines)


def webhook_payload(event: TicketEvent) -> dict:
    """What a webhook receives: the event and the ticket's state after it. A receiver is
    another system (the 12345 hotline answers the enterprise with it), so the note goes out only
    when the enterprise may read it (`note_public`); an internal note is left out, never
    marked."""
    ticket = event.ticket
    return {
        "event": {
            "id": event.pk,
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "at": event.created_at.isoformat(),
            "public": event.public,
            "note_public": event.enterprise_reads_note,
            "note": event.note_for_enterprise,
            "data": event.data,
        },
        "ticket": {
            "number": ticket.number,
            "title": ticket.title,
            "status": ticket.status,
            "outcome": ticket.outcome,
            "enterprise": ticket.enterprise.uscc,
            "category": ticket.category.code,
            "acceptance_due": ticket.acceptance_due.isoformat(),
            "completion_due": ticket.completion_due.isoformat() if ticket.completion_due else None,
        },
    }
