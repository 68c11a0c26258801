"""Checks on uploaded files: size, count, and type judged by content, never by name; and the
name a file is kept and served under, whose extension is that of its content."""

from __future__ import annotations

from pathlib import PureWindowsPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from . import filetypes
from .filetypes import extension_for
from .validators import without_control_characters

ALLOWED_LABEL = filetypes.LABEL
BASE_NAME_LENGTH = 100


def attachment_name(client_name: str, content_type: str) -> str:
    """The client's base name, made safe, with the extension of the type the content showed:
    a PNG sent as `x.html` is `x.png`, a PDF sent as `invoice.exe` is `invoice.pdf`. Folders,
    control characters and anything but letters, digits, `-`, `_` and `.` go; the same name
    comes back unchanged, so the rule can be applied again when a file is served."""
    name = PureWindowsPath(without_control_characters(client_name)).name  # `/` and `\` alike
    stem = name.rsplit(".", 1)[0] if "." in name else name
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing left of it
        stem = ""
    stem = stem.strip("._-")[:BASE_NAME_LENGTH].rstrip("._-") or "attachment"
    return f"{stem}.{extension_for(content_type)}"


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
        content_type = filetypes.recognise(upload, upload.name or "")
        if content_type is None:
            raise ValidationError(
                _("“%(name)s” is not a file we accept. Accepted types: %(types)s."),
                code="bad_type",
                params={"name": upload.name, "types": ALLOWED_LABEL},
            )
        checked.append((upload, content_type))
    return checked
