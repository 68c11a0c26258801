"""The dispatch completion page's dates: out of range or not dates, a 400 with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "query,message",
    [
        ({"from": "9999-12-31"}, "2000"),
        ({"to": "9999-12-31"}, "2000"),
        ({"from": "0001-01-01", "to": "0001-12-31"}, "2000"),
        ({"from": "2026-02-30"}, "日期"),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "结束"),
    ],
)
def test_dates_the_page_cannot_count_are_a_400_with_a_message(client, world, query, message):
    client.force_login(world.leader)
    response = client.get(reverse("dispatches:completion"), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert world.district.name in response.content.decode()  # this month's figures, still


def test_no_dates_is_this_month(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("dispatches:completion"))
    assert response.status_code == 200
