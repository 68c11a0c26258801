"""Demo data for `make run`: master data, accounts and about 200 tickets over eight weeks.

Every account's password is `qinqing-demo`. Running the command twice changes nothing: master
data is found by its code, accounts by their user name, and tickets are only made when there
are none yet.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from dispatches.models import Dispatch
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

User = get_user_model()
PASSWORD = "qinqing-demo"
DEMO_API_KEY = "qinqing-demo-key"  # the hotline integration's Open311 key (README)

DISTRICTS = [
    ("nanguan", "南关区", "urban", "220102"),
    ("kuancheng", "宽城区", "urban", "220103"),
    ("chaoyang", "朝阳区", "urban", "220104"),
    ("erdao", "二道区", "urban", "220105"),
    ("lvyuan", "绿园区", "urban", "220106"),
    ("shuangyang", "双阳区", "urban", "220112"),
    ("yushu", "榆树市", "county", "220182"),
    ("jingkai", "经济技术开发区", "zone", "220171"),
    ("gaoxin", "高新技术产业开发区", "zone", "220172"),
    ("qikai", "汽车经济技术开发区", "zone", "220173"),
]
DEPARTMENTS = [
    ("fgw", "市发展和改革委员会", "发改委"),
    ("gxj", "市工业和信息化局", "工信局"),
    ("zrzy", "市自然资源局", "自然资源局"),
    ("power", "国网市供电公司", "供电公司"),
    ("rsj", "市人力资源和社会保障局", "人社局"),
    ("jrb", "市地方金融管理局", "金融办"),
    ("swj", "市商务局", "商务局"),
    ("kjj", "市科学技术局", "科技局"),
    ("zjj", "市住房和城乡建设局", "住建局"),
    ("zwfw", "市政务服务和数字化建设管理局", "政务服务局"),
]
CHAINS = [
    ("vehicle", "整车"),
    ("parts", "零部件"),
    ("rail", "轨道客车"),
    ("optoelectronics", "光电信息"),
    ("biomedicine", "生物医药"),
    ("agrifood", "农产品加工"),
]
# Which department takes which category's problems.
HANDLER = {
    "land": "zrzy",
    "power": "power",
    "energy": "fgw",
    "labour": "rsj",
    "logistics": "swj",
    "financing": "jrb",
    "policy": "gxj",
    "approval": "zwfw",
    "market": "swj",
    "innovation": "kjj",
    "infrastructure": "zjj",
    "legal": "gxj",
    "other": "gxj",
}
NAME_HEADS = [
    "一汽",
    "长客",
    "华信",
    "吉瑞",
    "北方",
    "东光",
    "松江",
    "瑞丰",
    "恒大",
    "博远",
    "金桥",
    "天合",
    "中科",
    "远航",
    "嘉禾",
    "星宇",
    "启明",
    "富奥",
    "凯达",
    "永信",
]
NAME_TRADES = {
    "vehicle": ["汽车制造", "专用车", "新能源汽车"],
    "parts": ["汽车零部件", "精密铸造", "汽车电子"],
    "rail": ["轨道交通装备", "轨道车辆配件"],
    "optoelectronics": ["光电科技", "半导体", "卫星信息"],
    "biomedicine": ["生物制药", "医疗器械", "疫苗"],
    "agrifood": ["粮油食品", "农产品加工", "乳业"],
}
PROBLEMS = {
    "land": ["扩建厂房用地指标尚未落实", "项目用地规划调整审批缓慢", "土地证办理遇阻"],
    "power": ["新增生产线需要扩容变压器", "园区频繁停电影响生产", "电力接入工程进度慢"],
    "energy": ["冬季用煤供应紧张", "天然气价格上涨请求协调", "能耗指标不足影响投产"],
    "labour": ["熟练技工招聘困难", "需要开展订单式培训", "社保补贴申领不畅"],
    "logistics": ["铁路专用线运力不足", "出口集装箱订舱困难", "物流园区道路拥堵"],
    "financing": ["流动资金贷款到期续贷困难", "申请技改项目贴息", "应收账款融资渠道少"],
    "policy": ["稳岗补贴尚未拨付", "研发费用加计扣除政策未落实", "专精特新奖励资金未到位"],
    "approval": ["环评审批时间过长", "施工许可证办理材料反复补正", "消防验收预约排期长"],
    "market": ["希望对接整车厂采购需求", "参加境外展会需要支持", "产品进入政府采购目录"],
    "innovation": ["高层次人才子女入学", "申报省级技术中心需要指导", "校企合作研发平台搭建"],
    "infrastructure": ["厂区周边道路破损", "园区污水管网未接通", "供暖管网改造滞后"],
    "legal": ["执法检查频次过多", "合同纠纷需要法律援助", "知识产权被侵权"],
    "other": ["企业更名后多部门信息不一致", "希望协调解决员工通勤班车", "周边施工噪音扰民"],
}


class Command(BaseCommand):
    help = "Create the demo city: master data, accounts (password qinqing-demo) and tickets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-tickets", action="store_true", help="Create no tickets.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, no_tickets: bool = False, seed: int = 2026, **options) -> None:
        if not settings.SEED_DEMO_ALLOWED:
            raise CommandError(
                "seed_demo makes accounts with a published password; production settings "
                "refuse it (SEED_DEMO_ALLOWED is False)."
            )
        rng = random.Random(seed)
        with transaction.atomic():
            world = self.master_data(rng)
            self.hotline()
        self.stdout.write(self.style.SUCCESS("Master data and demo accounts are in place."))
        if not Dispatch.objects.exists():
            count = self.dispatches(rng)
            self.stdout.write(self.style.SUCCESS(f"{count} demo dispatches recorded."))
        from tickets.models import Ticket

        if no_tickets:
            return
        if Ticket.objects.exists():
            self.stdout.write("Tickets exist already; none added.")
            return
        from tickets.demo import seed_tickets

        count = seed_tickets(world, rng=rng, count=200, now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"{count} demo tickets created."))
        from reports.periods import last_week
        from reports.services import bulletin_publish

        published = bulletin_publish(week=last_week())
        self.stdout.write(self.style.SUCCESS(f"{len(published)} bulletins of last week published."))

    # --- master data -----------------------------------------------------------------------

    def master_data(self, rng: random.Random) -> dict:
        password = make_password(PASSWORD)  # hashed once: PBKDF2 is slow on purpose
        districts = {
            code: District.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "sort_order": i}
            )[0]
            for i, (code, name, kind, _region) in enumerate(DISTRICTS)
        }
        regions = {code: region for code, _n, _k, region in DISTRICTS}
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

        def official(username, name, title, level, department=None, district=None, **flags):
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

        L = Official.Level
        office = official(
            "office", "王芳", "领导小组办公室综合协调处处长", L.DIVISION, is_office=True
        )
        office_membership_sync(user=office.user)  # into the admin, with the office's rights
        leader = official("leader", "李建国", "副市长", L.CITY_LEADER)
        district_leader = official(
            "district_leader",
            "赵明",
            "朝阳区副区长",
            L.BUREAU_LEADER,
            district=districts["chaoyang"],
        )
        gxj = departments["gxj"]
        division = official("official", "张伟", "工信局产业发展处副处长", L.DIVISION, gxj)
        official("coordinator", "刘洋", "工信局办公室主任", L.DIVISION, gxj, is_coordinator=True)
        bureau_leaders = [
            official(f"bureau-{code}", f"{short}局领导", f"{name}副局长", L.BUREAU_LEADER, dept)
            for (code, name, short), dept in zip(
                DEPARTMENTS[:5], list(departments.values())[:5], strict=False
            )
        ]
        workers = {}
        for code, name, short in DEPARTMENTS:
            dept = departments[code]
            if code != "gxj":
                official(
                    f"coord-{code}",
                    f"{short}联络人",
                    f"{name}办公室",
                    L.DIVISION,
                    dept,
                    is_coordinator=True,
                )
            workers[code] = [
                official(f"staff-{code}-{n}", f"{short}干部{n}", f"{name}科员", L.DIVISION, dept)
                for n in (1, 2)
            ]
        workers["gxj"].insert(0, division)

        enterprises = []
        used_heads = set()
        for n in range(50):
            chain_code = CHAINS[n % len(CHAINS)][0]
            district_code = DISTRICTS[n % len(DISTRICTS)][0]
            head = NAME_HEADS[n % len(NAME_HEADS)]
            trade = NAME_TRADES[chain_code][(n // len(NAME_HEADS)) % len(NAME_TRADES[chain_code])]
            name = f"长春{head}{trade}有限公司"
            if name in used_heads:
                name = f"长春{head}{trade}股份有限公司"
            used_heads.add(name)
            body = f"91{regions[district_code]}{_org_code(seed=n)}"
            uscc = body + stdnum_uscc.calc_check_digit(body)
            enterprise, _ = Enterprise.objects.get_or_create(
                uscc=uscc,
                defaults={
                    "name": name,
                    "district": districts[district_code],
                    "industry_chain": chains[chain_code],
                    "revenue_tier": "abccddd"[n % 7],
                    "srdi_level": ["none", "none", "municipal", "provincial", "national"][n % 5],
                    "address": f"{districts[district_code].name}产业路{100 + n}号",
                    "contact_name": f"联系人{n + 1}",
                    "contact_phone": f"0431-8{n:03d}{n:04d}"[:16],
                },
            )
            enterprises.append(enterprise)

        # Coverage: one primary leader and one liaison each (包保: 一户一领导).
        primaries = [leader, district_leader, *bureau_leaders]
        liaisons = [division, *[w for ws in workers.values() for w in ws if w != division]]
        for n, enterprise in enumerate(enterprises):
            primary = primaries[n % len(primaries)]
            if enterprise.district.code == "chaoyang":
                primary = district_leader
            liaison = division if n % 8 == 0 else liaisons[n % len(liaisons)]
            if not enterprise.coverages.exists():
                Coverage.objects.create(
                    official=primary, enterprise=enterprise, role=Coverage.Role.PRIMARY
                )
                if liaison != primary:
                    Coverage.objects.create(
                        official=liaison, enterprise=enterprise, role=Coverage.Role.LIAISON
                    )

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
                members[enterprise.pk] = member(
                    f"ent-{n + 1:02d}", f"企业联系人{n + 1}", enterprise
                )
        return {
            "office": office.user,
            "coordinators": {
                d.code: Official.objects.filter(department=d, is_coordinator=True).first().user
                for d in departments.values()
            },
            "departments": departments,
            "workers": {code: [w.user for w in ws] for code, ws in workers.items()},
            "handler": HANDLER,
            "enterprises": enterprises,
            "members": members,
            "categories": list(Category.objects.filter(children__isnull=True)),
            "problems": PROBLEMS,
            "leader": leader.user,
            "division": division.user,
        }

    def hotline(self) -> None:
        """The 12345 hotline as an integration whose Open311 API key is `qinqing-demo-key`."""
        from integrations.models import Integration
        from integrations.services import integration_create, integration_key_issue
        from tickets.models import Channel

        integration = Integration.objects.filter(name="hotline").first()
        if integration is None:
            integration = integration_create(
                name="hotline", description="12345 政务服务便民热线", channel=Channel.HOTLINE
            )
        if not integration.keys.exists():
            integration_key_issue(integration=integration, label="demo", raw=DEMO_API_KEY)

    def dispatches(self, rng: random.Random) -> int:
        """Eight weeks of dispatches: most due dates answered by a covering official, some missed."""
        from dispatches.cadence import due_dates

        today = timezone.localdate()
        made = []
        covered = Enterprise.objects.filter(revenue_tier__in="abc").prefetch_related(
            "coverages__official"
        )
        for enterprise in covered:
            liaisons = [c.official for c in enterprise.coverages.all()]
            for due in due_dates(enterprise.revenue_tier, today - dt.timedelta(weeks=8), today):
                if rng.random() < 0.12 or not liaisons:
                    continue  # missed
                visited = min(due + dt.timedelta(days=rng.randint(0, 2)), today)
                made.append(
                    Dispatch(
                        enterprise=enterprise,
                        official=liaisons[-1],
                        scheduled_for=due,
                        visited_on=visited,
                        output_value=rng.randint(800, 90000),
                        sales=rng.randint(700, 85000),
                        notes="生产经营正常。",
                    )
                )
        Dispatch.objects.bulk_create(made)
        return len(made)


def _org_code(*, seed: int) -> str:
    """Nine characters of an organisation code, deterministic per enterprise."""
    rng = random.Random(seed * 7919)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "".join(rng.choice(alphabet[:10]) for _ in range(8)) + rng.choice(alphabet)
