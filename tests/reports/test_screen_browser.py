"""The big screen in headless Chromium at 1920×1080: ECharts draws both charts under the
Content-Security-Policy, the page fits the screen's width, the console stays clean, and the
figures are fetched again by the page itself."""

import os
import re

import pytest

from tests.browser.test_journey import log_in

from .conftest import WEEK, at
from .test_dashboard_browser import default_categories  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FULL_HD = {"width": 1920, "height": 1080}


@pytest.fixture
def screen_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=FULL_HD)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_the_screen_draws_its_charts_on_a_full_hd_screen_without_scrolling_sideways(
    screen_page,
    live_server,
    default_categories,  # noqa: F811
    world,
    desk,
):
    desk.solved(at("2025-03-10"))
    desk.solved(at("2025-03-12"), enterprise=world.other_enterprise)
    desk.accept(desk.file(at("2025-03-13")), at("2025-03-13", 11))
    page = screen_page
    log_in(page, live_server, "leader")
    page.clock.install()  # the page's minute, run at once below
    page.goto(f"{live_server.url}/reports/screen/?start={WEEK.start}&end={WEEK.end}")
    page.wait_for_selector("#screen-trend canvas")
    page.wait_for_selector("#screen-ranking canvas")
    assert page.inner_text(".screen-tile[data-code=accepted] [data-field=value]") == "3"
    assert page.locator("#screen-overdue li").count() == 1  # the accepted, unsolved one
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert page.evaluate("document.body.scrollHeight <= window.innerHeight")
    # A minute later the page has fetched its figures again and written the time anew.
    page.evaluate("document.getElementById('screen-updated-time').textContent = ''")
    page.clock.run_for(61_000)
    page.locator("#screen-updated-time").filter(has_text=re.compile(r"^\d\d:\d\d$")).wait_for()
    assert "stale" not in page.get_attribute("#screen-updated", "class")
    assert page.errors == []
