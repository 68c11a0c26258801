"""A leader's first page, in headless Chromium: it logs in, lands on its dashboard under
"待我处理", sees an extension request and a problem escalated to it, and approves the extension
where it stands."""

import os

import pytest
from django.urls import reverse

from enterprises.models import Coverage, Enterprise
from tests import factories as f
from tests.browser.test_journey import log_in, page  # noqa: F401 (page is a fixture)
from tickets.models import Action, Status
from tickets.services import ticket_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread


@pytest.fixture
def waiting(world, make_ticket):
    extension = ticket_transition(
        ticket=make_ticket(Status.IN_PROGRESS, title="扩容变压器需延期"),
        actor=world.official,
        action=Action.REQUEST_EXTENSION,
        days=5,
        note="设备下月到货",
    )
    big: Enterprise = f.EnterpriseFactory(  # type: ignore[assignment]
        name="一汽解放集团", district=world.district, revenue_tier="a"
    )
    Coverage.objects.create(official=world.leader.official, enterprise=big, role="primary")
    escalated = ticket_transition(
        ticket=make_ticket(Status.IN_PROGRESS, enterprise=big, title="厂区道路规划调整"),
        actor=world.office,
        action=Action.ESCALATE,
        note="需市领导协调规划部门",
    )
    return extension, escalated


def test_a_leader_lands_on_what_waits_and_approves_an_extension_in_place(
    page,  # noqa: F811
    live_server,
    world,
    waiting,
):
    extension, escalated = waiting
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
