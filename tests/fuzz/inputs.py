"""What the fuzz test sends: odd values, odd files, and requests built from what a page reads.

A parameter's value is, most of the time, one of the values the page itself offers (a choice
of its form, a value in one of its links, a date of today), so that a request gets past the
fields it does not fuzz; otherwise it is odd: text with NUL and control characters, very long
strings, huge and negative numbers, dates at the ends of the calendar or not in it, ISO weeks
that do not exist, time-zone offsets PostgreSQL refuses, injection-like text, nested brackets.
Parameters are left out, repeated, or joined by names the page never asked for.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.files import PDF_BYTES, png_bytes, xlsx_bytes

ODD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "-2026-01-01",
    "99999-01-01",
    "1899-12-31",
    "2101-01-01",
    "9000-12-31",
    "2026-1-1",
    "20260101",
    "2026/11/05",
    "2026-11-05T08:15:30",
    "9999-W53",
    "9999-W52",
    "9999-W01",
    "0001-W01",
    "2026-W00",
    "2026-W53",
    "2026-W54",
    "2020-W53",
    "2026-w05",
    "W05",
]
ODD_MOMENTS = [
    "2026-11-05T08:15:30+16:00",
    "2026-11-05T08:15:30-16:00",
    "2026-11-05T08:15:30+23:59",
    "2026-11-05T08:15:30+15:59",
    "2026-11-05T08:15:30-99:99",
    "2026-11-05 08:15:30 08:00",
    "2026-11-05T08:15:30Z",
    "2026-11-05T24:00:00+08:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "2026-11-05T08:15:30.9999999999+08:00",
]
ODD_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-Infinity",
    "9" * 20,
    "-" + "9" * 20,
    "9" * 400,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "0x1F",
    "1_000",
    "1,5",
    "1.5",
    "１２",  # full-width digits
    "٣",  # an Arabic-Indic digit
    "+5",
    " 5 ",
]
INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE tickets_ticket; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "{{ 7*7 }}",
    "{% debug %}",
    "${jndi:ldap://127.0.0.1/a}",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    '=HYPERLINK("http://evil.example")',
    "=cmd|' /C calc'!A0",
    "%00",
    "%s%s%s%n",
    "\r\nSet-Cookie: a=b",
    "\u202eexe.pdf",
    "\ufeff",
    "admin'--",
    "*",
    "%",
    "_",
    "\\",
    "[]",
    "{}",
    "null",
    "true",
    "__all__",
]
BRACKETS = [
    "[" * 100_000,
    "[" * 2000 + "]" * 2000,
    "{" * 10_000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    "(" * 1000,
]
CONTROL = ["\x00", "\x00abc", "abc\x00", "\x01\x02\x03", "\x1b[31m", "\x7f", "\t", "\r\n"]

# Text from all of Unicode but lone surrogates (which cannot be sent as UTF-8 at all).
_characters = st.characters(exclude_categories=["Cs"])
_short_text = st.text(_characters, max_size=40)
_long_text = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["a", "测", "9", " ", "\x00", "ab\x00", "<", "'", "\u0301"]),
    st.integers(min_value=256, max_value=100_000),
)
odd_values = st.one_of(
    _short_text,
    _short_text.map(lambda text: text + "\x00"),
    _long_text,
    st.integers().map(str),
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from(ODD_DATES),
    st.sampled_from(ODD_MOMENTS),
    st.sampled_from(INJECTIONS),
    st.sampled_from(BRACKETS),
    st.sampled_from(CONTROL),
)
# Names a page never asked for.
odd_names = st.one_of(
    st.sampled_from(["", "a", "x[]", "a[b]", "__proto__", "测试", "format", "lang", "_popup"]),
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
)


def _usable_file_name(name: str) -> bool:
    """What a browser can send as a file's name (the test client refuses the rest)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base not in ("", ".", "..") and not any(c in name for c in '\r\n"')


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


