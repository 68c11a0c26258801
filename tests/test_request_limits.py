"""Every field and every request body is bounded: what is over a limit gets a clear answer in the
shape of the door it came through (a page, the API's JSON, an Open311 error), is refused before
it is read or stored where it can be, and changes nothing."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.files import PDF_BYTES, Body, multipart, multipart_type
from tickets.models import Action, Attachment, Status, Ticket, TicketEvent

MB = 1024 * 1024


def send(client, path: str, body: Body, content_type: str, **headers):
    """POST `body` as it is read, with its true Content-Length, through every middleware."""
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
        **headers,
    )


def text(response) -> str:
    """The answer's text, sizes with plain spaces (filesizeformat keeps them unbroken)."""
    return response.content.decode().replace("\xa0", " ")


def files_in(folder) -> list[str]:
    return [name for _, _, names in os.walk(folder) for name in names]


# --- fields: the web forms take what the API takes -------------------------------------------


@pytest.mark.parametrize(
    ("status", "persona", "action", "data"),
    [
        (Status.SUBMITTED, "office", Action.ACCEPT, {"note": "办" * 5001}),
        (Status.IN_PROGRESS, "official", Action.PROGRESS, {"note": "进展" * 2501}),
        (
            Status.IN_PROGRESS,
            "official",
            Action.RESOLVE,
            {"outcome": "solved", "resolution": "已" * 5001},
        ),
        (
            Status.RESOLVED,
            "enterprise_user",
            Action.RATE,
            {"rating": "satisfied", "comment": "好" * 5001},
        ),
    ],
    ids=["accept-note", "progress-note", "resolution", "rating-comment"],
)
def test_a_text_longer_than_the_api_takes_is_refused_on_the_page(
    client, world, make_ticket, status, persona, action, data
):
    ticket = make_ticket(status)
    events = TicketEvent.objects.count()
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("tickets:act", args=[ticket.number, action.value]),
        {f"{action.value}-{name}": value for name, value in data.items()},
    )
    assert response.status_code == 400
    assert "请控制在 5000 字以内" in response.content.decode()
    assert TicketEvent.objects.count() == events
    ticket.refresh_from_db()
    assert ticket.status == status


def test_a_title_longer_than_the_api_takes_is_refused_with_a_message(client, world):
    client.force_login(world.enterprise_user)
    response = client.post(
        reverse("tickets:create"),
        {"category": world.category.pk, "title": "停" * 121, "description": "停电"},
    )
    assert response.status_code == 200
    assert "请控制在 120 字以内，当前 121 字" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_search_longer_than_any_title_is_refused_not_run(client, world):
    client.force_login(world.office)
    response = client.get(reverse("tickets:queue"), {"search": "查" * 201})
    assert response.status_code == 200
    page = text(response)
    assert 'aria-invalid="true"' in page and "不超过 200 字符" in page
    api = client.get("/api/v1/tickets/", {"search": "查" * 201})
    assert api.status_code == 400 and "search" in api.json()


# --- bodies: refused before they are read -----------------------------------------------------


