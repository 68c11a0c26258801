"""The files enterprise staff actually have are accepted, each recognised by its content; images
and PDFs open in the browser for those who may see them, an iPhone photo as a JPEG."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests import files
from tickets.models import Attachment, Ticket

EVERY_TYPE = [
    ("申请.pdf", files.PDF_BYTES, "application/pdf", "pdf"),
    ("现场.jpg", files.image_bytes("JPEG"), "image/jpeg", "jpg"),
    ("现场.png", files.png_bytes(), "image/png", "png"),
    ("IMG_0001.HEIC", files.image_bytes("HEIF"), "image/heic", "heic"),
    ("情况说明.doc", files.doc_bytes(), "application/msword", "doc"),
    ("用电明细.xls", files.xls_bytes(), "application/vnd.ms-excel", "xls"),
    ("汇报.ppt", files.ppt_bytes(), "application/vnd.ms-powerpoint", "ppt"),
    ("情况说明.wps", files.wps_bytes(), "application/wps-office.wps", "wps"),
    ("用电明细.et", files.et_bytes(), "application/wps-office.et", "et"),
    (
        "情况说明.docx",
        files.docx_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "用电明细.xlsx",
        files.xlsx_bytes(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    (
        "汇报.pptx",
        files.pptx_bytes(),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ("电子发票.ofd", files.ofd_bytes(), "application/ofd", "ofd"),
]


def file_a_problem(client, world, uploads):
    client.force_login(world.enterprise_user)
    return client.post(
        reverse("tickets:create"),
        {
            "category": world.category.pk,
            "title": "变压器扩容",
            "description": "新增生产线需要扩容。",
            "attachments": uploads,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    EVERY_TYPE,
    ids=[row[3] for row in EVERY_TYPE],
)
def test_each_kind_of_file_people_have_is_kept_as_what_its_content_is(
    client, world, name, content, content_type, extension
):
    response = file_a_problem(client, world, [SimpleUploadedFile(name, content)])
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.download_name.endswith(f".{extension}")
    download = client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("发票.pdf", files.ELF_BYTES),
        # A zip named as a Word file, with none of a document's parts.
        ("合同.docx", files.ofd_bytes().replace(b"OFD.xml", b"ABC.xml")),
        # A Word file with macros inside, named as a plain document.
        ("通知.doc", files.ole2_bytes({"WordDocument": b"\xec\xa5"}, storages=("Macros",))),
        # An OLE2 file that is no Office document (a Windows installer's skeleton).
        ("安装.xls", files.ole2_bytes({"\x05DigitalSignature": b"x"})),
        # A zip whose OFD.xml is not an OFD document.
        ("电子发票.ofd", files.ofd_bytes(root="ofd:Other")),
        # A text file whose first bytes pretend to be a PNG's.
        ("现场.png", b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"),
        # HEIC's box header with nothing an image decoder can read behind it.
        ("IMG_0002.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64),
    ],
    ids=["elf-as-pdf", "zip-as-docx", "macros", "other-ole2", "not-ofd", "fake-png", "fake-heic"],
)
def test_a_disguised_file_is_refused_with_its_name_and_nothing_is_filed(
    client, world, name, content
):
    response = file_a_problem(client, world, [SimpleUploadedFile(name, content)])
    assert response.status_code == 200
    page = response.content.decode()
    assert name in page
    assert "OFD" in page  # the message lists what is accepted
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_a_wps_file_sent_with_a_word_name_is_kept_as_a_word_document(client, world):
    """WPS writes Word's binary format: the content says "Word document", the name chooses
    between .doc and .wps only."""
    file_a_problem(client, world, [SimpleUploadedFile("情况说明.doc", files.wps_bytes())])
    assert Attachment.objects.get().content_type == "application/msword"


@pytest.fixture
def attached(client, world):
    uploads = [
        SimpleUploadedFile("申请.pdf", files.PDF_BYTES),
        SimpleUploadedFile("现场.png", files.png_bytes()),
        SimpleUploadedFile("IMG_0001.heic", files.image_bytes("HEIF", (80, 60))),
        SimpleUploadedFile("明细.xlsx", files.xlsx_bytes()),
    ]
    assert file_a_problem(client, world, uploads).status_code == 302
    client.logout()
    return {a.download_name.rsplit(".", 1)[1]: a for a in Attachment.objects.all()}


def view(client, attachment):
    return client.get(reverse("tickets:attachment_view", args=[attachment.pk]))


@pytest.mark.parametrize(
    ("kind", "content_type"), [("pdf", "application/pdf"), ("png", "image/png")]
)
def test_pdfs_and_images_open_in_the_browser_sandboxed(client, world, attached, kind, content_type):
    client.force_login(world.official)
    response = view(client, attached[kind])
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_spreadsheet_is_downloaded_even_from_the_view_link(client, world, attached):
    client.force_login(world.enterprise_user)
    response = view(client, attached["xlsx"])
    assert response["Content-Disposition"].startswith("attachment")


def test_an_iphone_photo_is_shown_as_a_jpeg_converted_once(client, world, attached, settings):
    client.force_login(world.enterprise_user)
    response = view(client, attached["heic"])
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (picture.format, picture.size) == ("JPEG", (80, 60))
    previews = list((settings.MEDIA_ROOT / "previews").iterdir())
    assert len(previews) == 1
    stamp = previews[0].stat().st_mtime_ns
    view(client, attached["heic"])  # served from the kept JPEG, not converted again
    assert [p.stat().st_mtime_ns for p in (settings.MEDIA_ROOT / "previews").iterdir()] == [stamp]
    # The original is still what a download gives.
    download = client.get(reverse("tickets:attachment", args=[attached["heic"].pk]))
    assert download["Content-Type"] == "image/heic"


@pytest.mark.parametrize("persona", ["other_enterprise_user", "unrelated_official"])
def test_someone_who_may_not_see_the_ticket_gets_not_found_for_the_inline_view_too(
    client, world, attached, persona
):
    client.force_login(getattr(world, persona))
    for attachment in attached.values():
        assert view(client, attachment).status_code == 404
        assert client.get(reverse("tickets:attachment", args=[attachment.pk])).status_code == 404


def test_the_ticket_page_shows_the_pictures_and_offers_the_pdf_in_the_browser(
    client, world, attached
):
    client.force_login(world.enterprise_user)
    ticket = Ticket.objects.get()
    page = client.get(ticket.get_absolute_url()).content.decode()
    for kind in ("png", "heic"):
        assert f'src="{reverse("tickets:attachment_view", args=[attached[kind].pk])}"' in page
    assert f'href="{reverse("tickets:attachment_view", args=[attached["pdf"].pk])}"' in page
    assert f'src="{reverse("tickets:attachment_view", args=[attached["xlsx"].pk])}"' not in page
