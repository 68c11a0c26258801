"""The demo city's master data and accounts (every password `qinqing-demo`), and the 12345
hotline. Master data is found by its code and accounts by their user name, so running it twice
adds nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from stdnum.cn import uscc as stdnum_uscc

from enterprises.accounts import office_membership_sync
from enterprises.models import (
    Category,
    Coverage,
    Department,
    District,
    Enterprise,
    EnterpriseMember,
    IndustryChain,
    Official,
)
from integrations.models import Integration
from integrations.services import integration_create, integration_key_issue
from tickets.models import Channel

from .city import CHAINS, DEPARTMENTS, DISTRICTS, HANDLER, NAME_HEADS, NAME_TRADES, PROBLEMS

User = get_user_model()
PASSWORD = "qinqing-demo"
DEMO_API_KEY = "qinqing-demo-key"  # the hotline integration's Open311 key (README)
ENTERPRISES = 50
L = Official.Level


@dataclass
class Places:
    districts: dict[str, District]
    regions: dict[str, str]  # district code → its administrative division code
    departments: dict[str, Department]
    chains: dict[str, IndustryChain]


@dataclass
class Staff:
    office: Official
    leader: Official  # 李建国, the city leader
    district_leader: Official  # 赵明, who leads 朝阳区
    division: Official  # 张伟, the README's official of 工信局
    bureau_leaders: list[Official]
    workers: dict[str, list[Official]]  # department code → the officials who take its tickets


def demo_city() -> dict:
    """The master data and accounts; answers the `world` demo tickets are filed in."""
    password = make_password(PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    places = _places()
    staff = _officials(places, password)
    enterprises = _enterprises(places)
    _coverage(enterprises, staff)
    members = _members(enterprises, staff.division, password)
    departments = places.departments
    return {
        "office": staff.office.user,
        "coordinators": {
            d.code: Official.objects.filter(department=d, is_coordinator=True).first().user
            for d in departments.values()
        },
        "departments": departments,
        "workers": {code: [w.user for w in ws] for code, ws in staff.workers.items()},
        "handler": HANDLER,
        "enterprises": enterprises,
        "members": members,
        "categories": list(Category.objects.filter(children__isnull=True)),
        "problems": PROBLEMS,
        "leader": staff.leader.user,
        "division": staff.division.user,
    }


def hotline() -> None:
    """The 12345 hotline as an integration whose Open311 API key is `qinqing-demo-key`."""
    integration = Integration.objects.filter(name="hotline").first()
    if integration is None:
        integration = integration_create(
            name="hotline", description="12345 政务服务便民热线", channel=Channel.HOTLINE
        )
    if not integration.keys.exists():
        integration_key_issue(integration=integration, label="demo", raw=DEMO_API_KEY)


# --- master data -------------------------------------------------------------------------------


def _places() -> Places:
    districts = {
        code: District.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": i}
        )[0]
        for i, (code, name, kind, _region) in enumerate(DISTRICTS)
    }
    departments = {
        code: Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "sort_order": i}
        )[0]
        for i, (code, name, short) in enumerate(DEPARTMENTS)
    }
    chains = {
        code: IndustryChain.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": i}
        )[0]
        for i, (code, name) in enumerate(CHAINS)
    }
    regions = {code: region for code, _n, _k, region in DISTRICTS}
    return Places(districts, regions, departments, chains)


def _enterprises(places: Places) -> list[Enterprise]:
    """Fifty enterprises over the districts and chains, of every revenue tier and SRDI level."""
    enterprises, names = [], set()
    for n in range(ENTERPRISES):
        chain_code = CHAINS[n % len(CHAINS)][0]
        district_code = DISTRICTS[n % len(DISTRICTS)][0]
        name = _enterprise_name(n, chain_code, taken=names)
        names.add(name)
        body = f"91{places.regions[district_code]}{_org_code(seed=n)}"
        enterprise, _ = Enterprise.objects.get_or_create(
            uscc=body + stdnum_uscc.calc_check_digit(body),
            defaults={
                "name": name,
                "district": places.districts[district_code],
                "industry_chain": places.chains[chain_code],
                "revenue_tier": "abccddd"[n % 7],
                "srdi_level": ["none", "none", "municipal", "provincial", "national"][n % 5],
                "address": f"{places.districts[district_code].name}产业路{100 + n}号",
                "contact_name": f"联系人{n + 1}",
                "contact_phone": f"0431-8{n:03d}{n:04d}"[:16],
            },
        )
        enterprises.append(enterprise)
    return enterprises


def _enterprise_name(n: int, chain_code: str, *, taken: set[str]) -> str:
    head = NAME_HEADS[n % len(NAME_HEADS)]
    trades = NAME_TRADES[chain_code]
    trade = trades[(n // len(NAME_HEADS)) % len(trades)]
    name = f"长春{head}{trade}有限公司"
    return f"长春{head}{trade}股份有限公司" if name in taken else name


def _org_code(*, seed: int) -> str:
    """Nine characters of an organisation code, deterministic per enterprise."""
    rng = random.Random(seed * 7919)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "".join(rng.choice(alphabet[:10]) for _ in range(8)) + rng.choice(alphabet)


# --- accounts ----------------------------------------------------------------------------------

OfficialMaker = Callable[..., Official]


def _officials(places: Places, password: str) -> Staff:
    """The README's officials (office, leaders, 张伟 and 刘洋 of 工信局), a bureau leader for
    five departments, and a coordinator and two officials for every department."""

    def official(username, name, title, level, department=None, district=None, **flags):
        return _official(password, username, name, title, level, department, district, **flags)

    office = official("office", "王芳", "领导小组办公室综合协调处处长", L.DIVISION, is_office=True)
    office_membership_sync(user=office.user)  # into the admin, with the office's rights
    leader = official("leader", "李建国", "副市长", L.CITY_LEADER)
    chaoyang = places.districts["chaoyang"]
    district_leader = official(
        "district_leader", "赵明", "朝阳区副区长", L.BUREAU_LEADER, district=chaoyang
    )
    gxj = places.departments["gxj"]
    division = official("official", "张伟", "工信局产业发展处副处长", L.DIVISION, gxj)
    official("coordinator", "刘洋", "工信局办公室主任", L.DIVISION, gxj, is_coordinator=True)
    bureau_leaders = [
        official(f"bureau-{code}", f"{short}局领导", f"{name}副局长", L.BUREAU_LEADER, department)
        for (code, name, short), department in zip(
            DEPARTMENTS[:5], list(places.departments.values())[:5], strict=False
        )
    ]
    workers = _department_staff(places.departments, official)
    workers["gxj"].insert(0, division)
    return Staff(office, leader, district_leader, division, bureau_leaders, workers)


def _department_staff(
    departments: dict[str, Department], official: OfficialMaker
) -> dict[str, list[Official]]:
    """A coordinator for each department but 工信局 (刘洋 is its own), and two officials each."""
    workers = {}
    for code, name, short in DEPARTMENTS:
        department = departments[code]
        if code != "gxj":
            official(
                f"coord-{code}",
                f"{short}联络人",
                f"{name}办公室",
                L.DIVISION,
                department,
                is_coordinator=True,
            )
        workers[code] = [
            official(f"staff-{code}-{n}", f"{short}干部{n}", f"{name}科员", L.DIVISION, department)
            for n in (1, 2)
        ]
    return workers


def _official(password, username, name, title, level, department, district, **flags) -> Official:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.password = password
        user.save()
    profile, _ = Official.objects.get_or_create(
        user=user,
        defaults={
            "name": name,
            "title": title,
            "level": level,
            "department": department,
            "district": district,
            **flags,
        },
    )
    return profile


def _coverage(enterprises: list[Enterprise], staff: Staff) -> None:
    """One primary covering leader and one liaison each (包保: 一户一领导); 赵明 leads every
    enterprise of 朝阳区, 张伟 is the liaison of one in eight."""
    primaries = [staff.leader, staff.district_leader, *staff.bureau_leaders]
    division = staff.division
    liaisons = [division, *[w for ws in staff.workers.values() for w in ws if w != division]]
    for n, enterprise in enumerate(enterprises):
        if enterprise.coverages.exists():
            continue
        primary = primaries[n % len(primaries)]
        if enterprise.district.code == "chaoyang":
            primary = staff.district_leader
        liaison = division if n % 8 == 0 else liaisons[n % len(liaisons)]
        Coverage.objects.create(official=primary, enterprise=enterprise, role=Coverage.Role.PRIMARY)
        if liaison != primary:
            Coverage.objects.create(
                official=liaison, enterprise=enterprise, role=Coverage.Role.LIAISON
            )


def _members(enterprises: list[Enterprise], division: Official, password: str) -> dict:
    """`enterprise` (陈静) for an enterprise 张伟 covers, `enterprise2` (孙强) for one he does
    not, and a user for every other enterprise; answers {enterprise id: its user}."""

    def member(username, name, enterprise):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.password = password
            user.save()
        EnterpriseMember.objects.get_or_create(
            user=user, defaults={"enterprise": enterprise, "name": name}
        )
        return user

    covered_by_division = [e for e in enterprises if e.coverages.filter(official=division)]
    member("enterprise", "陈静", covered_by_division[0])
    others = [e for e in enterprises if e not in covered_by_division]
    member("enterprise2", "孙强", others[0])
    members = {}
    for n, enterprise in enumerate(enterprises):
        if enterprise.members.exists():
            members[enterprise.pk] = enterprise.members.first().user
        else:
            members[enterprise.pk] = member(f"ent-{n + 1:02d}", f"企业联系人{n + 1}", enterprise)
    return members
