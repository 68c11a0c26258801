"""待我处理: what waits on a leader, shown above its dashboard. Three lists, one query each:
extension requests it may decide on, tickets escalated to it, and overdue tickets of the
enterprises it covers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from enterprises.models import Coverage, Official
from enterprises.selectors import official_of, report_scope

from .clocks import overdue_condition
from .models import OPEN_STATUSES, Ticket

PENDING_LIMIT = 20  # rows per list; the queue's filters hold the rest


@dataclass
class Pending:
    extensions: list[Ticket] = field(default_factory=list)
    escalated: list[Ticket] = field(default_factory=list)
    overdue: list[Ticket] = field(default_factory=list)


def _open_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        status__in=sorted(OPEN_STATUSES), merged_into__isnull=True
    ).select_related("enterprise", "assignee__official", "extension_requested_by__official")


def extensions_awaiting(user: AbstractBaseUser, official: Official) -> QuerySet[Ticket]:
    """The tickets whose extension request `user` (a leader, `official`) may decide on: the rule
    of tickets.workflow.extension_approvers read from the leader's side (asked by an official
    ranked below it, for an enterprise of its report scope or one it covers)."""
    below = [level for level, rank in Official.LEVEL_RANK.items() if rank < official.rank]
    asked_from_below = Q(extension_requested_by__official__level__in=below)
    if official.is_leader:  # no official behind the request: it counts as a division's
        asked_from_below |= Q(extension_requested_by__official__isnull=True)
    tickets = _open_tickets().filter(asked_from_below, extension_days__isnull=False)
    scope = report_scope(user)
    if scope is None or not scope.is_city:
        reach: Exists | Q = Exists(
            Coverage.objects.filter(official=official, enterprise=OuterRef("enterprise_id"))
        )
        if scope is not None:
            reach |= Q(enterprise__district_id=scope.district_id)
        tickets = tickets.filter(reach)
    return tickets.order_by("completion_due", "pk")


def pending_for(user: AbstractBaseUser) -> Pending | None:
    """What waits on `user`, a leader; None for anybody else (three queries)."""
    official = official_of(user)
    if official is None or not official.is_leader or not user.is_active:
        return None
    covers = Exists(
        Coverage.objects.filter(official=official, enterprise=OuterRef("enterprise_id"))
    )
    return Pending(
        extensions=list(extensions_awaiting(user, official)[:PENDING_LIMIT]),
        escalated=list(
            _open_tickets()
            .filter(escalated_to_id=user.pk)
            .order_by("completion_due", "pk")[:PENDING_LIMIT]
        ),
        overdue=list(
            _open_tickets()
            .filter(covers, overdue_condition())
            .exclude(escalated_to_id=user.pk)  # listed above, among those escalated to it
            .order_by("completion_due", "acceptance_due", "pk")[:PENDING_LIMIT]
        ),
    )
