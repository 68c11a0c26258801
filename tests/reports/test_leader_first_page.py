"""A leader's first page: its dashboard, and above it 待我处理 — extension requests awaiting its
approval, problems escalated to it, overdue problems of the enterprises it covers — each acted on
in place; and no button of the office's or the officials' own work."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Coverage, Enterprise
from tests import factories as f
from tests.conftest import PERSONAS
from tickets.models import Action, Status, Ticket
from tickets.pending import pending_for
from tickets.services import ticket_transition
from tickets.workflow import extension_approvers


@pytest.fixture
def waiting(world, make_ticket):
    """For the city leader 李建国: an extension request of the enterprise it covers, a problem of
    a 百亿级 enterprise it covers escalated to it, and an overdue problem of its enterprise."""
    extension = ticket_transition(
        ticket=make_ticket(Status.IN_PROGRESS, title="扩容变压器需延期"),
        actor=world.official,
        action=Action.REQUEST_EXTENSION,
        days=5,
        note="设备下月到货",
    )
    big: Enterprise = f.EnterpriseFactory(  # type: ignore[assignment]
        name="一汽解放集团", district=world.district, revenue_tier="a"
    )
    Coverage.objects.create(official=world.leader.official, enterprise=big, role="primary")
    escalated = ticket_transition(
        ticket=make_ticket(Status.IN_PROGRESS, enterprise=big, title="厂区道路规划调整"),
        actor=world.office,
        action=Action.ESCALATE,
        note="需市领导协调规划部门",
    )
    late = make_ticket(Status.IN_PROGRESS, title="用工招聘补贴未兑现")
    Ticket.objects.filter(pk=late.pk).update(completion_due=timezone.now() - dt.timedelta(days=2))
    return {"extension": extension, "escalated": escalated, "late": late}


def first_page(client, user):
    client.force_login(user)
    return client.get(reverse("home"), follow=True)


def test_a_leader_lands_on_its_dashboard_with_what_waits_on_it(client, world, waiting):
    response = first_page(client, world.leader)

    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    pending = response.context["pending"]
    assert [row.ticket for row in pending["extensions"]] == [waiting["extension"]]
    assert [row.ticket for row in pending["escalated"]] == [waiting["escalated"]]
    assert [row.ticket for row in pending["overdue"]] == [waiting["late"]]
    page = response.content.decode()
    assert page.index('data-testid="pending"') < page.index('data-testid="headline"')
    assert "待我处理" in page and "设备下月到货" in page and "厂区道路规划调整" in page
    rows = {key: panel_row(page, waiting[key]) for key in ("escalated", "late")}
    assert "原期限" in rows["late"] and "text-danger" in rows["late"]  # past its deadline, in red
    assert "原期限" not in rows["escalated"] and "text-danger" not in rows["escalated"]


def panel_row(page: str, ticket) -> str:
    """The panel's row of `ticket`."""
    return page.split(f'data-ticket="{ticket.number}"', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize("persona", ["official", "coordinator", "office"])
def test_others_land_where_they_did_with_no_panel(client, world, waiting, persona):
    response = first_page(client, world.personas()[persona])
    assert response.redirect_chain[-1][0] == reverse("tickets:queue")
    assert 'data-testid="pending"' not in response.content.decode()


def test_the_office_reading_the_dashboard_sees_no_panel(client, world, waiting):
    client.force_login(world.office)
    assert client.get(reverse("reports:dashboard")).context["pending"] is None


def test_a_leader_of_another_district_finds_nothing_of_this_one_waiting(client, world, waiting):
    response = first_page(client, world.district_leader)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    assert response.context["pending"]["count"] == 0
    assert "暂无待办" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_the_extensions_listed_are_exactly_those_the_leader_may_decide(world, waiting, persona):
    user = world.personas()[persona]
    pending = pending_for(user)
    listed = {t.pk for t in pending.extensions} if pending else set()
    ticket = waiting["extension"]
    may = extension_approvers(ticket).filter(pk=user.pk).exists()
    assert listed == ({ticket.pk} if may else set())


def test_a_leader_approves_an_extension_in_place_and_is_back_on_its_page(client, world, waiting):
    ticket = waiting["extension"]
    due = ticket.completion_due
    client.force_login(world.leader)
    dashboard = reverse("reports:dashboard")
    response = client.post(
        reverse("tickets:act", args=[ticket.number, Action.APPROVE_EXTENSION]),
        {"approve_extension-note": "同意延期", "next": dashboard},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == dashboard
    ticket.refresh_from_db()
    assert ticket.extension_days is None and ticket.completion_due > due
    assert response.context["pending"]["extensions"] == []


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example.com/", "//evil.example.com/", "tickets:queue", "/测\x00试"]
)
def test_an_action_from_the_panel_never_sends_the_leader_off_the_site(
    client, world, waiting, elsewhere
):
    ticket = waiting["extension"]
    client.force_login(world.leader)
    response = client.post(
        reverse("tickets:act", args=[ticket.number, Action.DENY_EXTENSION]),
        {"deny_extension-note": "请按期办结", "next": elsewhere},
    )
    assert response["Location"] == ticket.get_absolute_url()


def test_a_leader_sends_an_escalated_problem_on_to_the_joint_meeting_in_place(
    client, world, waiting
):
    ticket = waiting["escalated"]
    client.force_login(world.leader)
    client.post(
        reverse("tickets:act", args=[ticket.number, Action.ESCALATE]),
        {"escalate-note": "提请联席会议研究", "next": reverse("reports:dashboard")},
    )
    ticket.refresh_from_db()
    assert ticket.escalation_level == 3 and ticket.escalated_to is None


def test_a_leader_is_shown_no_button_of_the_offices_work(client, world, waiting):
    client.force_login(world.leader)
    for url in (reverse("reports:dashboard"), reverse("tickets:queue")):
        page = client.get(url).content.decode()
        assert reverse("tickets:create") not in page, url
    client.force_login(world.official)  # an official still files for its enterprises
    assert reverse("tickets:create") in client.get(reverse("tickets:queue")).content.decode()


def test_the_leaders_page_makes_a_fixed_number_of_queries(
    client, world, waiting, make_ticket, django_assert_num_queries
):
    client.force_login(world.leader)
    url = reverse("reports:dashboard")
    client.get(url)
    for _ in range(2):  # more of each kind waiting: the same queries
        ticket_transition(
            ticket=make_ticket(Status.IN_PROGRESS),
            actor=world.official,
            action=Action.REQUEST_EXTENSION,
            days=3,
            note="需要更多时间",
        )
    # 1 user, 2 official; 3 campaign start; 4-5 the week's totals (rollup, and the
    # clock-dependent counts), 6-7 the cumulative totals (the same two); 8 the 12-week trend;
    # 9-12 districts (rollup, clock-dependent counts, the office's score weights that rank
    # them, names); 待我处理: 13 extension requests it may decide, 14 problems escalated to it,
    # 15 overdue problems of enterprises it covers; the base template's context processors:
    # 16 membership, 17 the bell.
    with django_assert_num_queries(17):
        response = client.get(url)
    assert len(response.context["pending"]["extensions"]) == 3
