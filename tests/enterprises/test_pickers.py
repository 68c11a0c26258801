"""Enterprise, official and category pickers: a search scoped to the user, never a full list."""

import pytest
from django.urls import reverse

from enterprises.pickers import MAX_QUERY_LENGTH, MAX_RESULTS
from tests import factories as f
from tickets.models import Action, Status, Ticket


def pick(client, user, picker, q=""):
    client.force_login(user)
    return client.get(reverse("enterprises:pick", args=[picker]), {"q": q})


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["text"] for row in response.json()["results"]]


def test_an_official_finds_only_the_enterprises_it_covers(client, world):
    found = texts(pick(client, world.official, "enterprises", "有限公司"))
    assert found == [f"{world.enterprise.name} · {world.enterprise.uscc}"]


def test_the_office_finds_any_enterprise_by_part_of_its_name_or_its_uscc(client, world):
    assert texts(pick(client, world.office, "enterprises", "宽城"))[0].startswith("宽城光电")
    by_uscc = texts(pick(client, world.office, "enterprises", world.enterprise.uscc[-7:]))
    assert world.enterprise.name in by_uscc[0]


def test_an_enterprise_user_finds_only_its_own_enterprise(client, world):
    assert texts(pick(client, world.enterprise_user, "enterprises", "宽城")) == []
    assert len(texts(pick(client, world.enterprise_user, "enterprises"))) == 1


@pytest.mark.parametrize("picker", ["officials", "fileable-enterprises"])
def test_an_enterprise_user_gets_not_found_from_the_staff_pickers(client, world, picker):
    assert pick(client, world.enterprise_user, picker).status_code == 404


def test_an_unknown_picker_is_not_found_and_the_anonymous_is_sent_to_log_in(client, world):
    assert pick(client, world.office, "passwords").status_code == 404
    client.logout()
    response = client.get(reverse("enterprises:pick", args=["enterprises"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_picks_only_officials_of_its_department(client, world):
    found = texts(pick(client, world.coordinator, "officials"))
    assert any("张伟" in text for text in found)
    assert not any("路人" in text for text in found)
    assert any("路人" in text for text in texts(pick(client, world.office, "officials", "路人")))


def test_a_search_answers_at_most_twenty_and_refuses_a_long_query(client, world):
    for n in range(MAX_RESULTS + 5):
        f.EnterpriseFactory(name=f"批量企业{n:02d}有限公司", district=world.district)
    assert len(texts(pick(client, world.office, "enterprises", "批量企业"))) == MAX_RESULTS
    response = pick(client, world.office, "enterprises", "长" * (MAX_QUERY_LENGTH + 1))
    assert response.status_code == 400
    assert "最多" in response.json()["detail"]
    assert pick(client, world.office, "enterprises", "a\x00b").status_code == 400


def test_the_queue_has_no_list_of_enterprises_but_a_search_box(client, world):
    for n in range(30):
        f.EnterpriseFactory(name=f"列表企业{n:02d}有限公司", district=world.district)
    client.force_login(world.office)
    page = client.get(reverse("tickets:queue")).content.decode()
    assert "列表企业" not in page
    assert 'data-picker-url="/enterprises/pick/enterprises/"' in page
    assert "tom-select.complete.min.js" in page


def test_a_filter_by_enterprise_shows_its_name_and_keeps_to_what_the_user_sees(
    client, world, make_ticket
):
    make_ticket(Status.SUBMITTED)
    client.force_login(world.official)
    page = client.get(reverse("tickets:queue"), {"enterprise": world.enterprise.pk})
    assert world.enterprise.name in page.content.decode()  # the chosen one, labelled
    assert len(page.context["page"].object_list) == 1
    other = client.get(reverse("tickets:queue"), {"enterprise": world.other_enterprise.pk})
    assert "没有您可以选择的" in other.content.decode()  # refused, as any invalid filter
    assert world.other_enterprise.name not in other.content.decode()


def test_without_javascript_the_office_files_by_typing_the_uscc(client, world):
    client.force_login(world.office)
    form = client.get(reverse("tickets:create")).context["form"]
    response = client.post(
        reverse("tickets:create"),
        {
            "enterprise": world.other_enterprise.uscc,
            "category": "用电",
            "title": "电压不稳",
            "description": "车间电压经常波动。",
            "channel": "phone",
            "form_token": form["form_token"].value(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Ticket.objects.get().enterprise == world.other_enterprise


def test_an_official_cannot_file_for_an_enterprise_it_does_not_cover(client, world):
    client.force_login(world.official)
    response = client.post(
        reverse("tickets:create"),
        {
            "enterprise": world.other_enterprise.pk,
            "category": world.category.pk,
            "title": "电压不稳",
            "description": "车间电压经常波动。",
            "channel": "phone",
        },
    )
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_coordinator_assigns_by_the_officials_name_and_not_outside_its_department(
    client, world, make_ticket
):
    ticket = make_ticket(Status.ACCEPTED)
    from tickets.services import ticket_transition

    ticket_transition(
        ticket=ticket, actor=world.office, action=Action.TRANSFER, department=world.department
    )
    client.force_login(world.coordinator)
    url = reverse("tickets:act", args=[ticket.number, "assign"])
    refused = client.post(url, {"assign-assignee": world.unrelated_official.pk})
    assert refused.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assignee is None
    done = client.post(url, {"assign-assignee": "张伟"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == world.official
