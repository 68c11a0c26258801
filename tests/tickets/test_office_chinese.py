"""Chinese the way an office writes it (issue 11): selects start with a Chinese empty choice,
yes-no filters read 全部 / 是 / 否, and English counts its working days in the singular and
the plural."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tickets.models import Action, Status
from tickets.services import ticket_transition
from tickets.templatetags.tickets_tags import days_left_label, event_summary


def empty_choices(html: str) -> dict[str, str]:
    """Each choice's name → what it says before anything is chosen: a select's empty option,
    or the prompt of a search box that stands for a long list (enterprises.pickers)."""
    found = {}
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        empty = re.search(r'<option value=""[^>]*>([^<]*)</option>', select.group(2))
        if empty:
            found[select.group(1)] = empty.group(1).strip()
    for picker in re.finditer(r"<input [^>]*data-picker-url[^>]*>", html):
        name = re.search(r'name="([^"]+)"', picker.group(0)).group(1)
        found[name] = re.search(r'placeholder="([^"]*)"', picker.group(0)).group(1)
    return found


def test_the_filing_form_asks_to_choose_the_category_in_chinese(client, world):
    client.force_login(world.enterprise_user)
    html = client.get(reverse("tickets:create")).content.decode()
    assert empty_choices(html) == {"category": "请选择问题类型"}


def test_the_office_filing_on_behalf_chooses_the_enterprise_in_chinese(client, world):
    client.force_login(world.office)
    html = client.get(reverse("tickets:create")).content.decode()
    assert empty_choices(html)["enterprise"] == "请选择企业"
    assert "---------" not in html and "Select an option" not in html


def test_the_action_forms_ask_in_chinese(client, world, make_ticket):
    ticket = make_ticket(Status.ACCEPTED)
    client.force_login(world.office)
    html = client.get(ticket.get_absolute_url()).content.decode()
    choices = empty_choices(html)
    assert choices["assign-assignee"] == "请选择干部"
    assert choices["transfer-department"] == "请选择主办单位"
    assert "---------" not in html


def test_the_queue_filters_read_all_yes_no(client, world):
    client.force_login(world.office)
    html = client.get(reverse("tickets:queue")).content.decode()
    overdue = re.search(r'<select name="overdue"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", overdue) == ["全部", "是", "否"]
    assert "未知" not in html
    assert empty_choices(html)["category"] == "全部"
    assert "（倒序）" in html and "descending" not in html


def test_the_all_choice_filters_nothing(client, world, make_ticket):
    make_ticket(Status.ACCEPTED)
    client.force_login(world.office)
    html = client.get(reverse("tickets:queue"), {"overdue": "unknown"}).content.decode()
    count = re.search(r'data-testid="result-count">([^<]*)<', html).group(1)
    assert re.match(r"\D*1\D", count), count


@pytest.mark.parametrize(
    "days,english",
    [
        (1, "1 working day left"),
        (3, "3 working days left"),
        (0, "due today"),
        (-1, "overdue by 1 working day"),
        (-4, "overdue by 4 working days"),
    ],
)
def test_english_counts_working_days_in_the_singular_and_the_plural(days, english):
    with translation.override("en"):
        assert days_left_label(days) == english


def test_chinese_counts_working_days_without_a_plural():
    with translation.override("zh-hans"):
        assert days_left_label(1) == "剩余1个工作日"
        assert days_left_label(-2) == "已超期2个工作日"


def test_an_extension_of_one_day_reads_in_the_singular(world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket = ticket_transition(
        ticket=ticket, actor=world.official, action=Action.REQUEST_EXTENSION, days=1, note="设备"
    )
    with translation.override("en"):
        assert event_summary(ticket.events.last()) == "1 working day"
