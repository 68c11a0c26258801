"""The life of a ticket as one table: action → (from which statuses, by which roles, to what).

`tickets.services.ticket_transition` is the only reader of this table; the web pages, the API
and Open311 all go through it, so none of them has a rule of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Official
from enterprises.selectors import (
    covers,
    district_readers,
    integration_of,
    is_office,
    member_of,
    official_of,
)
from workdays.calendar import WorkCalendar

from .models import Action, Status, Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise


class Role(StrEnum):
    """How a user stands to one ticket. One user may hold several roles at once."""

    ENTERPRISE = "enterprise"  # a user of the ticket's enterprise
    OFFICE = "office"  # the campaign office (领导小组办公室)
    COVERING = "covering"  # an official covering the ticket's enterprise (包保)
    ASSIGNEE = "assignee"  # the official the ticket is assigned to (承办人)
    COORDINATOR = "coordinator"  # the coordinator of the ticket's lead department
    LEADER = "leader"  # a leader ranked above whoever asked for an extension
    HOLDER = "holder"  # the official a ticket was escalated to (提级), who may send it on
    INTEGRATION = "integration"  # another system filing problems (12345 hotline, Open311)
    SYSTEM = "system"  # the periodic jobs (overdue, auto-close)


class TransitionError(Exception):
    """A refused action. `code` is "forbidden" (not this user's to do) or "invalid_transition"
    (not possible now); nothing has been written when it is raised."""

    def __init__(self, message: str, *, code: str = "invalid_transition") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


@dataclass(frozen=True)
class Move:
    sources: frozenset[Status]
    roles: frozenset[Role]
    target: Status | None  # None: the status stays, or the action's effect decides (rate, merge)


def _move(sources: Iterable[Status], roles: Iterable[Role], target: Status | None = None) -> Move:
    return Move(frozenset(sources), frozenset(roles), target)


S = Status
R = Role
Level = Official.Level
WORKING = {S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}
LIVE = {S.SUBMITTED, *WORKING}

TRANSITIONS: dict[Action, Move] = {
    Action.SUBMIT: _move((), {R.ENTERPRISE, R.OFFICE, R.COVERING, R.INTEGRATION}, S.SUBMITTED),
    Action.ACCEPT: _move({S.SUBMITTED}, {R.OFFICE, R.COVERING}, S.ACCEPTED),
    Action.REJECT: _move({S.SUBMITTED}, {R.OFFICE, R.COVERING}, S.REJECTED),
    Action.ASSIGN: _move(WORKING, {R.OFFICE, R.COORDINATOR}, S.IN_PROGRESS),
    Action.TRANSFER: _move(WORKING, {R.OFFICE}, S.IN_PROGRESS),
    Action.RETURN: _move({S.IN_PROGRESS, S.REOPENED}, {R.COORDINATOR, R.ASSIGNEE}, S.ACCEPTED),
    Action.MERGE: _move(LIVE, {R.OFFICE}),
    Action.PROGRESS: _move(WORKING, {R.ASSIGNEE, R.COORDINATOR, R.OFFICE}, S.IN_PROGRESS),
    Action.ADD_INFO: _move({*LIVE, S.RESOLVED}, {R.ENTERPRISE, R.OFFICE}),
    Action.REQUEST_EXTENSION: _move(WORKING, {R.ASSIGNEE, R.COORDINATOR}),
    Action.APPROVE_EXTENSION: _move(WORKING, {R.LEADER}),
    Action.DENY_EXTENSION: _move(WORKING, {R.LEADER}),
    Action.ESCALATE: _move(
        WORKING, {R.ASSIGNEE, R.COVERING, R.HOLDER, R.COORDINATOR, R.OFFICE, R.SYSTEM}
    ),
    Action.SUPERVISE: _move(LIVE, {R.OFFICE, R.SYSTEM}),
    Action.RESOLVE: _move(WORKING, {R.ASSIGNEE, R.COORDINATOR, R.OFFICE}, S.RESOLVED),
    Action.RATE: _move({S.RESOLVED}, {R.ENTERPRISE}),
    Action.REOPEN: _move({S.RESOLVED}, {R.ENTERPRISE}, S.REOPENED),
    Action.CLOSE: _move({S.RESOLVED}, {R.OFFICE, R.SYSTEM}, S.CLOSED),
    # 催办: a reminder to whoever holds the ticket; the system sends one when a deadline passes.
    Action.REMIND: _move(LIVE, {R.OFFICE, R.SYSTEM}),
    # 回访: the call back to the enterprise at the end of a rework ordered by a bad rating.
    Action.FOLLOW_UP: _move({*WORKING, S.RESOLVED, S.CLOSED}, {R.OFFICE, R.COVERING}),
    # 催办 by the enterprise: once its problem is late for acceptance or completion, at most
    # once a working day (precondition_error); it reaches whoever holds the ticket.
    Action.URGE: _move(LIVE, {R.ENTERPRISE}),
}


# Who reads what an action writes. The EVENT (that it happened, with the names of the
# department or official it went to) and its NOTE are two things: the enterprise sees an event
# when its action is in PUBLIC_EVENTS (or when its note is marked for the enterprise), and reads
# the note only when the note is for the enterprise as well (TicketEvent.note_public). The rule,
# once, for every place the enterprise can reach (its timeline on the page and in the API,
# Open311's status_notes, e-mail and the bell, webhooks and group robots, attachments):
#
#   ENTERPRISE  addressed to the enterprise by nature: its own words (the problem as filed,
#               information it adds, why it reopens, its rating), the reason for a rejection,
#               and the resolution with whatever comes with it;
#   CHOICE      between officials unless its author ticks "let the enterprise read this note":
#               the instructions that come with accepting, routing, merging, closing, a
#               progress report (whose event itself is shown only when its note is), and the
#               reason an extension was approved (the approval itself and its new date are
#               shown: the enterprise must know when to expect its answer);
#   INTERNAL    between officials, always: returns, extension requests and denials,
#               escalation, supervision (the enterprise sees that the office chases its
#               problem, not the office's words), reminders and the follow-up call's record.
class NoteAudience(StrEnum):
    ENTERPRISE = "enterprise"
    CHOICE = "choice"
    INTERNAL = "internal"


A = NoteAudience
NOTE_AUDIENCE: dict[Action, NoteAudience] = {
    Action.SUBMIT: A.ENTERPRISE,
    Action.ACCEPT: A.CHOICE,
    Action.REJECT: A.ENTERPRISE,
    Action.ASSIGN: A.CHOICE,
    Action.TRANSFER: A.CHOICE,
    Action.RETURN: A.INTERNAL,
    Action.MERGE: A.CHOICE,
    Action.PROGRESS: A.CHOICE,
    Action.ADD_INFO: A.ENTERPRISE,
    Action.REQUEST_EXTENSION: A.INTERNAL,
    Action.APPROVE_EXTENSION: A.CHOICE,
    Action.DENY_EXTENSION: A.INTERNAL,
    Action.ESCALATE: A.INTERNAL,
    Action.SUPERVISE: A.INTERNAL,
    Action.RESOLVE: A.ENTERPRISE,
    Action.RATE: A.ENTERPRISE,
    Action.REOPEN: A.ENTERPRISE,
    Action.CLOSE: A.CHOICE,
    Action.REMIND: A.INTERNAL,
    Action.FOLLOW_UP: A.INTERNAL,
    Action.URGE: A.ENTERPRISE,
}
assert set(NOTE_AUDIENCE) == set(TRANSITIONS), "every action says who reads its note"

# Actions whose event (the fact, without its note unless NOTE_AUDIENCE lets it) the enterprise
# sees on its timeline.
PUBLIC_EVENTS = frozenset(
    {
        Action.SUBMIT,
        Action.ACCEPT,
        Action.REJECT,
        Action.ASSIGN,
        Action.TRANSFER,
        Action.MERGE,
        Action.ADD_INFO,
        Action.RESOLVE,
        Action.RATE,
        Action.REOPEN,
        Action.CLOSE,
        Action.APPROVE_EXTENSION,  # the new completion date
        Action.SUPERVISE,  # the office chases the problem
        Action.URGE,
    }
)


def visibility(action: Action, *, note_for_enterprise: bool = False) -> tuple[bool, bool]:
    """(event public, note public) for an event of `action` whose author did (or did not) mark
    its note for the enterprise; the mark counts only where NOTE_AUDIENCE lets the author
    choose (tickets.services refuses it on a note that is always internal)."""
    audience = NOTE_AUDIENCE[action]
    note_public = audience == NoteAudience.ENTERPRISE or (
        audience == NoteAudience.CHOICE and note_for_enterprise
    )
    return action in PUBLIC_EVENTS or note_public, note_public


def roles_for_enterprise(user: AbstractBaseUser | None, enterprise_id: int) -> set[Role]:
    """Roles that depend only on the enterprise (enough to decide who may submit)."""
    if user is None:
        return {Role.SYSTEM}
    roles: set[Role] = set()
    if integration_of(user) is not None:
        roles.add(Role.INTEGRATION)
    member = member_of(user)
    if member is not None and member.enterprise_id == enterprise_id:
        roles.add(Role.ENTERPRISE)
    if is_office(user):
        roles.add(Role.OFFICE)
    official = official_of(user)
    if official is not None and covers(official, enterprise_id):
        roles.add(Role.COVERING)
    return roles


def roles_for(user: AbstractBaseUser | None, ticket: Ticket) -> set[Role]:
    """Every role `user` holds towards `ticket` (the system, when `user` is None)."""
    roles = roles_for_enterprise(user, ticket.enterprise_id)
    if user is None:
        return roles
    official = official_of(user)
    if ticket.assignee_id is not None and ticket.assignee_id == user.pk:
        roles.add(Role.ASSIGNEE)
    if ticket.escalated_to_id is not None and ticket.escalated_to_id == user.pk:
        roles.add(Role.HOLDER)
    if official is None:
        return roles
    if (
        official.is_coordinator
        and ticket.lead_department_id is not None
        and official.department_id == ticket.lead_department_id
    ):
        roles.add(Role.COORDINATOR)
    if official.is_leader and extension_approvers(ticket).filter(pk=user.pk).exists():
        roles.add(Role.LEADER)
    return roles


def extension_approvers(ticket: Ticket) -> QuerySet[User]:
    """The leaders who may decide on `ticket`'s extension (DOMAIN: "approved by a leader of a
    higher level"): ranked above the official who asked, and either reading the reports of the
    enterprise's district (enterprises.selectors.district_readers, the rule of report_scope) or
    covering the enterprise.
    The same query decides who may approve and who is told that a request waits."""
    requester = (
        official_of(ticket.extension_requested_by) if ticket.extension_requested_by_id else None
    )
    floor = requester.rank if requester is not None else Official.LEVEL_RANK[Level.DIVISION]
    above = [level for level, rank in Official.LEVEL_RANK.items() if rank > floor]
    reads_its_reports = district_readers(ticket.enterprise.district_id)
    covers_it = Q(official__coverages__enterprise_id=ticket.enterprise_id)
    return (
        get_user_model()
        .objects.filter(is_active=True, official__level__in=above)
        .filter(reads_its_reports | covers_it)
        .distinct()
    )


def allowed_actions(user: AbstractBaseUser | None, ticket: Ticket) -> list[Action]:
    """What `user` may do to `ticket` now, in the table's order (for showing the forms)."""
    roles = roles_for(user, ticket)
    if ticket.merged_into_id is not None:
        return []
    return [
        action
        for action, move in TRANSITIONS.items()
        if action != Action.SUBMIT
        and ticket.status in move.sources
        and roles & move.roles
        and precondition_error(ticket, action) is None
    ]


def precondition_error(ticket: Ticket, action: Action) -> StrOrPromise | None:
    """Why `action` is impossible on `ticket` beyond its status, or None."""
    pending = ticket.extension_days is not None
    if action == Action.REQUEST_EXTENSION and pending:
        return _("An extension request is already waiting for a leader's decision.")
    if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION) and not pending:
        return _("There is no extension request to decide on.")
    if action == Action.SUPERVISE and ticket.supervised:
        return _("This ticket is already under supervision.")
    if action == Action.ESCALATE and ticket.escalation_level >= 3:
        return _("This ticket is already on the joint meeting's agenda; it cannot go higher.")
    if action == Action.RETURN and ticket.lead_department_id is None and ticket.assignee_id is None:
        return _("This ticket has not been routed to anybody, so there is nothing to return.")
    if action == Action.FOLLOW_UP and (ticket.follow_up_due is None or ticket.followed_up_at):
        return _("No follow-up call is waiting: one follows only the rework after a bad rating.")
    if action == Action.URGE:
        return urge_error(ticket)
    return None


def urge_error(ticket: Ticket, now: dt.datetime | None = None) -> str | None:
    """Why the enterprise may not urge `ticket` now, or None: only past the deadline it runs
    against (acceptance, or completion while it is worked), and once a working day (an urge
    on a Saturday counts for the Monday after it)."""
    now = now or timezone.now()
    due: dt.datetime | None
    if ticket.status == Status.SUBMITTED:
        due = ticket.acceptance_due
    else:  # worked (the first-progress clock is the officials' own, not the enterprise's)
        due = ticket.completion_due if ticket.status in WORKING else None
    if due is None or due >= now:
        return str(
            _("You can urge a problem once its deadline has passed; it is still within its time.")
        )
    if ticket.urged_at is not None:
        calendar = WorkCalendar.current()
        last, today = timezone.localdate(ticket.urged_at), timezone.localdate(now)
        if calendar.working_days_between(last, today) == 0:
            return str(
                _("You urged this problem already; you can urge it again the next working day.")
            )
    return None
