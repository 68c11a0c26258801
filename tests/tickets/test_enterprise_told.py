"""The enterprise is told what matters (issue 11, item 3): an approved extension with its new
completion date and the reason marked for it; supervision as the office chasing its problem;
the working days left on every card (tests/tickets/test_ticket_lists.py)."""

import pytest
from django.utils import formats, timezone

from notifications.models import Kind, Notification
from tickets.models import Action, Status
from tickets.selectors import timeline_for
from tickets.services import ticket_transition


@pytest.fixture
def extended(world, make_ticket):
    """An extension asked for with an internal reason, approved with a reason for the enterprise."""

    def extend(*, public: bool):
        ticket = make_ticket(Status.IN_PROGRESS)
        ticket_transition(
            ticket=ticket,
            actor=world.official,
            action=Action.REQUEST_EXTENSION,
            days=5,
            note="供电公司内部排期问题，设备下月到货",
        )
        return ticket_transition(
            ticket=ticket,
            actor=world.leader,
            action=Action.APPROVE_EXTENSION,
            note="变压器设备需厂家定制，预计下月到货后安装",
            public=public,
        )

    return extend


def test_an_approved_extension_reaches_the_enterprise_with_its_new_date_and_reason(
    client, world, extended
):
    ticket = extended(public=True)
    new_date = formats.date_format(timezone.localtime(ticket.completion_due), "DATE_FORMAT")
    client.force_login(world.enterprise_user)
    html = client.get(ticket.get_absolute_url()).content.decode()
    news = html[html.index('data-testid="extension-news"') :][:800]
    assert f"办结时限已延长至{new_date}" in news
    assert "变压器设备需厂家定制" in news
    assert "供电公司内部排期问题" not in html  # the request's own reason stays internal
    notice = Notification.objects.get(recipient=world.enterprise_user, kind=Kind.EXTENDED)
    assert timezone.localdate(ticket.completion_due).isoformat() in notice.message
    assert "变压器设备需厂家定制" in notice.message
    # The requester hears too, as before.
    assert Notification.objects.filter(recipient=world.official, kind=Kind.EXTENSION_APPROVED)


def test_an_approval_reason_not_marked_for_the_enterprise_stays_internal(client, world, extended):
    ticket = extended(public=False)
    event = [
        e for e in timeline_for(world.enterprise_user, ticket) if e.action == "approve_extension"
    ]
    assert len(event) == 1 and event[0].note == ""  # the fact and its date, not the words
    client.force_login(world.enterprise_user)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="extension-news"' in html
    assert "变压器设备需厂家定制" not in html
    notice = Notification.objects.get(recipient=world.enterprise_user, kind=Kind.EXTENDED)
    assert "变压器设备需厂家定制" not in notice.message


def test_the_approval_form_asks_for_the_reason_for_the_enterprise(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket, actor=world.official, action=Action.REQUEST_EXTENSION, days=3, note="缺件"
    )
    client.force_login(world.leader)
    html = client.get(ticket.get_absolute_url()).content.decode()
    form = html[html.index('id="action-approve_extension"') :][:3000]
    assert "向企业说明的理由" in form
    assert 'name="approve_extension-public"' in form and "checked" in form


def test_supervision_shows_to_the_enterprise_as_the_office_chasing_its_problem(
    client, world, make_ticket
):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket, actor=world.office, action=Action.SUPERVISE, note="工信局周五前回复"
    )
    client.force_login(world.enterprise_user)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert "领导小组办公室已对您的诉求督办" in html
    timeline = html[html.index('data-testid="timeline"') :]
    assert "督办" in timeline and "领导小组办公室督促办理" in timeline
    assert "工信局周五前回复" not in html  # the office's words stay between officials
    notice = Notification.objects.get(recipient=world.enterprise_user, kind=Kind.CHASED)
    assert ticket.number in notice.message and "督办" in notice.message