_file_names = st.one_of(
    st.sampled_from(
        [
            "负荷.pdf",
            "x.png",
            "x.html",
            "invoice.exe",
            "a.xlsx",
            "a.csv",
            "noext",
            ".htaccess",
            "../../etc/passwd",
            "a\x00.pdf",
            "a" * 300 + ".pdf",
            "名称" * 100 + ".png",
            "a.PDF",
            "a.pdf.exe",
        ]
    ),
    _short_text.filter(_usable_file_name),
)
_csv_text = st.lists(
    st.lists(odd_values.filter(lambda v: len(v) < 300), min_size=1, max_size=12).map(",".join),
    max_size=4,
).map("\n".join)
_file_contents = st.one_of(
    st.just((PDF_BYTES, "application/pdf")),
    st.just((png_bytes(), "image/png")),
    st.just((xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
    st.just((b"", "application/octet-stream")),
    st.binary(max_size=2000).map(lambda data: (data, "application/octet-stream")),
    _csv_text.map(lambda text: (text.encode("utf-8", "surrogatepass"), "text/csv")),
    _csv_text.map(lambda text: (text.encode("gb18030", "replace"), "text/csv")),
    st.just((b"PK\x03\x04" + b"\x00" * 200, "application/zip")),
    st.just((b"%PDF-1.4\n" + b"[" * 5000, "application/pdf")),
)
odd_files = st.builds(lambda name, content: _upload(name, *content), _file_names, _file_contents)


def typical_value(field) -> list[str]:
    """Values a person would type into a form field without choices, so that a request gets
    past it to the field being fuzzed."""
    from django import forms

    today = dt.date.today()
    if isinstance(field, forms.DateTimeField):
        return [f"{today:%Y-%m-%d} 10:00"]
    if isinstance(field, forms.DateField):
        return [today.isoformat(), (today - dt.timedelta(days=3)).isoformat()]
    if isinstance(field, forms.BooleanField):
        return ["on", "true", ""]
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return ["1", "3", "12.5"]
    if isinstance(field, forms.EmailField):
        return ["chen.jing@example.cn"]
    if isinstance(field, forms.CharField):
        return ["园区频繁停电影响生产", "13800000000"]
    return []


@st.composite
def parameters(draw, names: dict[str, list], *, files: frozenset = frozenset()) -> dict:
    """A query or a form: each known name mostly present, mostly with a value the page offers,
    sometimes repeated; now and then a name the page never asked for."""
    data: dict[str, list] = {}
    for name, samples in sorted(names.items()):
        if not draw(st.integers(0, 5)):  # one time in six: left out
            continue
        if name in files:
            value = st.one_of(odd_files, st.just(None))
        elif samples:
            value = st.one_of(st.sampled_from(samples), st.sampled_from(samples), odd_values)
        else:
            value = odd_values
        values = [v for v in draw(st.lists(value, min_size=1, max_size=3)) if v is not None]
        if values:
            data[name] = values
    for name in draw(st.lists(odd_names, max_size=2)):
        data.setdefault(name, [draw(odd_values)])
    return data


# The sweep: each parameter alone meets each of these (tests/fuzz/test_pages_never_answer_5xx.py).
KILLERS = [
    "",
    "\x00",
    "测\x00试",
    "9" * 30,
    "-1",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "9999-W52",
    "2026-11-05T08:15:30+16:00",
    "[" * 100_000,
    "' OR '1'='1",
    "测" * 5000,
]


# On Django's own pages (the admin), many and slower, each parameter gets "" and NUL and one of
# these in turn.
ADMIN_KILLERS = ["9999-12-31", "9" * 30, "[" * 100_000, "' OR '1'='1"]


def KILLER_FILES() -> list[SimpleUploadedFile]:
    return [
        _upload("a\x00.pdf", PDF_BYTES, "application/pdf"),
        _upload("../../x.html", png_bytes(), "image/png"),
        _upload("empty.xlsx", b"", "application/octet-stream"),
        _upload("a.csv", "名称,\x00,=1+1\n".encode() * 3, "text/csv"),
    ]
