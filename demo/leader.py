"""What waits for the demo leader (李建国) when it logs in: an extension request to decide and a
problem of a 百亿级 enterprise it covers, escalated to it (its 待我处理, above its dashboard)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tickets.models import Action, EscalationLevel, Status, Ticket
from tickets.services import ticket_transition

User = get_user_model()


def seed_leader_waiting() -> int:
    """Ask for one extension and make one escalation to `leader`; answers how many were made."""
    leader = User.objects.filter(username="leader").first()
    if leader is None or Ticket.objects.filter(escalated_to=leader).exists():
        return 0
    working = Ticket.objects.filter(
        status=Status.IN_PROGRESS,
        merged_into__isnull=True,
        assignee__isnull=False,
        extension_days__isnull=True,
        escalation_level__lt=EscalationLevel.JOINT_MEETING,
    ).order_by("submitted_at", "pk")
    made = 0
    escalated = working.filter(
        enterprise__revenue_tier="a",
        enterprise__coverages__official__user=leader,
        escalation_level__lt=EscalationLevel.CITY,
    ).first()
    if escalated is not None:  # from bureau level to its covering city leader, 李建国
        escalated = ticket_transition(
            ticket=escalated,
            actor=escalated.assignee,
            action=Action.ESCALATE,
            note="涉及多个部门，需市领导协调。",
        )
        made += escalated.escalated_to_id == leader.pk
    if escalated is not None:
        working = working.exclude(pk=escalated.pk)
    extended = working.first()
    if extended is not None:
        ticket_transition(
            ticket=extended,
            actor=extended.assignee,
            action=Action.REQUEST_EXTENSION,
            days=10,
            note="设备需从外地调运，预计下月到货，申请延期十个工作日。",
        )
        made += 1
    return made
