"""The three lists of tickets (the queue, the enterprise's own, the office's overdue and
supervised) share one table and each shows its own columns."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from tickets.models import Action, Status
from tickets.services import ticket_transition

HEADER = re.compile(r"<th[^>]*>([^<]*)</th>")


def table_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<table") : html.index("</table>")]


@pytest.mark.parametrize(
    "persona,url,columns",
    [
        ("official", "tickets:queue", ["编号", "诉求", "企业", "状态", "承办", "时限"]),
        ("office", "tickets:supervision", ["编号", "诉求", "状态", "承办", "时限", "催办次数"]),
    ],
)
def test_each_list_shows_its_columns_and_each_ticket_once(
    client, world, make_ticket, persona, url, columns
):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(ticket=ticket, actor=world.office, action=Action.SUPERVISE, note="督办")
    client.force_login(getattr(world, persona))
    table = table_of(client.get(reverse(url)))
    assert [h.strip() for h in HEADER.findall(table)] == columns
    assert table.count(f">{ticket.number}</a>") == 1
    assert table.count("<tr>") == 2  # the header and the ticket


@pytest.mark.parametrize(
    "persona,url,message",
    [
        ("official", "tickets:queue", "没有符合条件的诉求。"),
        ("office", "tickets:supervision", "没有超期或督办中的诉求。"),
    ],
)
def test_an_empty_list_says_so_across_the_whole_table(client, world, persona, url, message):
    client.force_login(getattr(world, persona))
    table = table_of(client.get(reverse(url)))
    columns = len(HEADER.findall(table))
    assert f'<td colspan="{columns}" class="text-center text-body-secondary py-4">' in table
    assert message in table


def test_the_enterprise_list_is_cards_with_number_title_status_stage_and_days_left(
    client, world, make_ticket
):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(ticket=ticket, actor=world.office, action=Action.SUPERVISE, note="督办")
    client.force_login(world.enterprise_user)
    html = client.get(reverse("tickets:mine")).content.decode()
    assert "<table" not in html
    assert html.count('data-testid="ticket-card"') == 1
    card = html[html.index('data-testid="ticket-card"') : html.index("</article>")]
    assert ticket.number in card and ticket.title in card
    assert "办理中" in card and "督办" in card
    assert "当前环节：办理" in card
    assert re.search(r"剩余\d+个工作日", card)


def test_an_enterprise_without_problems_is_told_so(client, world):
    client.force_login(world.enterprise_user)
    html = client.get(reverse("tickets:mine")).content.decode()
    assert "您还没有提交过诉求。" in html and 'data-testid="ticket-card"' not in html


def test_a_column_the_table_does_not_know_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match="owner"):
        Template(
            '{% load tickets_tags %}{% ticket_table tickets "number owner" empty="" %}'
        ).render(Context({"tickets": []}))
