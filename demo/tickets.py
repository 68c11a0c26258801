"""Demo tickets: each one lives its life through tickets.services, back-dated with `at`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from enterprises.models import Category, Enterprise
from tickets.models import Action, Channel, Outcome, Rating, RejectReason, Ticket
from tickets.services import ticket_submit, ticket_transition

# How the demo tickets end up, and how often.
FATES = [
    ("submitted", 6),
    ("rejected", 5),
    ("accepted", 5),
    ("in_progress", 20),
    ("resolved", 10),
    ("closed", 42),
    ("reopened", 4),
    ("explained", 8),
]


def seed_tickets(world: dict, *, rng: random.Random, count: int, now: dt.datetime) -> int:
    fates = [fate for fate, weight in FATES for _ in range(weight)]
    starts = sorted(now - dt.timedelta(days=rng.uniform(0, 56)) for _ in range(count))
    with transaction.atomic():
        for n, start in enumerate(starts):
            start = _working_hours(start, rng)
            if start >= now:
                start = now - dt.timedelta(minutes=30 + n)
            enterprise = world["enterprises"][0 if n % 25 == 0 else rng.randrange(50)]
            if n % 40 == 7:
                enterprise = world["enterprises"][len(world["enterprises"]) - 1]
            _live(world, rng, n, enterprise, start, rng.choice(fates), now)
    return count


def _working_hours(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))


def _live(world, rng, n, enterprise, at, fate, now) -> None:
    """File the n-th demo ticket at `at` and walk it towards its fate, as far as `now` allows."""
    category = rng.choice(world["categories"])
    life = _Life(world, rng, _file(world, rng, n, enterprise, category, at), clock=at, now=now)
    if fate == "submitted":
        return
    if fate == "rejected":
        life.do(
            Action.REJECT,
            world["office"],
            life.step(1, 20),
            reason=rng.choice(RejectReason.values),
            note="经核实，该事项不属于本次活动受理范围，已告知企业通过其他渠道反映。",
        )
        return
    assignee = _route(life, n, category, fate)
    if assignee is not None and fate != "in_progress":
        _finish(life, n, assignee, fate)


@dataclass
class _Life:
    """One demo ticket's life: each action a little later than the one before, none after now."""

    world: dict
    rng: random.Random
    ticket: Ticket
    clock: dt.datetime
    now: dt.datetime

    def step(self, hours_low: float, hours_high: float) -> dt.datetime | None:
        self.clock += dt.timedelta(hours=self.rng.uniform(hours_low, hours_high))
        return self.clock if self.clock < self.now else None

    def do(self, action, actor, when, **params) -> bool:
        if when is None:
            return False
        ticket_transition(ticket=self.ticket, actor=actor, action=action, at=when, **params)
        return True


def _file(world, rng, n, enterprise: Enterprise, category: Category, at) -> Ticket:
    """Two in three filed by the enterprise on the web, the others by the office for it."""
    title = rng.choice(world["problems"].get(category.code, world["problems"]["other"]))
    by_enterprise = n % 3 != 0
    return ticket_submit(
        enterprise=enterprise,
        category=category,
        title=title,
        description=f"{enterprise.name}反映：{title}。请协调有关部门尽快解决。",
        submitted_by=world["members"][enterprise.pk] if by_enterprise else world["office"],
        channel=Channel.WEB
        if by_enterprise
        else rng.choice([Channel.PHONE, Channel.VISIT, Channel.WECHAT, Channel.HOTLINE]),
        at=at,
    )


def _route(life: _Life, n: int, category: Category, fate: str):
    """Accepted by the office, transferred to the category's department, assigned by its
    coordinator, a first progress report (and one ticket in nine supervised). Answers the
    assignee, or None where the ticket's life stops before it has one working on it."""
    world, office = life.world, life.world["office"]
    if not life.do(Action.ACCEPT, office, life.step(0.5, 20), note="已受理。"):
        return None
    if fate == "accepted":
        return None
    code = world["handler"].get(category.code, "gxj")
    if not life.do(Action.TRANSFER, office, life.step(1, 6), department=world["departments"][code]):
        return None
    assignee = life.rng.choice(world["workers"][code])
    if code == "gxj" and n % 2 == 0:
        assignee = world["division"]
    if not life.do(Action.ASSIGN, world["coordinators"][code], life.step(1, 20), assignee=assignee):
        return None
    note = "已与企业对接，正在协调相关单位研究解决方案。"
    if not life.do(Action.PROGRESS, assignee, life.step(10, 60), public=True, note=note):
        return None
    if n % 9 == 0:
        life.do(Action.SUPERVISE, office, life.step(1, 5), note="列入督办。")
    return assignee


def _finish(life: _Life, n: int, assignee, fate: str) -> None:
    """Resolved (solved, or explained), then rated by the enterprise: satisfied and closed,
    unsatisfied and reopened, or closed unrated after seven days."""
    outcome = Outcome.EXPLAINED if fate == "explained" else Outcome.SOLVED
    resolution = (
        "经协调，相关问题已解决，企业已确认。"
        if outcome == Outcome.SOLVED
        else "受现行政策限制暂无法解决，已向企业解释说明政策依据。"
    )
    when = life.step(20, 150)
    if not life.do(Action.RESOLVE, assignee, when, outcome=outcome, resolution=resolution):
        return
    member = life.world["members"][life.ticket.enterprise_id]
    if fate == "resolved":
        return
    if fate == "reopened":
        comment = "问题没有真正解决。"
        life.do(Action.RATE, member, life.step(2, 40), rating=Rating.UNSATISFIED, comment=comment)
        return
    rating = life.rng.choice(
        [Rating.VERY_SATISFIED, Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED]
    )
    if n % 10 == 3:
        life.do(Action.CLOSE, None, life.step(170, 175))  # nobody rated it within 7 days
    else:
        life.do(Action.RATE, member, life.step(2, 40), rating=rating)
