"""The benchmark city's master data, made with bulk_create: the demo city's districts,
departments and chains, officials and enterprises in proportion to the number of tickets."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from enterprises.models import (
    Category,
    Coverage,
    Department,
    District,
    Enterprise,
    IndustryChain,
    Official,
)

from ..city import CHAINS, DEPARTMENTS, DISTRICTS
from .lives import CATEGORY_WEIGHTS

# The accounts the benchmark logs in as.
OFFICE_USERNAME = "bench-office"
DISTRICT_LEADER_USERNAME = "bench-district-leader"


def bench_master_data(rng: random.Random, tickets: int, enterprises: int | None = None) -> dict:
    """Answers the `world` the tickets are generated in (ids, weights, the categories).
    `enterprises` overrides the number of enterprises (by default one for 40 tickets, at most
    25,000: a city; a province has some 135,000)."""
    districts = District.objects.bulk_create(
        District(code=code, name=name, kind=kind, sort_order=i)
        for i, (code, name, kind, _region) in enumerate(DISTRICTS)
    )
    departments = Department.objects.bulk_create(
        Department(code=code, name=name, short_name=short, sort_order=i)
        for i, (code, name, short) in enumerate(DEPARTMENTS)
    )
    chains = IndustryChain.objects.bulk_create(
        IndustryChain(code=code, name=name, sort_order=i) for i, (code, name) in enumerate(CHAINS)
    )
    n_enterprises = enterprises or max(200, min(25_000, tickets // 40))
    n_officials = max(60, n_enterprises // 8)
    office_user, officials = _officials(n_officials, districts, departments)
    staff: dict[int, list[int]] = {}
    for official in officials:
        staff.setdefault(official.department_id, []).append(official.user_id)
    enterprises = _enterprises(rng, n_enterprises, districts, chains)
    # One primary covering leader for nine enterprises in ten (the rest are not covered yet).
    leaders = officials[: max(10, n_officials // 5)]
    Coverage.objects.bulk_create(
        (
            Coverage(official=rng.choice(leaders), enterprise=e, role=Coverage.Role.PRIMARY)
            for e in enterprises
            if rng.random() < 0.9
        ),
        batch_size=5000,
    )
    return {
        "enterprises": [e.pk for e in enterprises],
        "enterprise_weights": [1 / (i + 1) ** 0.6 for i in range(n_enterprises)],
        "categories": {c.code: c for c in Category.objects.filter(code__in=CATEGORY_WEIGHTS)},
        "departments": {d.code: d for d in departments},
        "staff": staff,
        "office": office_user.pk,
        "officials": n_officials,
    }


def _officials(
    count: int, districts: list[District], departments: list[Department]
) -> tuple[object, list[Official]]:
    """The office and a district leader to sign in as, and `count` officials spread over the
    departments (two city leaders and eight bureau leaders first). Answers the office's user
    and the officials."""
    User = get_user_model()
    users = User.objects.bulk_create(
        (User(username=f"bench-{n:05d}", password="!", email="") for n in range(count)),
        batch_size=5000,
    )
    office_user = User.objects.create(username=OFFICE_USERNAME, password="!")
    leader_user = User.objects.create(username=DISTRICT_LEADER_USERNAME, password="!")
    Official.objects.create(user=office_user, name="办公室", is_office=True)
    Official.objects.create(
        user=leader_user,
        name="区领导",
        level=Official.Level.BUREAU_LEADER,
        district=districts[0],
    )
    levels = [Official.Level.CITY_LEADER] * 2 + [Official.Level.BUREAU_LEADER] * 8
    officials = Official.objects.bulk_create(
        (
            Official(
                user=user,
                name=f"干部{n:05d}",
                level=levels[n] if n < len(levels) else Official.Level.DIVISION,
                department=departments[n % len(departments)],
            )
            for n, user in enumerate(users)
        ),
        batch_size=5000,
    )
    return office_user, officials


def _enterprises(
    rng: random.Random, count: int, districts: list[District], chains: list[IndustryChain]
) -> list[Enterprise]:
    """Districts and chains unevenly busy; most enterprises small (tier d) and not SRDI."""
    district_weights = [1 / (i + 1) ** 0.7 for i in range(len(districts))]
    tiers = rng.choices("abcd", weights=[2, 8, 30, 60], k=count)
    srdi = rng.choices(
        ["national", "provincial", "municipal", "none"], weights=[2, 8, 15, 75], k=count
    )
    return Enterprise.objects.bulk_create(
        (
            Enterprise(
                name=f"基准测试企业{n:05d}有限公司",
                uscc=f"BENCH{n:013d}",
                district=rng.choices(districts, weights=district_weights)[0],
                industry_chain=None if rng.random() < 0.25 else rng.choice(chains),
                revenue_tier=tiers[n],
                srdi_level=srdi[n],
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
