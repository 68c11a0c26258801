"""Headers every answer carries: no browser or proxy keeps a copy of anyone's pages, answers,
exports or files (static files keep their long cache), and the browser features the site does
not use are switched off."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.cache import get_max_age
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.files import PDF_BYTES
from tickets.models import Attachment

OFF = ["camera", "microphone", "geolocation", "payment", "usb"]


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_signed_in_pages_are_not_stored(client, world, make_ticket):
    ticket = make_ticket()
    client.force_login(world.enterprise_user)
    for url in (reverse("tickets:mine"), ticket.get_absolute_url()):
        assert {"private", "no-store"} <= directives(client.get(url)), url


def test_api_answers_to_a_token_are_not_stored(world, make_ticket):
    """The token is read inside DRF, after the middleware has seen the request."""
    ticket = make_ticket()
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=world.enterprise_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in ("/api/v1/tickets/", f"/api/v1/tickets/{ticket.number}/", "/api/v1/nothing/"):
        assert {"private", "no-store"} <= directives(api.get(url)), url


def test_exports_and_attachments_are_not_stored(client, world):
    client.force_login(world.enterprise_user)
    client.post(
        reverse("tickets:create"),
        {
            "category": world.category.pk,
            "title": "停电",
            "description": "停电",
            "attachments": [SimpleUploadedFile("申请.pdf", PDF_BYTES)],
        },
    )
    attachment = Attachment.objects.get()
    download = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert {"private", "no-store"} <= directives(download)
    client.force_login(world.office)
    export = client.get(reverse("exchange:ticket-export"))
    assert export.status_code == 200
    assert {"private", "no-store"} <= directives(export)


def test_static_files_keep_their_long_cache(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert get_max_age(response) > 0


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/api/v1/tickets/", "/no-such-page/", "/static/css/app.css"]
)
def test_every_answer_switches_off_the_browser_features_the_site_does_not_use(client, db, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in OFF:
        assert f"{feature}=()" in policy, policy
