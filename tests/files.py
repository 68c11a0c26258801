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
