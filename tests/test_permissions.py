"""Who sees what and who may do what, walked over every page and every persona.

A ticket a persona may not see answers 404, exactly like a ticket that does not exist; a
ticket it may see but not act on answers 403. Nothing changes on either.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Delivery, Notification
from tests.conftest import PERSONAS
from tickets.models import Action, Status, Ticket, TicketEvent
from tickets.services import ticket_transition

from .files import PDF_BYTES


def client_for(client, world, persona):
    user = world.personas()[persona]
    if user is not None:
        client.force_login(user)
    return client


def expect(row: str, persona: str) -> int:
    """Expected status codes, one row per check, in the order of PERSONAS."""
    codes = dict(zip(PERSONAS, ROWS[row], strict=True))
    return codes[persona]


# `leader` is the enterprise's primary covering leader (包保领导), so it may accept its problems;
# `district_leader` leads the other district, so the enterprise's tickets do not exist for it.
ROWS = {
    #                  anon ent  ent2 off  unrel coord offc lead dlead
    "home": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "queue": (302, 302, 302, 200, 200, 200, 200, 200, 200),
    "mine": (302, 200, 200, 302, 302, 302, 302, 302, 302),
    "create": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "covered": (302, 403, 403, 200, 200, 200, 200, 200, 200),
    "detail": (302, 200, 404, 200, 404, 200, 200, 200, 404),
    "attachment": (302, 200, 404, 200, 404, 200, 200, 200, 404),
    "resolve": (302, 403, 404, 302, 404, 302, 302, 403, 404),
    "accept_new": (302, 403, 404, 302, 404, 404, 302, 302, 404),
    "rate": (302, 302, 404, 403, 404, 403, 403, 403, 404),
    "notifications": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "admin": (302, 302, 302, 302, 302, 302, 200, 302, 302),
    "score_weights": (302, 403, 403, 403, 403, 403, 200, 200, 200),
    "score_weights_save": (302, 403, 403, 403, 403, 403, 302, 403, 403),
}


@pytest.fixture
def ticket(world, make_ticket) -> Ticket:
    """In progress: transferred to `department`, assigned to `official`, with an attachment."""
    ticket = make_ticket(Status.IN_PROGRESS)
    return ticket_transition(
        ticket=ticket,
        actor=world.enterprise_user,
        action=Action.ADD_INFO,
        note="补充用电负荷测算表",
        attachments=[SimpleUploadedFile("负荷.pdf", PDF_BYTES)],
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "row,url_name",
    [
        ("home", "home"),
        ("queue", "tickets:queue"),
        ("mine", "tickets:mine"),
        ("create", "tickets:create"),
        ("covered", "enterprises:covered"),
        ("notifications", "notifications:inbox"),
        ("admin", "admin:index"),
        ("score_weights", "reports:score_weights"),
    ],
)
def test_pages_answer_each_persona(client, world, persona, row, url_name):
    if row == "admin":
        world.office.is_staff = True
        world.office.save()
    response = client_for(client, world, persona).get(reverse(url_name))
    assert response.status_code == expect(row, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_sets_the_score_weights(client, world, persona):
    from reports.models import ScoreWeights

    form = {"on_time_acceptance": 0, "resolution": 100, "on_time_completion": 0}
    form |= {"satisfaction": 0, "returns": 0, "rework": 0, "min_tickets": 9}
    response = client_for(client, world, persona).post(reverse("reports:score_weights"), form)
    assert response.status_code == expect("score_weights_save", persona)
    saved = ScoreWeights.objects.filter(resolution=100, min_tickets=9).exists()
    assert saved == (persona == "office")


@pytest.mark.parametrize("persona", PERSONAS)
def test_ticket_page_is_not_found_for_those_who_may_not_see_it(client, world, ticket, persona):
    response = client_for(client, world, persona).get(ticket.get_absolute_url())
    assert response.status_code == expect("detail", persona)
    if response.status_code == 404:
        missing = client.get(reverse("tickets:detail", args=["ZQ-2026-999999"]))
        assert missing.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachment_is_served_only_to_those_who_see_the_ticket(client, world, ticket, persona):
    attachment = ticket.attachments.get()
    response = client_for(client, world, persona).get(
        reverse("tickets:attachment", args=[attachment.pk])
    )
    assert response.status_code == expect("attachment", persona)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachment_opens_in_the_browser_only_for_those_who_see_the_ticket(
    client, world, ticket, persona
):
    attachment = ticket.attachments.get()
    response = client_for(client, world, persona).get(
        reverse("tickets:attachment_view", args=[attachment.pk])
    )
    assert response.status_code == expect("attachment", persona)
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("inline")
        assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("persona", PERSONAS)
def test_resolving_is_for_the_assignee_its_coordinator_and_the_office(
    client, world, ticket, persona
):
    response = client_for(client, world, persona).post(
        reverse("tickets:act", args=[ticket.number, "resolve"]),
        {"resolve-outcome": "solved", "resolve-resolution": "已完成扩容"},
    )
    assert response.status_code == expect("resolve", persona)
    ticket.refresh_from_db()
    resolved = response.status_code == 302 and persona != "anonymous"
    assert ticket.status == (Status.RESOLVED if resolved else Status.IN_PROGRESS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepting_is_for_the_office_and_the_covering_official(client, world, make_ticket, persona):
    ticket = make_ticket(Status.SUBMITTED)
    response = client_for(client, world, persona).post(
        reverse("tickets:act", args=[ticket.number, "accept"]), {"accept-note": ""}
    )
    assert response.status_code == expect("accept_new", persona)
    ticket.refresh_from_db()
    accepted = response.status_code == 302 and persona != "anonymous"
    assert ticket.status == (Status.ACCEPTED if accepted else Status.SUBMITTED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_enterprise_rates(client, world, make_ticket, persona):
    ticket = make_ticket(Status.RESOLVED)
    response = client_for(client, world, persona).post(
        reverse("tickets:act", args=[ticket.number, "rate"]), {"rate-rating": "satisfied"}
    )
    assert response.status_code == expect("rate", persona)
    ticket.refresh_from_db()
    rated = response.status_code == 302 and persona == "enterprise_user"
    assert ticket.status == (Status.CLOSED if rated else Status.RESOLVED)


def test_an_official_may_not_act_on_a_ticket_assigned_to_someone_else(client, world, make_ticket):
    from tests.factories import OfficialFactory, UserFactory

    colleague = OfficialFactory(
        user=UserFactory(username="colleague"), department=world.department
    ).user
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket, actor=world.coordinator, action=Action.ASSIGN, assignee=colleague
    )
    client.force_login(world.official)  # covers the enterprise, so sees the ticket
    assert client.get(ticket.get_absolute_url()).status_code == 200
    for action, data in [
        ("resolve", {"resolve-outcome": "solved", "resolve-resolution": "x"}),
        ("progress", {"progress-note": "x"}),
        ("request_extension", {"request_extension-days": "3", "request_extension-note": "x"}),
    ]:
        response = client.post(reverse("tickets:act", args=[ticket.number, action]), data)
        assert response.status_code == 403, action
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.events.count() == 5  # submit, accept, transfer, assign, assign


def test_an_unknown_action_is_refused(client, world, ticket):
    client.force_login(world.office)
    response = client.post(reverse("tickets:act", args=[ticket.number, "delete"]))
    assert response.status_code == 403


def rows_of(ticket: Ticket) -> dict[str, list[dict]]:
    """The rows a move on this ticket may write: the ticket, its events, notifications and
    their deliveries."""
    return {
        "ticket": list(Ticket.objects.filter(pk=ticket.pk).values()),
        "events": list(TicketEvent.objects.filter(ticket=ticket).order_by("pk").values()),
        "notifications": list(Notification.objects.order_by("pk").values()),
        "deliveries": list(Delivery.objects.order_by("pk").values()),
    }


def test_a_refused_move_is_shown_on_the_page_and_changes_nothing(client, world, make_ticket):
    ticket = make_ticket(Status.CLOSED)
    before = rows_of(ticket)
    client.force_login(world.office)
    response = client.post(
        reverse("tickets:act", args=[ticket.number, "close"]), {"close-note": ""}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("已销号" in m or "Closed" in m for m in messages), messages
    assert rows_of(ticket) == before


def test_the_enterprise_timeline_hides_internal_events(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.PROGRESS,
        note="内部：等待局长签批",
        public=False,
    )
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.PROGRESS,
        note="已联系供电公司现场勘查",
        public=True,
    )
    client.force_login(world.enterprise_user)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "已联系供电公司现场勘查" in page
    assert "等待局长签批" not in page
    client.force_login(world.official)
    assert "等待局长签批" in client.get(ticket.get_absolute_url()).content.decode()


def test_bureau_leaders_of_departments_read_no_reports_and_see_only_what_they_cover(
    client, world, make_ticket
):
    from enterprises.selectors import report_scope
    from tests.factories import OfficialFactory, UserFactory

    bureau = OfficialFactory(
        user=UserFactory(username="bureau"), level="bureau_leader", department=world.department
    ).user
    ticket = make_ticket(Status.SUBMITTED)
    assert report_scope(bureau) is None
    assert report_scope(world.district_leader).district_id == world.other_district.pk
    assert report_scope(world.leader).is_city
    client.force_login(bureau)
    assert client.get(ticket.get_absolute_url()).status_code == 404
