"""How an attachment is shown in the browser: images and PDFs as they are, HEIC/HEIF photos
converted to JPEG (only Safari shows HEIC), once, and kept beside the uploads for the next view."""

from __future__ import annotations

import io
import logging
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .filetypes import CONVERTED_TYPES
from .models import Attachment

logger = logging.getLogger(__name__)

# A converted photo's longer side: enough for a phone or a desk screen, small to send.
PREVIEW_SIDE = 2048
PREVIEW_QUALITY = 85


def preview_name(attachment: Attachment) -> str:
    """Where the converted JPEG of `attachment` is kept (under MEDIA_ROOT, never served but
    through the attachment view)."""
    return f"previews/{attachment.file.name.rsplit('/', 1)[-1].rsplit('.', 1)[0]}.jpg"


def display_file(attachment: Attachment) -> tuple[IO[bytes], str] | None:
    """The file to show for `attachment` and its type, or None when it is not shown inline (or a
    photo cannot be converted: then it is only downloaded)."""
    if not attachment.opens_inline:
        return None
    if attachment.content_type not in CONVERTED_TYPES:
        return attachment.file.open("rb"), attachment.content_type
    name = preview_name(attachment)
    if not default_storage.exists(name):
        try:
            jpeg = _to_jpeg(attachment)
        except Exception:  # a photo libheif cannot decode is downloaded instead
            logger.warning("Could not convert attachment %s for display", attachment.pk)
            return None
        # Two first views at once both convert; the second one's copy gets a name of its own.
        name = default_storage.save(name, ContentFile(jpeg))
    return default_storage.open(name, "rb"), "image/jpeg"


def _to_jpeg(attachment: Attachment) -> bytes:
    import pillow_heif  # only when a HEIC photo is first shown (and Pillow with it)
    from PIL import Image, ImageOps

    with attachment.file.open("rb") as source:
        heif = pillow_heif.open_heif(source, convert_hdr_to_8bit=True)
        width, height = heif.size
        if Image.MAX_IMAGE_PIXELS and width * height > 2 * Image.MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(f"{width}x{height} pixels")
        picture = heif.to_pillow()
    picture = ImageOps.exif_transpose(picture).convert("RGB")
    picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=PREVIEW_QUALITY, optimize=True)
    return buffer.getvalue()
