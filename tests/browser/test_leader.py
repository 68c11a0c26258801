"""A leader's first page, in headless Chromium: it logs in, lands on its dashboard under
"待我处理", sees an extension request and a problem escalated to it, and approves the extension
where it stands."""

import os

import pytest
from django.urls import reverse

from tests.browser.test_journey import log_in, page  # noqa: F401 (page is a fixture)
from tests.reports.test_leader_first_page import waiting  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread


def test_a_leader_lands_on_what_waits_and_approves_an_extension_in_place(
    page,  # noqa: F811
    live_server,
    world,
    waiting,  # noqa: F811
):
    extension, escalated = waiting["extension"], waiting["escalated"]
    due = extension.completion_due

    log_in(page, live_server, "leader")

    assert page.url == f"{live_server.url}{reverse('reports:dashboard')}"
    panel = page.locator("[data-testid=pending]")
    assert "待我处理" in panel.inner_text()
    requests = panel.locator("[data-testid=pending-extensions]")
    assert extension.number in requests.inner_text() and "设备下月到货" in requests.inner_text()
    escalations = panel.locator("[data-testid=pending-escalated]")
    assert escalated.number in escalations.inner_text()
    assert "厂区道路规划调整" in escalations.inner_text()
    assert page.locator(f"a[href='{reverse('tickets:create')}']").count() == 0

    row = requests.locator(f"[data-ticket='{extension.number}']")
    row.locator("[data-testid=pending-approve_extension] summary").click()
    row.locator("[data-testid=pending-approve_extension] [type=submit]").click()

    page.wait_for_selector("text=已完成：批准延期")
    assert page.url.startswith(f"{live_server.url}{reverse('reports:dashboard')}")
    assert page.locator("[data-testid=pending-extensions]").count() == 0
    assert escalated.number in page.inner_text("[data-testid=pending-escalated]")
    extension.refresh_from_db()
    assert extension.extension_days is None and extension.completion_due > due
