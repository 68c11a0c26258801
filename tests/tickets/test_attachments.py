"""Attachments are judged by their bytes, not their names, and limited in size and number."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.files import ELF_BYTES, EXE_BYTES, PDF_BYTES, png_bytes, xlsx_bytes
from tickets.models import Attachment, Ticket


def file_a_problem(client, world, files):
    client.force_login(world.enterprise_user)
    return client.post(
        reverse("tickets:create"),
        {
            "category": world.category.pk,
            "title": "变压器扩容",
            "description": "新增生产线需要扩容。",
            "attachments": files,
        },
    )


def test_a_valid_pdf_is_kept_and_served_back_as_a_pdf(client, world):
    response = file_a_problem(client, world, [SimpleUploadedFile("申请.pdf", PDF_BYTES)])
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("申请.pdf", "application/pdf")
    download = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_images_and_office_files_are_accepted(client, world):
    files = [
        SimpleUploadedFile("现场.png", png_bytes()),
        SimpleUploadedFile("明细.xlsx", xlsx_bytes()),
    ]
    assert file_a_problem(client, world, files).status_code == 302
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
    ]


@pytest.mark.parametrize("payload", [ELF_BYTES, EXE_BYTES], ids=["elf", "windows-exe"])
def test_a_renamed_executable_is_refused_and_nothing_is_filed(client, world, payload):
    response = file_a_problem(client, world, [SimpleUploadedFile("发票.pdf", payload)])
    assert response.status_code == 200
    assert "发票.pdf" in response.content.decode()
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_its_size(client, world, settings):
    settings.ATTACHMENT_MAX_SIZE = 1024
    big = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * 2048)
    response = file_a_problem(client, world, [big])
    assert response.status_code == 200
    assert (
        "1.0 KB" in response.content.decode()
        or "1.0 KB" in response.content.decode("utf-8")
        or "1.0\xa0KB" in response.content.decode()
    )
    assert not Ticket.objects.exists()


def test_more_than_five_files_are_refused(client, world):
    files = [SimpleUploadedFile(f"{n}.pdf", PDF_BYTES) for n in range(6)]
    response = file_a_problem(client, world, files)
    assert response.status_code == 200
    assert not Ticket.objects.exists()


def test_the_form_keeps_what_was_typed_when_a_file_is_refused(client, world):
    response = file_a_problem(client, world, [SimpleUploadedFile("x.pdf", ELF_BYTES)])
    page = response.content.decode()
    assert "变压器扩容" in page
    assert "新增生产线需要扩容。" in page
