"""The dashboard in headless Chromium: ECharts draws both charts under the Content-Security-
Policy (no inline script or style), and a headline number leads to as many tickets."""

import importlib
import os
import re

import pytest

from tests.browser.test_journey import log_in, page  # noqa: F401 (fixtures)

from .conftest import WEEK, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def default_categories(transactional_db):
    """Another browser test's flush empties the tables the data migrations filled: the default
    categories are put back by the migration's own function (it only adds what is missing)."""
    from django.apps import apps

    migration = importlib.import_module("enterprises.migrations.0002_default_categories")
    migration.create(apps, None)


def test_the_charts_are_drawn_and_a_number_opens_its_list(
    page,  # noqa: F811 (the imported fixture)
    live_server,
    default_categories,
    world,
    desk,
):
    desk.solved(at("2025-03-10"))
    desk.solved(at("2025-03-12"), enterprise=world.other_enterprise)
    desk.accept(desk.file(at("2025-03-13")), at("2025-03-13", 11))
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/reports/?start={WEEK.start}&end={WEEK.end}")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#district-chart canvas")
    accepted = page.locator("[data-testid=headline] a.figure-link[data-figure=accepted]").first
    assert accepted.inner_text() == "3"
    accepted.click()
    page.wait_for_selector("[data-testid=result-count]")
    assert re.findall(r"\d+", page.inner_text("[data-testid=result-count]")) == ["3"]
