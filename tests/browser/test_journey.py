"""One ticket's whole life, clicked through in headless Chromium (Debian's package, driven by
Playwright for Python). A failing step leaves a screenshot in test-results/."""

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from tests.files import PDF_BYTES
from tickets.models import Status, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread

RESULTS = Path(__file__).resolve().parent.parent.parent / "test-results"


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    # Refusals under the CSP, and any feature of the Permissions-Policy the browser does not know.
    assert not [e for e in errors if "Content Security Policy" in e or "Permissions-Policy" in e], (
        errors
    )


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_selector("[data-testid=bell]")


def pick(page, field_id: str, typed: str, value) -> None:
    """Choose in a picker (Tom Select over enterprises:pick): type, wait for the server's
    match, click it."""
    page.click(f"#{field_id}-ts-control")
    page.fill(f"#{field_id}-ts-control", typed)
    page.click(f'#{field_id}-ts-dropdown [data-value="{value}"]')
    assert page.input_value(f"#{field_id}") == str(value)


def test_a_problem_from_filing_to_a_satisfied_rating(page, live_server, world, tmp_path):
    pdf = tmp_path / "用电负荷测算.pdf"
    pdf.write_bytes(PDF_BYTES)

    # The enterprise files a problem with an attachment.
    log_in(page, live_server, "enterprise")
    page.click("text=提交诉求")
    pick(page, "id_category", "用电", world.category.pk)
    page.fill("#id_title", "新增生产线需要扩容变压器")
    page.fill("#id_description", "我公司新增两条生产线，现有变压器容量不足。")
    page.set_input_files("#id_attachments", str(pdf))
    page.click("#ticket-form [type=submit]")
    page.wait_for_selector("[data-testid=ticket-status]")
    ticket = Ticket.objects.get()
    assert "待受理" in page.inner_text("[data-testid=ticket-status]")
    assert "用电负荷测算.pdf" in page.inner_text("[data-testid=timeline]")

    # The office accepts it and assigns it to the official.
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
    page.click("#action-accept [type=submit]")
    page.wait_for_selector("text=已完成：受理")
    pick(page, "id_assign-assignee", "张", world.official.pk)
    page.click("#action-assign [type=submit]")
    page.wait_for_selector("text=已完成：交办")
    assert "办理中" in page.inner_text("[data-testid=ticket-status]")

    # The official resolves it as solved.
    log_in(page, live_server, "official")
    page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
    page.click("[data-testid=open-resolve]")
    page.check("#action-resolve input[value=solved]")
    page.fill("#id_resolve-resolution", "已协调供电公司完成扩容，新线路已送电。")
    page.click("#action-resolve [type=submit]")
    page.wait_for_selector("text=已完成：办结")

    # The enterprise rates it satisfied and reads the timeline.
    log_in(page, live_server, "enterprise")
    page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
    # Rating is the action of the moment: its form is open at the top, not folded away.
    assert page.is_visible("[data-testid=action-now] input[value=satisfied]")
    page.check("#action-rate input[value=satisfied]")
    page.click("#action-rate [type=submit]")
    page.wait_for_selector("text=已完成：评价")
    timeline = page.inner_text("[data-testid=timeline]")
    for step in ("提交", "受理", "交办", "办结", "评价"):
        assert step in timeline
    assert "已协调供电公司完成扩容" in page.inner_text("[data-testid=resolution]")
    assert "满意" in page.inner_text("[data-testid=rating]")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.outcome, ticket.rating) == (Status.CLOSED, "solved", "satisfied")