def test_a_30_million_character_note_is_refused_before_it_is_read(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    client.force_login(world.official)
    head = urlencode({"progress-public": "on"}).encode() + b"&progress-note="
    body = Body(head, 30_000_000)
    response = send(
        client,
        reverse("tickets:act", args=[ticket.number, "progress"]),
        body,
        "application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    page = text(response)
    assert "未发送" in page and "最多 1.0 MB" in page
    assert body.position == 0
    assert not TicketEvent.objects.filter(action=Action.PROGRESS).exists()


def test_a_300_mb_upload_is_refused_before_a_byte_is_read(client, world, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(world.enterprise_user)
    fields = {"category": str(world.category.pk), "title": "停电", "description": "停电"}
    body = Body(*multipart(fields, "attachments", "大.pdf", PDF_BYTES, 300 * MB))
    response = send(client, reverse("tickets:create"), body, multipart_type())
    assert response.status_code == 413
    page = text(response)
    assert "300.0 MB" in page and "51.0 MB" in page and "5 个" in page
    assert body.position == 0
    assert not Ticket.objects.exists()
    assert files_in(tmp_path) == [] and files_in(settings.MEDIA_ROOT) == []


def test_a_file_over_the_limit_is_dropped_while_it_streams_and_the_form_says_so(
    client, world, settings, tmp_path
):
    """The request fits, one file does not: the bytes past the file limit never reach the disk,
    the temporary file goes, and the form names the file and keeps what was typed."""
    settings.ATTACHMENT_MAX_SIZE = 3 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    on_disk: list[int] = []

    def measure() -> None:
        on_disk.append(sum(os.path.getsize(tmp_path / name) for name in files_in(tmp_path)))

    client.force_login(world.enterprise_user)
    fields = {"category": str(world.category.pk), "title": "变压器扩容", "description": "新增产线"}
    body = Body(*multipart(fields, "attachments", "图纸.pdf", PDF_BYTES, 8 * MB), on_read=measure)
    response = send(client, reverse("tickets:create"), body, multipart_type())
    assert response.status_code == 200
    page = text(response)
    assert "“图纸.pdf”" in page and "8.0 MB" in page and "3.0 MB" in page
    assert "变压器扩容" in page and "新增产线" in page
    assert body.position == body.length
    assert 0 < max(on_disk) <= 3 * MB
    assert files_in(tmp_path) == []
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_more_files_than_the_request_may_carry_are_refused(client, world, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(world.enterprise_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [SimpleUploadedFile(f"{n}.pdf", PDF_BYTES) for n in range(11)]
    response = client.post(
        reverse("tickets:create"),
        {
            "category": world.category.pk,
            "title": "停电",
            "description": "停电",
            "attachments": files,
        },
    )
    assert response.status_code == 413
    assert "最多可附 5 个文件" in text(response)
    assert not Ticket.objects.exists()


def test_a_40_mb_json_body_gets_the_apis_413_before_it_is_parsed(client, world):
    token, _ = Token.objects.get_or_create(user=world.enterprise_user)
    body = Body(b'{"title": "', 40 * MB, b'"}')
    response = send(
        client,
        "/api/v1/tickets/",
        body,
        "application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "40.0 MB" in response.json()["detail"].replace("\xa0", " ")
    assert body.position == 0
    assert not Ticket.objects.exists()


def test_a_300_mb_upload_to_the_api_gets_its_json_413(client, world):
    token, _ = Token.objects.get_or_create(user=world.enterprise_user)
    body = Body(*multipart({"title": "停电"}, "file", "大.pdf", PDF_BYTES, 300 * MB))
    response = send(
        client, "/api/v1/tickets/", body, multipart_type(), HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert body.position == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_open311_body_over_the_limit_gets_an_open311_error(client, db, fmt):
    body = Body(b"api_key=x&description=", 2 * MB)
    response = send(
        client, f"/open311/v2/requests.{fmt}", body, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    body_text = text(response)
    if fmt == "json":
        [error] = json.loads(body_text)
        assert error["code"] == 413 and "2.0 MB" in error["description"]
    else:
        assert "<code>413</code>" in body_text and "2.0 MB" in body_text
    assert body.position == 0
    assert not Ticket.objects.exists()


def test_the_nginx_site_has_the_same_body_limit():
    from config.uploads import max_request_size

    site = (Path(__file__).resolve().parent.parent / "deploy/nginx/qinqing.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * MB == max_request_size()


@pytest.mark.parametrize("path", ["/tickets/new/", "/api/v1/tickets/"])
def test_a_form_of_too_many_fields_is_refused_with_a_message(client, world, path):
    client.force_login(world.enterprise_user)
    body = Body(urlencode([("x", "1")] * 1001).encode())
    response = send(client, path, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "超过 1000 个" in text(response)
    assert not Ticket.objects.exists()
