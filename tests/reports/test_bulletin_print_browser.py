"""The bulletin's page printed by Chromium: A4, no web chrome, a ten-district city on two or
three pages."""

import importlib
import os
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.browser.test_journey import log_in, page  # noqa: F401 (page is a fixture)

from .test_bulletin_document import ten_district_bulletin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def default_categories(transactional_db):
    """Put back the default categories another browser test's flush emptied."""
    from django.apps import apps

    migration = importlib.import_module("enterprises.migrations.0002_default_categories")
    migration.create(apps, None)


def test_the_printed_page_of_a_ten_district_bulletin_has_two_or_three_pages_and_no_chrome(
    page,  # noqa: F811 (the imported fixture)
    live_server,
    default_categories,
    world,
    desk,
):
    ten_district_bulletin(world, desk)
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/reports/bulletins/2025-W11/")
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.locator("[data-testid=docx]").is_visible()
    assert page.locator("[data-testid=bulletin]").is_visible()
    printed = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True)))
    texts = [p.extract_text() for p in printed.pages]
    print(f"ten-district bulletin printed by Chromium: {len(texts)} pages")
    assert 2 <= len(texts) <= 3
    assert all(len(text.strip()) > 50 for text in texts)  # no empty page
