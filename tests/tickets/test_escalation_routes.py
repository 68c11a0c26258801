"""An escalation (提级) reaches the official covering the enterprise at the next level (包保),
or the office when nobody does; the revenue tier decides where a ticket starts and how far it
climbs before the joint meeting; the timeline names who holds it now."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.models import Coverage, Official
from meetings.selectors import escalated_tickets
from notifications.models import Kind, Notification
from tests import factories as f
from tickets.models import Action, EscalationLevel, Status
from tickets.services import ticket_transition

L = EscalationLevel


@pytest.fixture
def bureau_leader(world):
    """孙立, a bureau leader of 工信局 covering the world's enterprise beside its city leader."""
    official: Official = f.OfficialFactory(  # type: ignore[assignment]
        user=f.UserFactory(username="bureau"),
        name="孙立",
        title="工信局副局长",
        level=Official.Level.BUREAU_LEADER,
        department=world.department,
    )
    Coverage.objects.create(official=official, enterprise=world.enterprise)
    return official.user


def escalate(world, ticket, actor=None):
    return ticket_transition(
        ticket=ticket, actor=actor or world.official, action=Action.ESCALATE, note="请上级协调"
    )


def set_tier(enterprise, tier: str) -> None:
    enterprise.revenue_tier = tier
    enterprise.save(update_fields=["revenue_tier"])


def timeline(client, user, ticket) -> str:
    client.force_login(user)
    return client.get(ticket.get_absolute_url()).content.decode()


def test_a_key_enterprises_problem_escalates_to_its_covering_bureau_leader(
    client, world, make_ticket, bureau_leader
):
    ticket = make_ticket(Status.IN_PROGRESS)
    assert ticket.escalation_level == L.DIVISION  # tier b starts with the division

    ticket = escalate(world, ticket)

    assert (ticket.escalation_level, ticket.escalated_to) == (L.BUREAU, bureau_leader)
    event = ticket.events.get(action=Action.ESCALATE)
    assert event.data["to_name"] == "孙立（工信局副局长）"
    assert Notification.objects.filter(recipient=bureau_leader, kind=Kind.ESCALATED).exists()
    assert not Notification.objects.filter(recipient=world.leader, kind=Kind.ESCALATED).exists()
    assert "提级至 孙立（工信局副局长）" in timeline(client, world.office, ticket)


def test_nobody_covering_the_next_level_sends_it_to_the_office(client, world, make_ticket):
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))

    assert (ticket.escalation_level, ticket.escalated_to) == (L.BUREAU, None)
    assert Notification.objects.filter(recipient=world.office, kind=Kind.ESCALATED).exists()
    assert "无人包保，转领导小组办公室" in timeline(client, world.office, ticket)


def test_above_its_tiers_highest_level_a_problem_goes_to_the_joint_meeting(
    world, make_ticket, bureau_leader
):
    ticket = escalate(world, escalate(world, make_ticket(Status.IN_PROGRESS)))

    assert (ticket.escalation_level, ticket.escalated_to) == (L.JOINT_MEETING, None)
    assert ticket in escalated_tickets()  # on the next meeting's agenda
    assert not Notification.objects.filter(recipient=world.leader, kind=Kind.ESCALATED).exists()


def test_a_hundred_billion_enterprises_problem_starts_with_bureau_and_climbs_to_its_city_leader(
    client, world, make_ticket
):
    set_tier(world.enterprise, "a")
    ticket = make_ticket(Status.IN_PROGRESS)
    assert ticket.escalation_level == L.BUREAU

    ticket = escalate(world, ticket)

    assert (ticket.escalation_level, ticket.escalated_to) == (L.CITY, world.leader)
    assert Notification.objects.filter(recipient=world.leader, kind=Kind.ESCALATED).exists()
    assert "提级至 李建国" in timeline(client, world.office, ticket)
    assert escalate(world, ticket, world.leader).escalation_level == L.JOINT_MEETING


def test_a_small_enterprises_problem_goes_from_the_division_to_the_joint_meeting(
    world, make_ticket, bureau_leader
):
    set_tier(world.enterprise, "d")
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    assert (ticket.escalation_level, ticket.escalated_to) == (L.JOINT_MEETING, None)


def test_of_two_leaders_covering_that_level_the_longest_standing_one_holds_it(
    world, make_ticket, bureau_leader
):
    other: Official = f.OfficialFactory(  # type: ignore[assignment]
        level=Official.Level.BUREAU_LEADER, name="钱进"
    )
    Coverage.objects.create(official=other, enterprise=world.enterprise)
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    assert ticket.escalated_to == bureau_leader  # covering it longest, then by record


def test_the_primary_covering_leader_holds_it_before_a_longer_standing_liaison(
    world, make_ticket, bureau_leader
):
    primary: Official = f.OfficialFactory(  # type: ignore[assignment]
        level=Official.Level.BUREAU_LEADER, name="钱进"
    )
    # One primary covering leader per enterprise: the city leader's role passes to 钱进.
    Coverage.objects.filter(enterprise=world.enterprise).update(role=Coverage.Role.LIAISON)
    Coverage.objects.create(
        official=primary, enterprise=world.enterprise, role=Coverage.Role.PRIMARY
    )
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    assert ticket.escalated_to == primary.user  # 孙立 covers it longer, as a liaison


def test_an_inactive_leader_is_passed_over_for_the_office(world, make_ticket, bureau_leader):
    bureau_leader.is_active = False
    bureau_leader.save(update_fields=["is_active"])
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    assert (ticket.escalation_level, ticket.escalated_to) == (L.BUREAU, None)


def test_the_leader_it_was_escalated_to_sees_it_and_another_leader_does_not(
    client, world, make_ticket, bureau_leader
):
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    # The leader hands the enterprise over: the problem escalated to it stays its own.
    Coverage.objects.filter(official__user=bureau_leader).delete()
    another = f.OfficialFactory(
        level=Official.Level.BUREAU_LEADER, department=world.department
    ).user
    url = reverse("tickets:detail", args=[ticket.number])

    client.force_login(bureau_leader)
    assert client.get(url).status_code == 200
    client.force_login(another)
    assert client.get(url).status_code == 404
    # and the leader holding it may still send it on, to the joint meeting
    assert escalate(world, ticket, bureau_leader).escalation_level == L.JOINT_MEETING


def test_the_ticket_page_names_who_holds_it(client, world, make_ticket, bureau_leader):
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))
    client.force_login(world.office)
    page = client.get(ticket.get_absolute_url())
    assert "孙立（工信局副局长）" in page.content.decode()
    assert "局级领导" in page.content.decode()


def test_the_api_names_who_holds_it_to_officials_and_not_to_the_enterprise(
    world, make_ticket, bureau_leader
):
    ticket = escalate(world, make_ticket(Status.IN_PROGRESS))

    def read_as(user) -> dict:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        response = client.get(f"/api/v1/tickets/{ticket.number}/")
        assert response.status_code == 200
        return response.json()

    office = read_as(world.office)
    assert office["escalation_level"] == L.BUREAU
    assert office["escalated_to"] == {"username": "bureau", "name": "孙立"}
    enterprise = read_as(world.enterprise_user)
    assert (enterprise["escalation_level"], enterprise["escalated_to"]) == (None, None)
