"""A file is kept and served under the extension of its content, never the one its name
claimed: a PNG sent as `x.html` downloads as `x.png`."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from integrations.services import integration_create, integration_key_issue
from tests.files import PDF_BYTES, png_bytes
from tickets.models import Action, Attachment, Channel, Status, Ticket
from tickets.services import ticket_transition

PDF = "application/pdf"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_with(client, world, upload) -> Attachment:
    client.force_login(world.enterprise_user)
    response = client.post(
        reverse("tickets:create"),
        {
            "category": world.category.pk,
            "title": "变压器扩容",
            "description": "新增生产线需要扩容。",
            "attachments": [upload],
        },
    )
    assert response.status_code == 302
    return Attachment.objects.get()


@pytest.mark.parametrize(
    ("sent_as", "content", "kept_as", "disposition"),
    [
        ("x.html", png_bytes(), "x.png", 'filename="x.png"'),
        ("invoice.exe", PDF_BYTES, "invoice.pdf", 'filename="invoice.pdf"'),
        ("发票.exe", PDF_BYTES, "发票.pdf", "filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf"),
    ],
    ids=["png-sent-as-html", "pdf-sent-as-exe", "chinese-name"],
)
def test_a_file_is_kept_and_served_with_the_extension_of_its_content(
    client, world, sent_as, content, kept_as, disposition
):
    attachment = file_with(client, world, SimpleUploadedFile(sent_as, content))
    assert attachment.original_name == kept_as
    assert attachment.file.name.endswith(kept_as[kept_as.rindex(".") :])
    download = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert disposition in download["Content-Disposition"]
    assert download["Content-Type"] == attachment.content_type
    page = client.get(attachment.ticket.get_absolute_url()).content.decode()
    assert kept_as in page and sent_as not in page


@pytest.mark.parametrize(
    ("sent_as", "content_type", "kept_as"),
    [
        ("现场照片.jpeg", "image/jpeg", "现场照片.jpg"),
        ("C:\\Users\\王芳\\报告.pdf", PDF, "报告.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ('a"b<c>;d\r\n.docx', DOCX, "abcd.docx"),
        ("申请 材料（盖章）.pdf", PDF, "申请_材料盖章.pdf"),
        (".htaccess", PNG, "attachment.png"),
        ("", PDF, "attachment.pdf"),
        ("长" * 150 + ".pdf", PDF, "长" * 100 + ".pdf"),
    ],
)
def test_the_client_s_name_keeps_its_base_made_safe(sent_as, content_type, kept_as):
    from tickets.attachments import attachment_name

    assert attachment_name(sent_as, content_type) == kept_as
    assert attachment_name(kept_as, content_type) == kept_as  # the rule holds again at serving


def test_a_file_kept_before_names_were_checked_is_served_under_its_content_s_extension(
    client, world, make_ticket
):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.PROGRESS,
        note="现场照片",
        public=True,
        attachments=[SimpleUploadedFile("现场.png", png_bytes())],
    )
    Attachment.objects.update(original_name="x.html")  # as a row written before this rule
    attachment = Attachment.objects.get()
    client.force_login(world.enterprise_user)
    download = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert 'filename="x.png"' in download["Content-Disposition"]
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "x.png" in page and "x.html" not in page


def test_the_api_and_open311_keep_no_files(client, world, settings):
    """Neither door takes attachments (Open311 has `media_url`, a link): a file sent along is
    not written anywhere."""
    integration = integration_create(name="hotline", channel=Channel.HOTLINE)
    integration_key_issue(integration=integration, raw="hotline-key-0123456789abcdef")
    filed = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "hotline-key-0123456789abcdef",
            "service_code": "power",
            "attribute[uscc]": world.enterprise.uscc,
            "description": "园区频繁停电",
            "media": SimpleUploadedFile("x.html", png_bytes()),
        },
    )
    assert filed.status_code == 200, filed.content
    token, _ = Token.objects.get_or_create(user=world.enterprise_user)
    response = client.post(
        "/api/v1/tickets/",
        {
            "category": "power",
            "title": "变压器扩容",
            "description": "新增生产线需要扩容。",
            "attachments": SimpleUploadedFile("x.html", png_bytes()),
        },
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    assert Ticket.objects.count() == 2
    assert not Attachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
