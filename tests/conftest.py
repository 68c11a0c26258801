"""Fixed personas for every test, and a guard that the real services are there.

The personas (after healthchecks' owner / member / outsider): an enterprise user, another
enterprise's user, the official covering the enterprise, an unrelated official, a department
coordinator, the office, a city leader and a district leader.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from enterprises.models import Category, Coverage, Official
from tests import factories as f
from tickets.models import Action, Outcome, Rating, Status, Ticket
from tickets.services import ticket_submit, ticket_transition


def pytest_configure(config) -> None:
    """Fail loudly, not quietly, when PostgreSQL or Redis is missing."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.exit(
            "The tests run on PostgreSQL: set DATABASE_URL=postgres://… (`make test` does).",
            returncode=3,
        )
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.exit(f"Redis is not reachable at {settings.REDIS_URL}: {error}", returncode=3)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, left by every other session before it is dropped.

    Gunicorn, Celery workers and beat, and the live server the tests start connect to the test
    database; their backends can outlive them by a moment (the server notices a client's exit
    after it happened), and DROP DATABASE then fails with "being accessed by other users". So
    before pytest-django drops it: wait up to 10 s for them to leave, then end what is left."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
    connection.close()


# Headless Chromium for the browser tests: Debian's package, never `playwright install`.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    """Each test starts with empty rate-limit counters, no master data kept from an earlier
    test (ops.masterdata), and its own upload folder."""
    from django.core.cache import cache

    from ops import masterdata

    cache.clear()
    masterdata.forget()
    settings.MEDIA_ROOT = tmp_path / "media"


# The personas, in the order every table of expectations (tests/test_permissions.py …) lists
# them; each but the anonymous is a user of the World below, under the same name.
PERSONAS = (
    "anonymous",
    "enterprise_user",
    "other_enterprise_user",
    "official",
    "unrelated_official",
    "coordinator",
    "office",
    "leader",
    "district_leader",
)


@dataclass
class World:
    district: object
    other_district: object
    department: object
    other_department: object
    category: Category
    complex_category: Category
    enterprise: object
    other_enterprise: object
    enterprise_user: object
    other_enterprise_user: object
    official: object  # covers `enterprise` (liaison) and works in `department`
    unrelated_official: object
    coordinator: object  # coordinator of `department`
    office: object
    leader: object  # city leader, primary covering leader of `enterprise`
    district_leader: object  # leader of `other_district`

    def personas(self) -> dict[str, object]:
        """Each persona's user (None for the anonymous), in the order of PERSONAS."""
        return {name: None if name == "anonymous" else getattr(self, name) for name in PERSONAS}


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The personas and their master data (for a fixture of a wider scope than `world`)."""
    district = f.DistrictFactory(code="nanguan", name="南关区")
    other_district = f.DistrictFactory(code="kuancheng", name="宽城区")
    department = f.DepartmentFactory(code="gxj", name="市工业和信息化局", short_name="工信局")
    other_department = f.DepartmentFactory(code="zrzy", name="市自然资源局")
    enterprise = f.EnterpriseFactory(name="长春一汽零部件有限公司", district=district)
    other_enterprise = f.EnterpriseFactory(name="宽城光电有限公司", district=other_district)

    def official(username, **fields):
        return f.OfficialFactory(user=f.UserFactory(username=username), **fields).user

    L = Official.Level
    world = World(
        district=district,
        other_district=other_district,
        department=department,
        other_department=other_department,
        # The default categories come from a data migration; transactional tests flush them.
        category=f.CategoryFactory(code="power", name="用电", completion_days=7),
        complex_category=f.CategoryFactory(
            code="land", name="用地", complexity=Category.Complexity.COMPLEX, completion_days=22
        ),
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        enterprise_user=f.MemberFactory(
            user=f.UserFactory(username="enterprise"), enterprise=enterprise
        ).user,
        other_enterprise_user=f.MemberFactory(
            user=f.UserFactory(username="enterprise2"), enterprise=other_enterprise
        ).user,
        official=official("official", name="张伟", department=department),
        unrelated_official=official("unrelated", name="路人", department=other_department),
        coordinator=official(
            "coordinator", name="刘洋", department=department, is_coordinator=True
        ),
        office=official("office", name="王芳", is_office=True),
        leader=official("leader", name="李建国", level=L.CITY_LEADER),
        district_leader=official(
            "district_leader", name="赵明", level=L.BUREAU_LEADER, district=other_district
        ),
    )
    Coverage.objects.create(
        official=world.official.official, enterprise=enterprise, role=Coverage.Role.LIAISON
    )
    Coverage.objects.create(
        official=world.leader.official, enterprise=enterprise, role=Coverage.Role.PRIMARY
    )
    return world


@pytest.fixture
def office_in_admin(world):
    """The office as a city has it: its office flag set by the system administrator, which puts
    it in the admin with the office group's rights (enterprises.accounts)."""
    from enterprises.accounts import office_membership_sync

    office_membership_sync(user=world.office)
    world.office.refresh_from_db()
    return world.office


# The shortest way to each status, through the services (never a bare .save()).
PATHS: dict[Status, list[tuple[str, Action, dict]]] = {
    Status.SUBMITTED: [],
    Status.ACCEPTED: [("office", Action.ACCEPT, {})],
    Status.REJECTED: [("office", Action.REJECT, {"reason": "out_of_scope", "note": "不属于"})],
}
PATHS[Status.IN_PROGRESS] = [
    *PATHS[Status.ACCEPTED],
    ("office", Action.TRANSFER, {"department": "department"}),
    ("coordinator", Action.ASSIGN, {"assignee": "official"}),
]
PATHS[Status.RESOLVED] = [
    *PATHS[Status.IN_PROGRESS],
    ("official", Action.RESOLVE, {"outcome": Outcome.SOLVED, "resolution": "已协调供电公司扩容"}),
]
PATHS[Status.CLOSED] = [
    *PATHS[Status.RESOLVED],
    ("enterprise_user", Action.RATE, {"rating": Rating.SATISFIED}),
]
PATHS[Status.REOPENED] = [
    *PATHS[Status.RESOLVED],
    ("enterprise_user", Action.REOPEN, {"note": "仍未解决"}),
]


@pytest.fixture
def make_ticket(world):
    """make_ticket(status=…) files a problem for `world.enterprise` and walks it there."""
    return ticket_maker(world)


def ticket_maker(world: World):
    def make(
        status: Status = Status.SUBMITTED,
        *,
        enterprise=None,
        category=None,
        at=None,
        title="新增生产线需要扩容变压器",
    ) -> Ticket:
        enterprise = enterprise or world.enterprise
        submitter = world.enterprise_user if enterprise == world.enterprise else world.office
        ticket = ticket_submit(
            enterprise=enterprise,
            category=category or world.category,
            title=title,
            description="我公司新增两条生产线，现有变压器容量不足，请协调扩容。",
            submitted_by=submitter,
            at=at,
        )
        for actor, action, params in PATHS[Status(status)]:
            params = {
                name: getattr(world, value)
                if isinstance(value, str) and hasattr(world, value)
                else value
                for name, value in params.items()
            }
            ticket = ticket_transition(
                ticket=ticket, actor=getattr(world, actor), action=action, **params
            )
        return ticket

    return make


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (the browser fixture screenshots failures)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
