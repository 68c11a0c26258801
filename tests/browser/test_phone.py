"""The enterprise's pages on a phone (issue 11): at 390×844 (and at 360 and 414 px wide) no page
scrolls sideways, "My problems" is a list of cards, the ticket page shows its stages and the
action of the moment as its one prominent button, touch targets are at least 44 px and the bell
stays visible beside the menu button. Staff pages are checked on a tablet (768×1024).

Every page is photographed into tests/browser/screenshots/ (kept out of git; see the README)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tickets.models import Action, Status
from tickets.services import ticket_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
LONG_TITLE = (
    "新增两条整车零部件生产线后现有变压器容量不足需要供电公司协调扩容并尽快完成线路改造" * 2
)


def _open(browser, live_server, username: str | None, viewport: dict):
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    if username is not None:
        page.goto(live_server.url + reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-form [type=submit]")
        page.wait_for_selector("[data-testid=bell]")
    return context, page


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


@pytest.fixture
def tickets(world, make_ticket):
    """A problem in each stage the enterprise sees, one with a long title, and notifications."""
    waiting = make_ticket(title=LONG_TITLE[:120])
    worked = make_ticket(Status.IN_PROGRESS)
    resolved = make_ticket(Status.RESOLVED)
    ticket_transition(ticket=worked, actor=world.office, action=Action.SUPERVISE)
    return {"submitted": waiting, "in_progress": worked, "resolved": resolved}


def enterprise_pages(tickets) -> dict[str, str]:
    return {
        "mine": reverse("tickets:mine"),
        "file": reverse("tickets:create"),
        "ticket-submitted": tickets["submitted"].get_absolute_url(),
        "ticket-in-progress": tickets["in_progress"].get_absolute_url(),
        "ticket-resolved": tickets["resolved"].get_absolute_url(),
        "notifications": reverse("notifications:inbox"),
        "preferences": reverse("notifications:preferences"),
    }


@pytest.mark.parametrize("width", [360, 390, 414])
def test_no_enterprise_page_scrolls_sideways_on_a_phone(browser, live_server, tickets, width):
    viewport = PHONE if width == 390 else {"width": width, "height": 800}
    context, page = _open(browser, live_server, None, viewport)
    page.goto(live_server.url + reverse("login"))
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "log-in page"
    if width == 390:
        _shoot(page, "phone-login")
    page.fill("#id_username", "enterprise")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_selector("[data-testid=bell]")
    overflowing = []
    for name, path in enterprise_pages(tickets).items():
        page.goto(f"{live_server.url}{path}")
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            overflowing.append(name)
        if width == 390:
            _shoot(page, f"phone-{name}")
    context.close()
    assert overflowing == [], f"these pages scroll sideways at {width} px: {overflowing}"


def test_my_problems_are_cards_with_number_title_status_stage_and_days_left(
    browser, live_server, tickets
):
    context, page = _open(browser, live_server, "enterprise", PHONE)
    page.goto(live_server.url + reverse("tickets:mine"))
    cards = page.locator("[data-testid=ticket-card]")
    assert cards.count() == 3
    assert page.locator("table").count() == 0
    waiting = cards.filter(has_text=tickets["submitted"].number)
    assert waiting.locator("[data-testid=card-title]").inner_text() == LONG_TITLE[:120]
    assert "待受理" in waiting.locator("[data-testid=card-status]").inner_text()
    assert "受理" in waiting.locator("[data-testid=card-stage]").inner_text()
    assert "工作日" in waiting.locator("[data-testid=card-days-left]").inner_text()
    worked = cards.filter(has_text=tickets["in_progress"].number)
    assert "办理" in worked.locator("[data-testid=card-stage]").inner_text()
    # The full title is shown, wrapped inside the card, and every card is as wide as the screen
    # allows (not a column one character wide).
    for i in range(cards.count()):
        box = cards.nth(i).bounding_box()
        assert box["width"] >= PHONE["width"] - 40 and box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    # A card is one big touch target that opens the ticket.
    waiting.locator("[data-testid=card-title]").click()
    page.wait_for_selector("[data-testid=stepbar]")
    assert tickets["submitted"].number in page.inner_text("h1")
    context.close()


def test_the_ticket_page_shows_its_stages_with_deadlines_and_one_prominent_action(
    browser, live_server, tickets
):
    context, page = _open(browser, live_server, "enterprise", PHONE)
    page.goto(f"{live_server.url}{tickets['submitted'].get_absolute_url()}")
    stages = page.locator("[data-testid=stepbar] li")
    assert [stages.nth(i).inner_text().split()[0] for i in range(5)] == [
        "提交",
        "受理",
        "办理",
        "办结",
        "评价",
    ]
    current = page.locator("[data-testid=stepbar] li[aria-current=step]")
    assert current.get_attribute("data-stage") == "accept"
    assert "前" in current.inner_text()  # by when it is to be accepted

    page.goto(f"{live_server.url}{tickets['resolved'].get_absolute_url()}")
    current = page.locator("[data-testid=stepbar] li[aria-current=step]")
    assert current.get_attribute("data-stage") == "rate"
    # Rating is the action of the moment: one prominent, full-width button, high enough to tap.
    action = page.locator("[data-testid=action-now]")
    assert "评价" in action.inner_text()
    button = _box(page, "[data-testid=action-now] [type=submit]")
    assert button["height"] >= 44 and button["width"] >= PHONE["width"] - 80
    assert page.locator(".action-now").count() == 1

    page.goto(f"{live_server.url}{tickets['in_progress'].get_absolute_url()}")
    assert "督办" in page.inner_text("[data-testid=supervised-news]")
    assert "补充" in page.inner_text("[data-testid=action-now]")  # add information
    _shoot(page, "phone-ticket-supervised")
    context.close()


def test_the_bell_stays_visible_beside_the_menu_button_and_targets_are_44_px(
    browser, live_server, tickets
):
    context, page = _open(browser, live_server, "enterprise", PHONE)
    page.goto(live_server.url + reverse("tickets:mine"))
    bell, menu = _box(page, "[data-testid=bell]"), _box(page, "[data-testid=menu-button]")
    assert page.is_visible("[data-testid=bell]") and page.is_visible("[data-testid=menu-button]")
    for box in (bell, menu):
        assert box["width"] >= 44 and box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    apart = bell["x"] + bell["width"] <= menu["x"] or menu["x"] + menu["width"] <= bell["x"]
    assert apart, "the bell is hidden behind the menu button"
    assert page.locator("[data-testid=unread-count]").is_visible()
    # The menu opens over the page and its links are tall enough to tap.
    page.click("[data-testid=menu-button]")
    link = page.locator("#nav .nav-link", has_text="提交诉求")
    link.wait_for(state="visible")
    assert link.bounding_box()["height"] >= 44
    # Buttons and fields of the filing form.
    page.goto(live_server.url + reverse("tickets:create"))
    for selector in ("#id_category", "#id_title", "#ticket-form [type=submit]"):
        assert _box(page, selector)["height"] >= 44, selector
    context.close()


def test_staff_pages_do_not_break_on_a_tablet(browser, live_server, tickets):
    context, page = _open(browser, live_server, "office", {"width": 768, "height": 1024})
    overflowing = []
    for name, path in {
        "queue": reverse("tickets:queue"),
        "ticket": tickets["in_progress"].get_absolute_url(),
        "supervision": reverse("tickets:supervision"),
        "reports": reverse("reports:dashboard"),
    }.items():
        page.goto(f"{live_server.url}{path}")
        if not page.evaluate(NO_SIDEWAYS_SCROLL):
            overflowing.append(name)
        _shoot(page, f"tablet-office-{name}")
    context.close()
    assert overflowing == []
