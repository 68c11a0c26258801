"""A duplicate follows its main ticket's answer, so it is merged only into a ticket of its own
enterprise: another enterprise's resolution must not reach it that way."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tickets.models import Action, Outcome, Status, Ticket
from tickets.services import ticket_transition


@pytest.fixture
def other_enterprises_ticket(world, make_ticket) -> Ticket:
    return make_ticket(Status.IN_PROGRESS, enterprise=world.other_enterprise, title="宽城光电停电")


def unchanged(ticket: Ticket) -> bool:
    ticket.refresh_from_db()
    return (
        ticket.merged_into_id is None
        and ticket.status == Status.SUBMITTED
        and not ticket.events.filter(action=Action.MERGE).exists()
    )


def test_a_ticket_is_not_merged_into_another_enterprise_s(
    world, make_ticket, other_enterprises_ticket
):
    duplicate = make_ticket()
    with pytest.raises(ValidationError) as refused:
        ticket_transition(
            ticket=duplicate, actor=world.office, action=Action.MERGE, into=other_enterprises_ticket
        )
    assert "另一家企业" in refused.value.message_dict["into"][0]
    assert unchanged(duplicate)
    # Its resolution stays with its own enterprise.
    ticket_transition(
        ticket=other_enterprises_ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome=Outcome.SOLVED,
        resolution="宽城光电专线已修复",
    )
    duplicate.refresh_from_db()
    assert duplicate.resolution == ""


def test_the_merge_form_says_why_it_refuses_and_changes_nothing(
    client, world, make_ticket, other_enterprises_ticket
):
    duplicate = make_ticket()
    client.force_login(world.office)
    response = client.post(
        reverse("tickets:act", args=[duplicate.number, "merge"]),
        {"merge-into": other_enterprises_ticket.number, "merge-note": "重复"},
    )
    assert response.status_code == 400
    assert "只能并入本企业的诉求" in response.content.decode()
    assert unchanged(duplicate)


def test_the_api_refuses_the_merge_with_a_400_and_changes_nothing(
    client, world, make_ticket, other_enterprises_ticket
):
    duplicate = make_ticket()
    token, _ = Token.objects.get_or_create(user=world.office)
    response = client.post(
        f"/api/v1/tickets/{duplicate.number}/merge/",
        {"into": other_enterprises_ticket.number},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 400
    assert "只能并入本企业的诉求" in response.json()["into"][0]
    assert unchanged(duplicate)


def test_a_duplicate_of_the_same_enterprise_is_still_merged(world, make_ticket):
    main = make_ticket(Status.IN_PROGRESS)
    duplicate = make_ticket()
    ticket_transition(ticket=duplicate, actor=world.office, action=Action.MERGE, into=main)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == main
