"""Demo tickets: each one lives its life through tickets.services, back-dated with `at`."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from .models import Action, Channel, Outcome, Rating, RejectReason
from .services import ticket_submit, ticket_transition

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
    category = rng.choice(world["categories"])
    title = rng.choice(world["problems"].get(category.code, world["problems"]["other"]))
    by_enterprise = n % 3 != 0
    ticket = ticket_submit(
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
    office = world["office"]
    clock = [at]

    def step(hours_low: float, hours_high: float) -> dt.datetime | None:
        clock[0] = clock[0] + dt.timedelta(hours=rng.uniform(hours_low, hours_high))
        return clock[0] if clock[0] < now else None

    def do(action, actor, when, **params) -> bool:
        if when is None:
            return False
        ticket_transition(ticket=ticket, actor=actor, action=action, at=when, **params)
        return True

    if fate == "submitted":
        return
    if fate == "rejected":
        do(
            Action.REJECT,
            office,
            step(1, 20),
            reason=rng.choice(RejectReason.values),
            note="经核实，该事项不属于本次活动受理范围，已告知企业通过其他渠道反映。",
        )
        return
    if not do(Action.ACCEPT, office, step(0.5, 20), note="已受理。"):
        return
    if fate == "accepted":
        return
    department_code = world["handler"].get(category.code, "gxj")
    department = world["departments"][department_code]
    if not do(Action.TRANSFER, office, step(1, 6), department=department):
        return
    assignee = rng.choice(world["workers"][department_code])
    if department_code == "gxj" and n % 2 == 0:
        assignee = world["division"]
    coordinator = world["coordinators"][department_code]
    if not do(Action.ASSIGN, coordinator, step(1, 20), assignee=assignee):
        return
    if not do(
        Action.PROGRESS,
        assignee,
        step(10, 60),
        public=True,
        note="已与企业对接，正在协调相关单位研究解决方案。",
    ):
        return
    if n % 9 == 0:
        do(Action.SUPERVISE, office, step(1, 5), note="列入督办。")
    if fate == "in_progress":
        return
    outcome = Outcome.EXPLAINED if fate == "explained" else Outcome.SOLVED
    resolution = (
        "经协调，相关问题已解决，企业已确认。"
        if outcome == Outcome.SOLVED
        else "受现行政策限制暂无法解决，已向企业解释说明政策依据。"
    )
    if not do(Action.RESOLVE, assignee, step(20, 150), outcome=outcome, resolution=resolution):
        return
    member = world["members"][ticket.enterprise_id]
    if fate == "resolved":
        return
    if fate == "reopened":
        do(
            Action.RATE,
            member,
            step(2, 40),
            rating=Rating.UNSATISFIED,
            comment="问题没有真正解决。",
        )
        return
    rating = rng.choice(
        [Rating.VERY_SATISFIED, Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED]
    )
    if n % 10 == 3:
        do(Action.CLOSE, None, step(170, 175))  # nobody rated it within 7 days
    else:
        do(Action.RATE, member, step(2, 40), rating=rating)
