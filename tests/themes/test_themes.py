"""Themes: problems of one cause raised by several enterprises are found, confirmed by the office,
tracked and resolved together, and each member ticket is still resolved by its own handler and
rated by its own enterprise."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tests import factories as f
from themes import services
from themes.models import Candidate, Member, Similar, Theme
from tickets.models import Action, Rating, Status
from tickets.services import ticket_transition

TRANSFORMER = [
    (
        "高新区变压器容量不足，新上生产线无法通电",
        "我公司位于高新区，新增两条生产线，园区变压器容量已满，供电公司答复需等园区扩容。",
    ),
    (
        "高新区变压器容量不够，新厂房接不上电",
        "园区变压器容量已满，我们在高新区的新厂房接不上电，请协调扩容。",
    ),
    (
        "高新区变压器容量不足，扩产设备无法通电",
        "高新区变压器容量已满，供电公司说要等园区扩容，我公司扩产的设备无法通电。",
    ),
    (
        "请求加快高新区变压器扩容改造",
        "高新区多家企业用电负荷增加，现有变压器不够用，我公司新厂房无法接电。",
    ),
]
STABILITY = [
    ("稳岗返还资金没有收到", "我公司符合失业保险稳岗返还条件，名单公示后资金一直没有到账。"),
    ("失业保险稳岗补贴未发放", "3月申请的稳岗返还12万元至今未拨付。"),
    ("稳岗返还到账时间过长", "按规定应免申即享的稳岗返还，企业至今没收到，请核查。"),
]
ONE_OFFS = [
    ("商标被他人抢注，请求指导维权", "我公司使用多年的品牌商标被外地公司抢注，请求帮助提出异议。"),
    ("外籍技术人员工作许可办理", "我公司聘请的德国工程师需要办理工作许可，流程不清楚。"),
    ("企业年报填报错误如何更正", "去年的企业年报把从业人数填错了，需要更正。"),
]


@pytest.fixture
def filed(world, make_ticket):
    """Each problem filed by an enterprise of its own (the transformer's first by `world.enterprise`)."""
    tickets = {}
    for group, texts in (
        ("transformer", TRANSFORMER),
        ("stability", STABILITY),
        ("one-off", ONE_OFFS),
    ):
        for i, (title, description) in enumerate(texts):
            enterprise = (
                world.enterprise if (group, i) == ("transformer", 0) else f.EnterpriseFactory()
            )
            ticket = make_ticket(Status.IN_PROGRESS, enterprise=enterprise, title=title)
            ticket.description = description
            ticket.save(update_fields=["description"])
            tickets.setdefault(group, []).append(ticket)
    return tickets


def numbers(tickets) -> set[str]:
    return {t.number for t in tickets}


def test_the_candidates_gather_one_cause_across_enterprises_and_leave_one_offs_alone(filed):
    out = StringIO()
    call_command("themes", "--days", "90", "--format", "json", stdout=out)
    found = json.loads(out.getvalue())

    assert {frozenset(c["tickets"]) for c in found} == {
        frozenset(numbers(filed["transformer"])),
        frozenset(numbers(filed["stability"])),
    }
    assert all(0 < c["score"] <= 1 and c["title"] for c in found)


def test_one_enterprises_repeats_are_a_merge_not_a_theme(world, make_ticket):
    for title, _description in STABILITY:
        make_ticket(Status.SUBMITTED, title=title)  # all by world.enterprise

    assert services.candidates_find() == []


def test_the_office_sees_the_problems_most_like_a_new_one_and_the_enterprise_does_not(
    client, world, filed
):
    services.similar_refresh()
    ticket = filed["transformer"][0]

    client.force_login(world.office)
    page = client.get(ticket.get_absolute_url()).content.decode()
    client.force_login(world.enterprise_user)
    own = client.get(ticket.get_absolute_url()).content.decode()

    shown = set(Similar.objects.filter(ticket=ticket).values_list("other__number", flat=True))
    assert shown & numbers(filed["transformer"][1:])  # its cause's other problems …
    assert not shown & numbers(filed["one-off"])  # … not the unrelated ones
    assert filed["transformer"][1].number in page or filed["transformer"][2].number in page
    assert 'data-testid="similar-panel"' not in own


@pytest.fixture
def theme(world, filed):
    services.candidates_refresh()
    candidate = next(
        c
        for c in Candidate.objects.all()
        if set(c.tickets.values_list("number", flat=True)) == numbers(filed["transformer"])
    )
    return services.theme_create(
        actor=world.office,
        title="高新区变压器扩容",
        lead_department=world.department,
        leader=world.leader.official,
        working_days=22,
        tickets=list(candidate.tickets.all()),
        candidate=candidate,
    )


def test_confirming_a_candidate_links_its_tickets_and_takes_it_off_the_candidates(theme, filed):
    assert numbers(m.ticket for m in theme.members.all()) == numbers(filed["transformer"])
    assert not Candidate.objects.filter(title__contains="变压器").exists()
    assert theme.due > theme.created_at


def test_a_ticket_belongs_to_one_theme_at_most(world, theme, filed):
    with pytest.raises(ValidationError):
        services.theme_create(
            actor=world.office, title="重复", lead_department=world.department, leader=world.leader.official,
            working_days=10, tickets=[filed["transformer"][0]],
        )  # fmt: skip
    assert Theme.objects.count() == 1


def test_resolving_the_theme_proposes_and_each_handler_confirms_and_each_enterprise_rates(
    client, world, theme, filed
):
    services.theme_resolve(
        actor=world.office, theme=theme, resolution="供电公司新建110千伏变电站，已投运。"
    )
    ticket = filed["transformer"][0]  # handled by world.official, filed by world.enterprise
    assert Member.objects.get(ticket=ticket).proposed_at is not None
    assert Status(ticket.status) == Status.IN_PROGRESS  # nothing is resolved behind its handler

    client.force_login(world.official)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-theme-resolution"' in page
    client.post(reverse("themes:member-confirm", args=[theme.pk, ticket.number]))

    ticket.refresh_from_db()
    assert Status(ticket.status) == Status.RESOLVED
    assert "110千伏变电站" in ticket.resolution
    rated = ticket_transition(
        ticket=ticket, actor=world.enterprise_user, action=Action.RATE, rating=Rating.SATISFIED
    )
    assert Status(rated.status) == Status.CLOSED


def test_someone_who_does_not_handle_the_ticket_cannot_confirm_for_it(client, world, theme, filed):
    services.theme_resolve(actor=world.office, theme=theme, resolution="已解决")
    ticket = filed["transformer"][0]

    client.force_login(world.unrelated_official)
    refused = client.post(reverse("themes:member-confirm", args=[theme.pk, ticket.number]))

    assert refused.status_code == 404
    ticket.refresh_from_db()
    assert Status(ticket.status) == Status.IN_PROGRESS


@pytest.mark.parametrize("persona", ["enterprise_user", "official", "coordinator"])
def test_themes_do_not_exist_for_enterprises_and_officials(client, world, theme, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("themes:index")).status_code == 404
    assert client.get(reverse("themes:detail", args=[theme.pk])).status_code == 404


def test_a_leader_reads_themes_but_cannot_change_them(client, world, theme):
    client.force_login(world.leader)

    assert theme.title in client.get(reverse("themes:index")).content.decode()
    refused = client.post(reverse("themes:detail", args=[theme.pk]), {"resolution": "我说解决了"})

    assert refused.status_code == 404
    theme.refresh_from_db()
    assert theme.status == Theme.Status.OPEN


def test_the_office_gathers_a_theme_by_hand_and_picks_it_as_the_problem_of_the_month(
    client, world, filed
):
    client.force_login(world.office)
    page = client.post(
        reverse("themes:create"),
        {
            "title": "稳岗返还兑现",
            "lead_department": world.department.pk,
            "leader": world.leader.official.pk,
            "working_days": 10,
            "tickets": " ".join(numbers(filed["stability"])),
        },
    )
    theme = Theme.objects.get(title="稳岗返还兑现")
    assert page.status_code == 302
    client.post(reverse("themes:detail", args=[theme.pk]), {"month": "pick"})

    theme.refresh_from_db()
    assert theme.month
    assert "稳岗返还兑现" in client.get(reverse("themes:index")).content.decode()
    detail = client.get(reverse("themes:detail", args=[theme.pk])).content.decode()
    assert 'data-testid="pick-month"' not in detail  # it is this month's problem already


def test_an_unknown_ticket_number_is_named_and_nothing_is_created(client, world):
    client.force_login(world.office)

    page = client.post(
        reverse("themes:create"),
        {
            "title": "X",
            "lead_department": world.department.pk,
            "leader": world.leader.official.pk,
            "working_days": 10,
            "tickets": "NOPE-0001",
        },
    )

    assert page.status_code == 200
    assert "NOPE-0001" in page.content.decode()
    assert not Theme.objects.exists()


def test_a_holiday_notice_moves_an_open_themes_deadline_as_it_moves_a_tickets(world, theme):
    import datetime as dt

    from django.utils import timezone

    from workdays.notice import parse_notice
    from workdays.services import notice_apply

    friday = timezone.make_aware(dt.datetime(2027, 1, 1, 23, 59, 59))
    Theme.objects.filter(pk=theme.pk).update(due=friday)
    notice = parse_notice(
        "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。"
    )

    applied = notice_apply(notice, actor=world.office)

    theme.refresh_from_db()
    assert f"{timezone.localtime(theme.due):%Y-%m-%d}" == "2027-01-04"
    assert any(m.label == theme.title for m in applied.moves)


def test_before_they_ask_an_enterprise_that_shares_the_cause_answers_and_its_answer_joins_the_theme(
    client, world, theme
):
    from tickets.models import Channel

    neighbour = f.EnterpriseFactory(district=world.enterprise.district)
    elsewhere = f.EnterpriseFactory(district=world.other_district)
    user = f.MemberFactory(enterprise=neighbour).user
    peers = set(services.theme_peers(theme))
    assert neighbour in peers

    client.force_login(world.office)
    client.post(
        reverse("themes:detail", args=[theme.pk]),
        {
            "enterprises": [neighbour.pk],
            "message": "我们正在协调高新区变压器扩容，如贵企业也受影响请告知。",
        },
    )
    asked = theme.outreach.get()
    assert asked.enterprise == neighbour
    assert user.notifications.filter(url=asked.get_absolute_url()).exists()

    client.force_login(world.other_enterprise_user)  # another enterprise cannot read the notice
    assert client.get(asked.get_absolute_url()).status_code == 404

    client.force_login(user)
    client.post(asked.get_absolute_url(), {"description": "我公司在高新区的新车间同样无法通电。"})

    asked.refresh_from_db()
    assert asked.ticket is not None and asked.ticket.channel == Channel.PROACTIVE
    assert Member.objects.filter(theme=theme, ticket=asked.ticket).exists()
    assert asked.ticket.enterprise == neighbour
    assert elsewhere not in set(services.theme_peers(theme))  # another district, no shared chain


def test_an_enterprise_cannot_claim_the_proactive_channel_through_the_api(world):
    from api.serializers.ticket_writing import TicketCreateSerializer

    field = TicketCreateSerializer().fields["channel"]
    assert "proactive" not in field.choices


@pytest.mark.parametrize(
    "persona,themes,notice",
    [
        ("office", True, True),
        ("leader", True, False),
        ("official", False, False),
        ("enterprise_user", False, False),
    ],
)
def test_the_menu_leads_to_themes_and_the_holiday_notice_for_those_who_may_use_them(
    client, world, persona, themes, notice
):
    client.force_login(getattr(world, persona))

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert (f'href="{reverse("themes:index")}"' in page) is themes
    assert (f'href="{reverse("workdays:notice")}"' in page) is notice
