"""催办 through the API: the same action of the ticket's table as on the page."""

import datetime as dt

from django.utils import timezone


def test_the_api_urges_with_the_same_rule(api, make_ticket):
    late = make_ticket(at=timezone.now() - dt.timedelta(days=20))
    url = f"/api/v1/tickets/{late.number}/urge/"
    first = api("enterprise_user").post(url, {"note": "请尽快受理"}, format="json")
    assert first.status_code == 200, first.content
    again = api("enterprise_user").post(url, {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert api("office").post(url, {}, format="json").status_code == 403
