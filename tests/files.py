"""Small real files for upload tests."""

import io

# A minimal valid PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The first bytes of an ELF executable, and of a Windows one.
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 120


def png_bytes() -> bytes:
    """A 1×1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


class Body(io.RawIOBase):
    """A request body made as it is read: `head`, then `size` filler bytes, then `tail`. It
    counts what the server read, so a test sends 300 MB without holding them, and can show
    that a refused body was never read. `on_read`, if given, is called at every read."""

    def __init__(self, head: bytes, size: int = 0, tail: bytes = b"", on_read=None) -> None:
        self.head, self.size, self.tail, self.on_read = head, size, tail, on_read
        self.length = len(head) + size + len(tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self.on_read is not None:
            self.on_read()
        n = self.length - self.position if n is None or n < 0 else n
        out = bytearray()
        while n > 0 and self.position < self.length:
            p = self.position
            if p < len(self.head):
                piece = self.head[p : p + n]
            elif p < len(self.head) + self.size:
                piece = b"0" * min(n, len(self.head) + self.size - p)
            else:
                q = p - len(self.head) - self.size
                piece = self.tail[q : q + n]
            out += piece
            self.position += len(piece)
            n -= len(piece)
        return bytes(out)


BOUNDARY = "qinqing-test-boundary"


def multipart(
    fields: dict[str, str], file_field: str, file_name: str, file_start: bytes, file_size: int
) -> tuple[bytes, int, bytes]:
    """(head, filler size, tail) of a multipart/form-data body with one file of `file_size`
    bytes that begins with `file_start` (for Body, with content type `multipart_type()`)."""
    head = b""
    for name, value in fields.items():
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    head += (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + file_start
    return head, file_size - len(file_start), f"\r\n--{BOUNDARY}--\r\n".encode()


def multipart_type() -> str:
    return f"multipart/form-data; boundary={BOUNDARY}"


# --- every attachment type, made here as real small files ----------------------------------

FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole2_bytes(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) with these streams at its root
    (each padded to 4 KB, so that it lives in the main FAT and no mini stream is needed) and
    these empty storages: what Word, Excel, PowerPoint and WPS write, down to its skeleton.
    olefile reads such files but cannot write them."""
    import struct

    import olefile

    sector = 512
    entries = [("Root Entry", 5, b"")]
    entries += [(name, 2, data.ljust(4096, b"\x00")) for name, data in streams.items()]
    entries += [(name, 1, b"") for name in storages]
    dir_sectors = -(-len(entries) * 128 // sector)
    data_sectors = [len(data) // sector for _, _, data in entries]
    total = 1 + dir_sectors + sum(data_sectors)
    assert total <= sector // 4, "one FAT sector is enough for a test file"
    fat = [FAT_SECTOR] + [n + 1 for n in range(1, dir_sectors)] + [END]
    starts = []
    for count in data_sectors:
        if count == 0:
            starts.append(END)
            continue
        first = len(fat)
        starts.append(first)
        fat += [first + n + 1 for n in range(count - 1)] + [END]
    fat += [FREE] * (sector // 4 - len(fat))

    directory = b""
    for index, (name, kind, data) in enumerate(entries):
        encoded = (name + "\x00").encode("utf-16-le")
        right = index + 1 if 0 < index < len(entries) - 1 else FREE
        child = 1 if index == 0 and len(entries) > 1 else FREE
        directory += (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", FREE, right, child)
            + b"\x00" * 16  # CLSID
            + b"\x00" * 4  # state bits
            + b"\x00" * 16  # creation and modification times
            + struct.pack("<IQ", starts[index], len(data))
        )
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    header = (
        olefile.MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    assert len(header) == sector
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    return header + body + b"".join(data for _, _, data in entries)


def doc_bytes() -> bytes:
    return ole2_bytes({"WordDocument": b"\xec\xa5", "1Table": b"", "\x05SummaryInformation": b""})


def xls_bytes() -> bytes:
    return ole2_bytes({"Workbook": b"\x09\x08\x10\x00", "\x05SummaryInformation": b""})


def ppt_bytes() -> bytes:
    return ole2_bytes({"PowerPoint Document": b"\x0f\x00", "Current User": b""})


def wps_bytes() -> bytes:
    """A WPS Writer file: Word's binary format, with the stream WPS adds."""
    return ole2_bytes({"WordDocument": b"\xec\xa5", "1Table": b"", "WpsCustomData": b""})


def et_bytes() -> bytes:
    """A WPS Spreadsheets file: Excel's binary format, with the stream WPS adds."""
    return ole2_bytes({"Workbook": b"\x09\x08\x10\x00", "WpsCustomData": b""})


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于变压器扩容的申请")
    document.save(buffer)
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    import pptx

    buffer = io.BytesIO()
    pptx.Presentation().save(buffer)
    return buffer.getvalue()


def ofd_bytes(root: str = "ofd:OFD") -> bytes:
    """An OFD package (GB/T 33190): OFD.xml at the root naming the document's root file."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns:ofd="http://www.ofdspec.org/2016"'
            ' Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID>'
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
            f"</{root}>",
        )
        archive.writestr(
            "Doc_0/Document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Document'
            ' xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1'
            "</ofd:MaxUnitID></ofd:CommonData><ofd:Pages/></ofd:Document>",
        )
    return buffer.getvalue()


def image_bytes(format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small photo-like picture in `format` (JPEG, PNG, HEIF: pillow-heif writes HEIC)."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    picture = Image.new("RGB", size, (200, 40, 40))
    picture.paste((30, 90, 200), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, format=format)
    return buffer.getvalue()
