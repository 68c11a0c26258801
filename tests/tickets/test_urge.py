"""催办 (issue 11, item 3): an enterprise may urge its problem once the deadline it runs against
(acceptance, or completion while it is worked) has passed, at most once a working day. The urge
is an action of the ticket's table (tickets.workflow), so the page, the API and any other door
apply the same rule; a refusal says why and writes nothing. Whoever holds the ticket hears."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from tickets.models import Action, Status, TicketEvent
from tickets.services import ticket_transition
from tickets.workflow import TransitionError, allowed_actions

LONG_AGO = timezone.now() - dt.timedelta(days=20)


@pytest.fixture
def late(make_ticket):
    """A problem filed 20 days ago and never accepted: late for acceptance."""
    return make_ticket(at=LONG_AGO)


def urge(ticket, user, **kwargs):
    return ticket_transition(ticket=ticket, actor=user, action=Action.URGE, **kwargs)


def test_the_enterprise_urges_a_problem_late_for_acceptance(world, late):
    ticket = urge(late, world.enterprise_user, note="请尽快受理")
    event = ticket.events.last()
    assert (event.action, event.public, event.note_public) == (Action.URGE, True, True)
    assert event.data["clock"] == "acceptance"
    assert ticket.urged_at is not None and ticket.status == Status.SUBMITTED


def test_the_urge_reaches_whoever_holds_the_ticket(world, late, make_ticket):
    # Not routed yet: the officials covering the enterprise hold it.
    urge(late, world.enterprise_user)
    heard = set(Notification.objects.filter(kind=Kind.URGED).values_list("recipient", flat=True))
    assert heard == {world.official.pk, world.leader.pk}
    # Assigned: the assignee, and nobody else.
    Notification.objects.all().delete()
    worked = make_ticket(Status.IN_PROGRESS)
    worked.completion_due = timezone.now() - dt.timedelta(days=1)
    worked.save(update_fields=["completion_due"])
    urge(worked, world.enterprise_user)
    urged = Notification.objects.filter(kind=Kind.URGED)
    assert [n.recipient for n in urged] == [world.official]
    assert "企业催办" in urged.get().message


def test_a_problem_within_its_time_cannot_be_urged_and_nothing_is_written(world, make_ticket):
    ticket = make_ticket()
    events = TicketEvent.objects.count()
    with pytest.raises(TransitionError, match="超过办理时限后才能催办"):
        urge(ticket, world.enterprise_user)
    ticket.refresh_from_db()
    assert ticket.urged_at is None and TicketEvent.objects.count() == events
    assert Action.URGE not in allowed_actions(world.enterprise_user, ticket)


def test_a_worked_problem_can_be_urged_once_past_its_completion_deadline(world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    with pytest.raises(TransitionError):
        urge(ticket, world.enterprise_user)
    ticket.completion_due = timezone.now() - dt.timedelta(hours=1)
    ticket.save(update_fields=["completion_due"])
    assert urge(ticket, world.enterprise_user).events.last().data["clock"] == "completion"


def test_once_a_working_day(world, late):
    urge(late, world.enterprise_user)
    events = TicketEvent.objects.count()
    with pytest.raises(TransitionError, match="下一个工作日可再次催办"):
        urge(late, world.enterprise_user)
    assert TicketEvent.objects.count() == events
    assert Action.URGE not in allowed_actions(world.enterprise_user, late)


def test_an_urge_of_an_earlier_working_day_allows_another(world, late):
    urge(late, world.enterprise_user, at=timezone.now() - dt.timedelta(days=8))
    assert Action.URGE in allowed_actions(world.enterprise_user, late)
    urge(late, world.enterprise_user)
    assert late.events.filter(action=Action.URGE).count() == 2


@pytest.mark.parametrize("persona", ["office", "official", "coordinator", "leader"])
def test_only_the_enterprise_urges(world, late, persona):
    with pytest.raises(TransitionError) as refused:
        urge(late, getattr(world, persona))
    assert refused.value.code == "forbidden"


def test_a_closed_or_rejected_problem_cannot_be_urged(world, make_ticket):
    for status in (Status.CLOSED, Status.REJECTED, Status.RESOLVED):
        ticket = make_ticket(status, at=LONG_AGO)
        with pytest.raises(TransitionError):
            urge(ticket, world.enterprise_user)


def test_the_ticket_page_offers_the_urge_as_the_action_of_the_moment(client, world, late):
    client.force_login(world.enterprise_user)
    html = client.get(late.get_absolute_url()).content.decode()
    action_now = html[html.index('data-testid="action-now"') :]
    assert 'id="action-urge"' in html[html.index('data-testid="action-now"') - 200 :]
    assert "催办" in action_now[:2000]
    response = client.post(
        reverse("tickets:act", args=[late.number, "urge"]), {"urge-note": "请尽快受理"}
    )
    assert response.status_code == 302
    page = client.get(late.get_absolute_url()).content.decode()
    assert "已完成：催办" in page and "请尽快受理" in page
    # Twice the same day: refused on the page, with the reason, and nothing written.
    events = TicketEvent.objects.count()
    client.post(reverse("tickets:act", args=[late.number, "urge"]), {"urge-note": "再催"})
    assert TicketEvent.objects.count() == events


def test_another_enterprise_cannot_even_see_the_ticket(client, world, late):
    client.force_login(world.other_enterprise_user)
    response = client.post(reverse("tickets:act", args=[late.number, "urge"]), {})
    assert response.status_code == 404
