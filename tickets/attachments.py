"""Checks on uploaded files: size, count, and type judged by content, never by name."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What the content says → the MIME type we store and serve it as.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ALLOWED_LABEL = "PDF, JPEG, PNG, DOCX, XLSX"


def sniff_type(upload: UploadedFile) -> str | None:
    """The MIME type the file's bytes show, if it is one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    return ALLOWED_TYPES.get(kind.extension)


def validate_attachments(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Each file with the content type its bytes show; a clear error for the first bad one."""
    limit = settings.ATTACHMENT_MAX_COUNT
    if len(files) > limit:
        raise ValidationError(
            _("You can attach at most %(limit)d files; you chose %(count)d."),
            code="too_many",
            params={"limit": limit, "count": len(files)},
        )
    checked = []
    for upload in files:
        if upload.size > settings.ATTACHMENT_MAX_SIZE:
            raise ValidationError(
                _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.ATTACHMENT_MAX_SIZE),
                },
            )
        if upload.size == 0:
            raise ValidationError(
                _("“%(name)s” is empty."), code="empty", params={"name": upload.name}
            )
        content_type = sniff_type(upload)
        if content_type is None:
            raise ValidationError(
                _("“%(name)s” is not a file we accept. Accepted types: %(types)s."),
                code="bad_type",
                params={"name": upload.name, "types": ALLOWED_LABEL},
            )
        checked.append((upload, content_type))
    return checked
