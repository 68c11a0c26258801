"""Every allowed move works and writes one event; every other move is refused and writes nothing.

The expectations here are written out from docs/domain.md by hand, not read from tickets.workflow,
so that a wrong entry in the table fails a test.
"""

import pytest

from tickets.models import Action, Status, Ticket, TicketEvent
from tickets.services import ticket_transition
from tickets.workflow import TransitionError

S = Status
WORKING = {S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}

# action → (who tries it, with what, from which statuses it must work, the status it leads to)
CASES = {
    Action.ACCEPT: ("office", {}, {S.SUBMITTED}, S.ACCEPTED),
    Action.REJECT: (
        "office",
        {"reason": "duplicate", "note": "重复反映"},
        {S.SUBMITTED},
        S.REJECTED,
    ),
    Action.ASSIGN: ("office", {"assignee": "official"}, WORKING, S.IN_PROGRESS),
    Action.TRANSFER: ("office", {"department": "other_department"}, WORKING, S.IN_PROGRESS),
    Action.RETURN: (
        "official",
        {"note": "不是本部门职责"},
        {S.IN_PROGRESS, S.REOPENED},
        S.ACCEPTED,
    ),
    Action.MERGE: ("office", {"into": "main_ticket"}, {S.SUBMITTED, *WORKING}, S.ACCEPTED),
    Action.PROGRESS: ("office", {"note": "已对接供电公司"}, WORKING, S.IN_PROGRESS),
    Action.ADD_INFO: (
        "enterprise_user",
        {"note": "补充材料"},
        {S.SUBMITTED, *WORKING, S.RESOLVED},
        None,
    ),
    Action.REQUEST_EXTENSION: (
        "official",
        {"days": 5, "note": "需要等待设备到货"},
        {S.IN_PROGRESS, S.REOPENED},
        None,
    ),
    Action.ESCALATE: ("office", {"note": "需要市级领导协调"}, WORKING, None),
    Action.SUPERVISE: ("office", {}, {S.SUBMITTED, *WORKING}, None),
    Action.RESOLVE: ("office", {"outcome": "solved", "resolution": "已扩容"}, WORKING, S.RESOLVED),
    Action.RATE: ("enterprise_user", {"rating": "satisfied"}, {S.RESOLVED}, S.CLOSED),
    Action.REOPEN: ("enterprise_user", {"note": "仍未解决"}, {S.RESOLVED}, S.REOPENED),
    Action.CLOSE: ("office", {}, {S.RESOLVED}, S.CLOSED),
    Action.REMIND: ("office", {"note": "请抓紧办理"}, {S.SUBMITTED, *WORKING}, None),
}
# Tested where their preconditions are set up: an extension request waiting for a leader
# (below), a follow-up call after a bad rating (test_deadlines.py), and an urge of a problem
# past its deadline (test_urge.py).
ELSEWHERE = {Action.APPROVE_EXTENSION, Action.DENY_EXTENSION, Action.FOLLOW_UP, Action.URGE}


def test_every_action_of_the_domain_is_covered_here():
    assert set(CASES) | {Action.SUBMIT} | ELSEWHERE == set(Action)


def _params(world, params, make_ticket):
    resolved = {}
    for name, value in params.items():
        if value == "main_ticket":
            resolved[name] = make_ticket(S.ACCEPTED, title="同一问题的另一张单")
        elif isinstance(value, str) and hasattr(world, value):
            resolved[name] = getattr(world, value)
        else:
            resolved[name] = value
    return resolved


def _snapshot(ticket: Ticket) -> dict:
    ticket.refresh_from_db()
    return {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(CASES))
def test_action_from_status_is_allowed_exactly_as_the_domain_says(
    world, make_ticket, action, status
):
    persona, params, allowed_from, target = CASES[action]
    ticket = make_ticket(status)
    params = _params(world, params, make_ticket)
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    before = _snapshot(ticket)

    if status in allowed_from:
        ticket_transition(ticket=ticket, actor=getattr(world, persona), action=action, **params)
        ticket.refresh_from_db()
        assert ticket.status == (target or status)
        events = TicketEvent.objects.filter(ticket=ticket).order_by("id")
        assert events.count() == events_before + 1
        last = events.last()
        assert (last.action, last.from_status, last.to_status) == (action, status, ticket.status)
        assert last.actor == getattr(world, persona)
    else:
        with pytest.raises(TransitionError):
            ticket_transition(ticket=ticket, actor=getattr(world, persona), action=action, **params)
        assert TicketEvent.objects.filter(ticket=ticket).count() == events_before
        assert _snapshot(ticket) == before


