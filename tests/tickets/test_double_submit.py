"""The filing form files one ticket however often the same form is posted: a double tap on a
phone, a retried POST, four at the same moment. Each blank form carries a one-time token that
the first POST claims in the database, with the ticket, so it holds with Redis down too."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from django.urls import reverse

from tickets.models import Ticket

FIELDS = {"title": "园区频繁停电", "description": "本周已停电三次，影响生产。"}


def token_of(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]*)"', page)
    return found.group(1) if found else ""


@pytest.mark.django_db(transaction=True)
def test_four_concurrent_posts_of_the_filing_form_file_one_ticket(live_server, world, client):
    client.force_login(world.enterprise_user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    url = live_server.url + reverse("tickets:create")
    form = session.get(url, timeout=30)
    assert form.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    data = {
        **FIELDS,
        "category": world.category.pk,
        "csrfmiddlewaretoken": csrf,
        "form_token": token_of(form.text),
    }
    barrier = threading.Barrier(4)
    answers: list = [None] * 4

    def post(i: int) -> None:
        own = requests.Session()
        own.cookies.update(session.cookies)
        barrier.wait()
        answers[i] = own.post(url, data=data, allow_redirects=False, timeout=60)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert [a.status_code for a in answers] == [302] * 4
    assert {a.headers["Location"] for a in answers} == {ticket.get_absolute_url()}


def test_the_same_form_posted_again_with_redis_down_lands_on_the_first_ticket(
    client, world, settings
):
    # The cache (rate limits) on a port where nothing listens: it fails open, the guard holds.
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    client.force_login(world.enterprise_user)
    page = client.get(reverse("tickets:create")).content.decode()
    data = {**FIELDS, "category": world.category.pk, "form_token": token_of(page)}
    first = client.post(reverse("tickets:create"), data)
    again = client.post(reverse("tickets:create"), data, follow=True)
    ticket = Ticket.objects.get()
    assert first.url == ticket.get_absolute_url()
    assert again.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert f"此表单已提交过，已登记为 {ticket.number}" in again.content.decode()


def test_each_new_form_files_its_own_ticket(client, world):
    client.force_login(world.enterprise_user)
    for _ in range(2):
        page = client.get(reverse("tickets:create")).content.decode()
        data = {**FIELDS, "category": world.category.pk, "form_token": token_of(page)}
        assert client.post(reverse("tickets:create"), data).status_code == 302
    assert Ticket.objects.count() == 2


def test_a_refused_post_does_not_use_up_its_form(client, world):
    """A form sent back with an error keeps its token: sent again, corrected, it files."""
    client.force_login(world.enterprise_user)
    page = client.get(reverse("tickets:create")).content.decode()
    data = {**FIELDS, "category": world.category.pk, "form_token": token_of(page)}
    refused = client.post(reverse("tickets:create"), {**data, "title": "停\x0b电"})
    assert refused.status_code == 200
    assert token_of(refused.content.decode()) == data["form_token"]
    assert client.post(reverse("tickets:create"), data).status_code == 302
    assert Ticket.objects.count() == 1
