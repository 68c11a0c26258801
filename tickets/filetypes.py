"""What an uploaded file is, judged by its content, never by its name.

Each type we accept is recognised by the structure that makes it that type, not by a few first
bytes that a renamed file could share:
- PDF, JPEG, PNG: their signatures (the `filetype` library); a picture that Pillow reads to
  its end; a PDF with its version line and its end-of-file marker.
- HEIC/HEIF (iPhone photos): an ISO-BMFF `ftyp` of an image brand that libheif (pillow-heif)
  actually opens.
- .docx .xlsx .pptx: a zip whose `[Content_Types].xml` gives the main part the content type of a
  document, workbook or presentation without macros, and which holds that part.
- OFD (GB/T 33190, the national electronic-document format): a zip with `OFD.xml` whose root is
  the OFD element.
- .doc .xls .ppt and WPS's .wps .et: OLE2 compound files (olefile) with the stream of a Word
  document, a workbook or a presentation. WPS writes the same binary formats, so the content
  cannot tell a .wps from a .doc, nor an .et from an .xls: there, and only there, the client's
  extension chooses between the two. Macros (a `Macros` or `_VBA_PROJECT_CUR` storage) are refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

import filetype
import olefile
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# Content type → the extension a file of that type is kept and served under.
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heif",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/wps-office.wps": "wps",
    "application/wps-office.et": "et",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/ofd": "ofd",
}
LABEL = "PDF, OFD, JPEG, PNG, HEIC, DOC, DOCX, XLS, XLSX, PPT, PPTX, WPS, ET"
# Shown on the ticket page (images) or opened in the browser (PDF), rather than downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/heic", "image/heif"})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/heic", "image/heif"})
# Converted to JPEG for display: browsers other than Safari do not show HEIC.
CONVERTED_TYPES = frozenset({"image/heic", "image/heif"})

SIGNATURES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG"}

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFD_NS = "{http://www.ofdspec.org/2016}"
# The largest XML part we parse to decide (a real [Content_Types].xml or OFD.xml is a few KB).
_XML_PART_LIMIT = 1024 * 1024

# ISO-BMFF brands of HEIF images (HEVC-coded: heic and friends; any codec: mif1, msf1).
_HEIC_BRANDS = {"heic", "heix", "heim", "heis", "hevc", "hevx"}
_HEIF_BRANDS = {"mif1", "msf1"}

# OLE2 streams that make a file a Word document, a workbook or a presentation, and the type it
# is with the client's extension (WPS's own when the name says so).
_OLE_KINDS = [
    (["WordDocument"], {"wps": "application/wps-office.wps"}, "application/msword"),
    (["Workbook", "Book"], {"et": "application/wps-office.et"}, "application/vnd.ms-excel"),
    (["PowerPoint Document"], {}, "application/vnd.ms-powerpoint"),
]
_OLE_MACROS = {"macros", "_vba_project_cur", "_vba_project", "vba"}


def extension_for(content_type: str) -> str:
    """The extension of a type we accept (`bin` for anything else, which we never keep)."""
    return EXTENSIONS.get(content_type, "bin")


def recognise(file: IO[bytes], client_name: str = "") -> str | None:
    """The content type `file`'s bytes show, if it is one we accept; None otherwise. The file is
    read from its start and left at its start."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    try:
        if head.startswith(olefile.MAGIC):
            return _ole_type(file, _client_extension(client_name))
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        if head[4:8] == b"ftyp":
            return _heif_type(file, head)
        kind = filetype.guess(head)
        content_type = SIGNATURES.get(kind.extension) if kind is not None else None
        if content_type == "application/pdf":
            return content_type if _pdf_complete(file) else None
        if content_type is not None:
            return content_type if _picture_intact(file, kind.extension) else None
        return None
    except Exception:  # any file a parser chokes on is simply not one we accept
        return None
    finally:
        file.seek(0)


def _pdf_complete(file: IO[bytes]) -> bool:
    """A PDF's version line and its end-of-file marker near the end (a truncated upload or a
    file with a PDF's first bytes and something else behind them has none)."""
    file.seek(0)
    if re.match(rb"%PDF-[12]\.\d", file.read(8)) is None:
        return False
    file.seek(0, io.SEEK_END)
    file.seek(max(0, file.tell() - 2048))
    return b"%%EOF" in file.read()


def _picture_intact(file: IO[bytes], extension: str) -> bool:
    """A JPEG or PNG that Pillow reads to its end, of the format its signature claims."""
    from PIL import Image  # only when a picture comes in: 5 MB that most workers never need

    file.seek(0)
    with Image.open(file) as picture:
        picture.verify()
        return PILLOW_FORMATS[extension] == picture.format


def _client_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ole_type(file: IO[bytes], client_extension: str) -> str | None:
    with olefile.OleFileIO(file) as ole:
        entries = ole.listdir(streams=True, storages=True)
        names = {part.lower() for path in entries for part in path}
        if names & _OLE_MACROS:
            return None
        for streams, by_extension, default in _OLE_KINDS:
            if any(
                ole.exists(stream) and ole.get_type(stream) == olefile.STGTY_STREAM
                for stream in streams
            ):
                return by_extension.get(client_extension, default)
    return None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _XML_PART_LIMIT:
        return None
    with archive.open(info) as part:
        return part.read(_XML_PART_LIMIT + 1)[:_XML_PART_LIMIT]


def _zip_type(file: IO[bytes]) -> str | None:
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" in names:
            return _ooxml_type(archive, names)
        if "OFD.xml" in names:
            return _ofd_type(archive)
    return None


def _ooxml_type(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    raw = _read_part(archive, "[Content_Types].xml")
    if raw is None:
        return None
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, DefusedXmlException):
        return None
    found = None
    for override in root.iter(f"{_CONTENT_TYPES_NS}Override"):
        document_type = _OOXML_MAIN.get(override.get("ContentType", ""))
        part = override.get("PartName", "").lstrip("/")
        if document_type is not None and part in names:
            if found is not None and found != document_type:
                return None  # two kinds of main part: not a document any program writes
            found = document_type
    return found


def _ofd_type(archive: zipfile.ZipFile) -> str | None:
    raw = _read_part(archive, "OFD.xml")
    if raw is None:
        return None
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, DefusedXmlException):
        return None
    return "application/ofd" if root.tag == f"{_OFD_NS}OFD" else None


def _heif_type(file: IO[bytes], head: bytes) -> str | None:
    size = int.from_bytes(head[:4], "big")
    ftyp = head[8 : min(size, len(head))]
    major = ftyp[:4].decode("latin-1")
    brands = {major} | {ftyp[i : i + 4].decode("latin-1") for i in range(8, len(ftyp) - 3, 4)}
    if not brands & (_HEIC_BRANDS | _HEIF_BRANDS) or major in {"avif", "avis"}:
        return None
    import pillow_heif  # only when a file claims to be HEIC/HEIF

    image = pillow_heif.open_heif(file, convert_hdr_to_8bit=True)
    if image.size[0] < 1 or image.size[1] < 1:
        return None
    return "image/heic" if brands & _HEIC_BRANDS else "image/heif"
