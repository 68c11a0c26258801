"""Where an escalation (提级) goes: up the package-responsibility ladder (包保) to the official
who covers the ticket's enterprise at the next level, or to the office when nobody does.

The enterprise's revenue tier decides where its tickets start and how far they climb before the
monthly joint meeting (联席会议), after who covers it: city leaders cover the 百亿级 enterprises
(tier a), bureau leaders the key enterprises (tiers b and c), division officials the rest.

| tier | a ticket starts at | climbs, before the joint meeting, up to |
| ---- | ------------------ | --------------------------------------- |
| a    | bureau leader      | city leader                             |
| b, c | division           | bureau leader                           |
| d    | division           | division (the next step is the meeting) |
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, When

from enterprises.models import Coverage, Enterprise, Official

from .models import EscalationLevel

Tier = Enterprise.RevenueTier
L = EscalationLevel

# tier → (the level a ticket starts at, the highest level below the joint meeting)
TIER_LADDER: dict[str, tuple[EscalationLevel, EscalationLevel]] = {
    Tier.A: (L.BUREAU, L.CITY),
    Tier.B: (L.DIVISION, L.BUREAU),
    Tier.C: (L.DIVISION, L.BUREAU),
    Tier.D: (L.DIVISION, L.DIVISION),
}

# The officials of each level below the joint meeting.
OFFICIAL_LEVEL = {
    L.DIVISION: Official.Level.DIVISION,
    L.BUREAU: Official.Level.BUREAU_LEADER,
    L.CITY: Official.Level.CITY_LEADER,
}


def start_level(revenue_tier: str) -> EscalationLevel:
    """The level a new ticket of an enterprise of `revenue_tier` is held at."""
    return TIER_LADDER.get(revenue_tier, TIER_LADDER[Tier.D])[0]


def next_level(level: int, revenue_tier: str) -> EscalationLevel:
    """One step up from `level`: the next level up to the tier's ceiling, then the meeting."""
    ceiling = TIER_LADDER.get(revenue_tier, TIER_LADDER[Tier.D])[1]
    return L(level + 1) if level < ceiling else L.JOINT_MEETING


@dataclass(frozen=True)
class Step:
    level: EscalationLevel
    holder: Official | None  # None: the office holds it (nobody covers the level, or the meeting)


def escalation_step(*, level: int, enterprise: Enterprise) -> Step:
    """Where a ticket held at `level` goes when escalated: the next level, and the official
    covering the enterprise at that level (its primary leader first, then the longest-standing
    cover), with an active account; nobody at the joint meeting's level."""
    target = next_level(level, enterprise.revenue_tier)
    if target == L.JOINT_MEETING:
        return Step(target, None)
    holder = (
        Official.objects.filter(
            coverages__enterprise=enterprise,
            level=OFFICIAL_LEVEL[target],
            user__is_active=True,
        )
        .select_related("user")
        .order_by(
            Case(When(coverages__role=Coverage.Role.PRIMARY, then=0), default=1),
            "coverages__since",
            "pk",
        )
        .first()
    )
    return Step(target, holder)