def test_refusal_names_the_action_and_the_status(world, make_ticket):
    ticket = make_ticket(S.SUBMITTED)
    with pytest.raises(TransitionError) as refused:
        ticket_transition(
            ticket=ticket,
            actor=world.office,
            action=Action.RESOLVE,
            outcome="solved",
            resolution="已解决",
        )
    assert refused.value.code == "invalid_transition"
    assert "Submitted" in refused.value.message or "待受理" in refused.value.message


def test_accepting_twice_is_refused_and_keeps_the_first_acceptance(world, make_ticket):
    ticket = make_ticket(S.ACCEPTED)
    first = ticket.accepted_at
    with pytest.raises(TransitionError):
        ticket_transition(ticket=ticket, actor=world.office, action=Action.ACCEPT)
    ticket.refresh_from_db()
    assert ticket.accepted_at == first
    assert ticket.events.filter(action=Action.ACCEPT).count() == 1


def test_a_bad_rating_reopens_the_ticket_for_fifteen_working_days_of_rework(world, make_ticket):
    ticket = make_ticket(S.RESOLVED)
    ticket = ticket_transition(
        ticket=ticket, actor=world.enterprise_user, action=Action.RATE, rating="very_unsatisfied"
    )
    assert ticket.status == S.REOPENED
    assert ticket.outcome == ""
    assert ticket.resolved_at is None
    assert ticket.events.last().data["rework_days"] == 15


def test_an_extension_is_approved_by_a_higher_leader_and_moves_the_deadline(world, make_ticket):
    ticket = make_ticket(S.IN_PROGRESS)
    due = ticket.completion_due
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.REQUEST_EXTENSION,
        days=5,
        note="设备到货需要时间",
    )
    with pytest.raises(TransitionError) as refused:
        ticket_transition(ticket=ticket, actor=world.official, action=Action.APPROVE_EXTENSION)
    assert refused.value.code == "forbidden"
    ticket = ticket_transition(ticket=ticket, actor=world.leader, action=Action.APPROVE_EXTENSION)
    assert ticket.completion_due > due
    assert ticket.extension_days is None
    assert ticket.events.last().action == Action.APPROVE_EXTENSION


def test_approving_without_a_request_is_refused(world, make_ticket):
    ticket = make_ticket(S.IN_PROGRESS)
    with pytest.raises(TransitionError) as refused:
        ticket_transition(ticket=ticket, actor=world.leader, action=Action.APPROVE_EXTENSION)
    assert refused.value.code in ("invalid_transition", "forbidden")


def test_merging_into_a_ticket_not_yet_accepted_is_refused(world, make_ticket):
    from django.core.exceptions import ValidationError

    main = make_ticket(S.SUBMITTED, title="主单")
    duplicate = make_ticket(S.SUBMITTED, title="重复单")
    with pytest.raises(ValidationError) as refused:
        ticket_transition(ticket=duplicate, actor=world.office, action=Action.MERGE, into=main)
    assert "into" in refused.value.message_dict
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_a_pending_extension_dies_when_the_ticket_is_resolved(world, make_ticket):
    ticket = make_ticket(S.IN_PROGRESS)
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.REQUEST_EXTENSION,
        days=10,
        note="等待设备",
    )
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="已解决",
    )
    assert ticket.extension_days is None
    ticket = ticket_transition(
        ticket=ticket, actor=world.enterprise_user, action=Action.REOPEN, note="仍未解决"
    )
    with pytest.raises(TransitionError):
        ticket_transition(ticket=ticket, actor=world.leader, action=Action.APPROVE_EXTENSION)


def test_a_merged_duplicate_follows_its_main_ticket(world, make_ticket):
    main = make_ticket(S.IN_PROGRESS, title="主单")
    duplicate = make_ticket(S.SUBMITTED, title="重复单")
    ticket_transition(ticket=duplicate, actor=world.office, action=Action.MERGE, into=main)
    duplicate.refresh_from_db()
    assert duplicate.status == S.IN_PROGRESS
    ticket_transition(
        ticket=main,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="已解决",
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.outcome) == (S.RESOLVED, "solved")
    with pytest.raises(TransitionError):
        ticket_transition(
            ticket=duplicate, actor=world.enterprise_user, action=Action.REOPEN, note="x"
        )
