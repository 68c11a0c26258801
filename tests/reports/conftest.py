"""A desk that files and works tickets through the services at given moments (`at=`), so the
report tests can build small, exact situations in a week of the past.

The week used throughout is Monday 10 March to Sunday 16 March 2025 (no holidays in it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from enterprises.models import Coverage
from reports.periods import Period
from tests import factories as f
from tickets.models import Action, Outcome, Rating, Ticket
from tickets.services import ticket_submit, ticket_transition

WEEK = Period.week(dt.date(2025, 3, 10))


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Asia/Shanghai: at("2025-03-10", 9) is 09:00 that day."""
    local = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute))
    return timezone.make_aware(local)


class Desk:
    """Files a ticket and walks it, each action back-dated with `at=`."""

    def __init__(self, world) -> None:
        self.world = world

    def _who(self, actor):
        return getattr(self.world, actor) if isinstance(actor, str) else actor

    def file(self, when: dt.datetime, *, enterprise=None, category=None) -> Ticket:
        return ticket_submit(
            enterprise=enterprise or self.world.enterprise,
            category=category or self.world.category,
            title="新增生产线需要扩容变压器",
            description="现有变压器容量不足，请协调扩容。",
            submitted_by=self.world.office,
            at=when,
        )

    def act(self, ticket: Ticket, action: Action, when: dt.datetime, actor="office", **params):
        return ticket_transition(
            ticket=ticket, actor=self._who(actor), action=action, at=when, **params
        )

    # the usual steps
    def accept(self, ticket, when):
        return self.act(ticket, Action.ACCEPT, when)

    def reject(self, ticket, when):
        return self.act(ticket, Action.REJECT, when, reason="out_of_scope", note="不属于受理范围")

    def transfer(self, ticket, when, department=None):
        return self.act(
            ticket, Action.TRANSFER, when, department=department or self.world.department
        )

    def progress(self, ticket, when):
        return self.act(ticket, Action.PROGRESS, when, note="已对接供电公司")

    def resolve(self, ticket, when, outcome=Outcome.SOLVED):
        return self.act(ticket, Action.RESOLVE, when, outcome=outcome, resolution="已办结")

    def rate(self, ticket, when, rating=Rating.SATISFIED):
        return self.act(ticket, Action.RATE, when, actor="enterprise_user", rating=rating)

    def give_back(self, ticket, when):
        """The lead department's coordinator returns the ticket (退单)."""
        return self.act(ticket, Action.RETURN, when, actor="coordinator", note="不是本部门职责")

    def extend(self, ticket, when, days, *, approve=True):
        ticket = self.act(
            ticket,
            Action.REQUEST_EXTENSION,
            when,
            actor="coordinator",
            days=days,
            note="设备到货需要时间",
        )
        if approve:
            return self.act(ticket, Action.APPROVE_EXTENSION, when, actor="leader")
        return self.act(ticket, Action.DENY_EXTENSION, when, actor="leader", note="不予延期")

    def solved(self, when, **kwargs) -> Ticket:
        """Filed at `when`, accepted, transferred, progress reported and solved the same week."""
        ticket = self.file(when, **kwargs)
        self.accept(ticket, when + dt.timedelta(hours=1))
        self.transfer(ticket, when + dt.timedelta(hours=2))
        self.progress(ticket, when + dt.timedelta(hours=3))
        return self.resolve(ticket, when + dt.timedelta(hours=4))


@pytest.fixture
def desk(world) -> Desk:
    return Desk(world)


@pytest.fixture(autouse=True)
def campaign(db):
    """The campaign started on 1 January 2025: cumulative figures count from then."""
    from reports.models import CampaignSettings

    return CampaignSettings.objects.create(campaign_start=dt.date(2025, 1, 1))


@pytest.fixture
def city(world):
    """A second enterprise in each district: one outside the key chains and without a primary
    covering leader (for the "none" groups), one in another chain."""
    loose = f.EnterpriseFactory(
        name="南关无链企业有限公司",
        district=world.district,
        industry_chain=None,
        revenue_tier="d",
        srdi_level="national",
    )
    chained = f.EnterpriseFactory(
        name="宽城链上企业有限公司", district=world.other_district, revenue_tier="a"
    )
    Coverage.objects.create(
        official=world.district_leader.official, enterprise=chained, role=Coverage.Role.PRIMARY
    )
    return {"loose": loose, "chained": chained}
