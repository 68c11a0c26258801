"""No English in the Chinese interface (issue 11): every page of the URL conf, as every persona
who reaches it (tests/conftest.PERSONAS, and the system administrator on the admin), rendered
in zh-hans, shows no Latin-letter word outside an allow-list: ticket numbers, USCCs, URLs,
e-mail addresses, file names, and the few names an office writes in Latin letters (Excel, API).
An empty choice of a select reads Chinese too, never "---------". Text marked as another
language (lang="en": the language switch's "English") is the user's way out, not a leak.

The pages and their data are the fuzz test's (tests/fuzz: the walk of the URL conf, its scene
with a ticket in every status, a dispatch, bulletins and an Open311 request); what the user sees
is the text of the page and the attributes a person reads (placeholder, title, aria-label, alt,
a button's value), not scripts, styles or <code>.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.fuzz.scene import path_values, scene  # noqa: F401 (scene is a fixture)
from tests.fuzz.test_pages_never_answer_5xx import (
    ROUTES,
    personas_for,
    skipped,
)

# Words an office writes in Latin letters in a Chinese page.
ALLOWED_WORDS = {"Excel", "API", "Open311", "GeoReport", "JSON", "XML", "PDF", "JPEG", "PNG"}
ALLOWED_WORDS |= {"Word", "WPS", "OFD", "HEIC", "HEIF", "docx", "xlsx", "csv", "Swagger", "ID"}
ALLOWED_WORDS |= {"DOCX", "XLSX", "JPG", "KB", "MB", "GB", "OpenAPI", "REST", "Token"}
ALLOWED_WORDS |= {"txt", "UTF", "GBK"}  # a file's kind and encodings (the holiday notice)
ALLOWED_WORDS |= {"DOC", "XLS", "PPT", "PPTX", "ET"}  # the attachment types accepted
ALLOWED_WORDS |= {"English"}  # the language's own name, where one chooses it (e-mails' language)
# Text that is Latin by nature: ticket numbers, USCCs, ISO weeks in links, URLs, e-mail
# addresses, file names, user names (log-in names are Latin), times such as 08:00.
ALLOWED_PATTERNS = [
    r"\b[A-Z]{2}-\d{4}-\d{6}\b",  # ZQ-2026-000123
    r"\b[0-9A-HJ-NPQRTUWXY]{18}\b",  # a USCC
    r"https?://\S+",
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+",
    r"[\w\-\u4e00-\u9fff]+\.(pdf|png|jpe?g|docx?|xlsx?|csv|pptx?|wps|et|ofd|heic|heif)\b",
    r"\b\d{4}-W\d{2}\b",
]
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "template"}


class _VisibleText(HTMLParser):
    """What a person reads of a page: its text and the attributes above."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.empty_options: list[str] = []
        self._option_value: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        lang = attrs.get("lang")
        other_language = lang is not None and not lang.lower().startswith("zh")
        if tag in SKIPPED_ELEMENTS or attrs.get("translate") == "no" or other_language:
            self.skipping.append(tag)
        if self.skipping:
            return
        self.parts += [value for name, value in attrs.items() if name in READ_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])
        self._option_value = attrs.get("value") if tag == "option" else None

    def handle_endtag(self, tag) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data) -> None:
        if self.skipping:
            return
        self.parts.append(data)
        if self._option_value == "" and data.strip():
            self.empty_options.append(data.strip())
            self._option_value = None


def english_words(html: str, usernames: set[str]) -> tuple[set[str], set[str]]:
    """(Latin words outside the allow-list, empty choices that read like "---------")."""
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for pattern in ALLOWED_PATTERNS:
        text = re.sub(pattern, " ", text)
    words = {w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS | usernames}
    dashes = {o for o in parser.empty_options if set(o) <= set("-— ")}
    return words, dashes


def _pages():
    for route in ROUTES:
        if skipped(route) or route.key.startswith(("api/v1/", "open311/", "admin/")):
            # The API and Open311 answer JSON and XML, for machines. The admin is Django's
            # own (and its add-ons'), for the system administrator and the office's master data.
            continue
        yield route


@pytest.mark.parametrize("route", list(_pages()), ids=str)
def test_no_english_word_on_a_chinese_page(route, scene, db, settings):  # noqa: F811
    settings.MEDIA_ROOT = scene.media_root
    usernames = {  # data, not interface: the words of the log-in names an actor is shown by
        word
        for name in get_user_model().objects.values_list("username", flat=True)
        for word in LATIN_WORD.findall(name)
    }
    found: dict[str, set[str]] = {}
    for persona in personas_for(scene, route):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if (user := scene.users[persona]) is not None:
            client.force_login(user)
        for kwargs in path_values(scene, route, persona):
            response = client.get(route.path(kwargs))
            if response.status_code != 200 or response.streaming:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            words, dashes = english_words(response.content.decode(), usernames)
            if words or dashes:
                found[f"{persona} {route.path(kwargs)}"] = words | dashes
    assert found == {}, f"English on the Chinese pages of {route.key}: {found}"


def test_the_leaders_first_page_is_checked_with_everything_waiting_on_it(scene, db):  # noqa: F811
    """The walk above reaches the leader's dashboard; the scene gives it an extension request,
    an escalation and an overdue problem, so each part of 待我处理 is read in Chinese."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(scene.users["leader"])
    page = client.get("/", follow=True).content.decode()
    for part in ("pending-extensions", "pending-escalated", "pending-overdue"):
        assert f'data-testid="{part}"' in page, part
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert english_words(page, usernames) == (set(), set())


def test_the_check_finds_english_and_lets_numbers_and_files_through():
    html = (
        "<p>诉求 ZQ-2026-000123 附件 负荷说明.pdf 已办结</p><code>uscc</code><select>"
        '<option value="">---------</option></select><button aria-label="Menu">'
        '</button><script>var x = "nothing";</script><p>1 working days left</p>'
        '<button lang="en">English</button>'
    )
    words, dashes = english_words(html, set())
    assert words == {"Menu", "working", "days", "left"}
    assert dashes == {"---------"}
