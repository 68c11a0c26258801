"""A city for the benchmarks: master data and N tickets with their events over two years.

Tickets are generated in Python with realistic spreads (districts and enterprises unevenly busy,
weekdays busier than weekends, most old tickets closed and most open ones recent, a few
rejected, merged, returned, extended, late or badly rated) and written with PostgreSQL's COPY
(psycopg 3), the secondary indexes dropped during the load and rebuilt after it, and foreign-key
triggers skipped (`session_replication_role = replica`) because every id is generated here.
Deadlines come from the real working-day calendar, looked up once per day.

This is for the benchmark database only: it empties the tickets and master data first.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from enterprises.management.commands.seed_demo import CHAINS, DEPARTMENTS, DISTRICTS, PROBLEMS
from enterprises.models import Category
from tickets.workflow import NOTE_AUDIENCE, NoteAudience
from workdays.calendar import END_OF_DAY, WorkCalendar

from .models import CampaignSettings

DAYS = 730  # two years of tickets
HOUR = 3600.0
DAY = 86400.0

# Which department takes which category's problems (as in the demo city).
HANDLER = {
    "land": "zrzy", "power": "power", "energy": "fgw", "labour": "rsj", "logistics": "swj",
    "financing": "jrb", "policy": "gxj", "approval": "zwfw", "market": "swj",
    "innovation": "kjj", "infrastructure": "zjj", "legal": "gxj", "other": "gxj",
}  # fmt: skip
CATEGORY_WEIGHTS = {
    "land": 9, "power": 8, "energy": 5, "labour": 10, "logistics": 4, "financing": 16,
    "policy": 14, "approval": 12, "market": 7, "innovation": 6, "infrastructure": 5,
    "legal": 2, "other": 2,
}  # fmt: skip
RATINGS = [
    ("very_satisfied", 50), ("satisfied", 30), ("basically_satisfied", 12),
    ("unsatisfied", 5), ("very_unsatisfied", 3),
]  # fmt: skip
BAD = {"unsatisfied", "very_unsatisfied"}
CHANNELS = ["web"] * 6 + ["phone", "visit", "wechat", "hotline", "api"]

# The notes the enterprise reads (tickets.workflow.NOTE_AUDIENCE); the progress notes written
# here are the kind an official shows to the enterprise.
NOTES_FOR_THE_ENTERPRISE = {
    action.value
    for action, audience in NOTE_AUDIENCE.items()
    if audience == NoteAudience.ENTERPRISE
} | {"progress"}

TICKET_COLUMNS = (
    "id", "number", "title", "description", "channel", "status", "outcome", "resolution",
    "reject_reason", "supervised", "escalation_level", "submitted_at", "accepted_at",
    "first_progress_at", "resolved_at", "closed_at", "rejected_at", "acceptance_due",
    "first_progress_due", "completion_due", "extension_days", "extension_reason", "rating",
    "rating_comment", "rated_at", "contact_name", "contact_phone", "updated_at", "assignee_id",
    "category_id", "enterprise_id", "extension_requested_by_id", "lead_department_id",
    "merged_into_id", "submitted_by_id", "contact_email",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "action", "from_status", "to_status", "note", "public", "note_public", "data",
    "created_at", "actor_id", "department_id", "ticket_id",
)  # fmt: skip
BENCH_TABLES = [
    "tickets_ticketevent", "tickets_attachment", "tickets_ticket_supporting_departments",
    "tickets_ticket", "tickets_ticketcounter", "notifications_delivery",
    "notifications_notification", "notifications_preference", "reports_bulletin",
    "enterprises_coverage", "enterprises_enterprisemember", "enterprises_official",
    "enterprises_enterprise", "enterprises_industrychain", "enterprises_department",
    "enterprises_district", "django_admin_log", "auth_user_groups", "auth_user",
    "reports_dayfigures",
]  # fmt: skip
LOADED_TABLES = ["tickets_ticket", "tickets_ticketevent"]

# The accounts the benchmark logs in as.
OFFICE_USERNAME = "bench-office"
DISTRICT_LEADER_USERNAME = "bench-district-leader"


@dataclass
class Seeded:
    tickets: int
    events: int
    enterprises: int
    seconds: float


class Deadlines:
    """The end of the k-th working day after a local date, from the calendar, cached by day."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkCalendar.load()
        self.first = first
        self.working: list[dt.date] = []
        self.position: list[int] = []  # working days up to and including each date
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.working.append(day)
            self.position.append(len(self.working))
            day += dt.timedelta(days=1)
        self.cache: dict[tuple[int, int], float] = {}

    def after(self, moment: float, days: int) -> float:
        local = timezone.localtime(dt.datetime.fromtimestamp(moment, dt.UTC))
        index = (local.date() - self.first).days
        key = (index, days)
        if key not in self.cache:
            due = self.working[self.position[index] + days - 1]
            self.cache[key] = timezone.make_aware(dt.datetime.combine(due, END_OF_DAY)).timestamp()
        return self.cache[key]


def _ts(moment: float | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat()


def seed(
    *,
    tickets: int,
    seed: int = 2026,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = print,
) -> Seeded:
    """Empty the bench tables and fill them with `tickets` tickets and their events."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_bench writes with PostgreSQL's COPY; use a PostgreSQL database.")
    started = time.monotonic()
    rng = random.Random(seed)
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")
        world = _master_data(rng, tickets)
        log(f"master data: {len(world['enterprises'])} enterprises, {world['officials']} officials")
        dropped = _drop_indexes()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        counts = _load_tickets(rng, world, tickets, now, log)
        CampaignSettings.objects.update_or_create(
            pk=1, defaults={"campaign_start": timezone.localdate(now) - dt.timedelta(days=DAYS)}
        )
        log("rebuilding indexes …")
        with connection.cursor() as cursor:
            for statement in dropped:
                cursor.execute(statement)
            cursor.execute("SET LOCAL session_replication_role = origin")
    from .rollup import rollup_rebuild

    log(f"rollup: {rollup_rebuild()} rows")
    log("analyze …")
    with connection.cursor() as cursor:
        for table in BENCH_TABLES:
            cursor.execute(f"ANALYZE {table}")
    return Seeded(
        tickets=tickets,
        events=counts,
        enterprises=len(world["enterprises"]),
        seconds=time.monotonic() - started,
    )


def _drop_indexes() -> list[str]:
    """Drop the secondary indexes of the loaded tables; answer the statements that rebuild them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [LOADED_TABLES],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _master_data(rng: random.Random, tickets: int) -> dict:
    from django.contrib.auth import get_user_model

    from enterprises.models import (
        Coverage,
        Department,
        District,
        Enterprise,
        IndustryChain,
        Official,
    )

    User = get_user_model()
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
    by_code = {d.code: d for d in departments}

    n_enterprises = max(200, min(25_000, tickets // 40))
    n_officials = max(60, n_enterprises // 8)
    users = User.objects.bulk_create(
        User(username=f"bench-{n:05d}", password="!", email="") for n in range(n_officials)
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
        Official(
            user=user,
            name=f"干部{n:05d}",
            level=levels[n] if n < len(levels) else Official.Level.DIVISION,
            department=departments[n % len(departments)],
        )
        for n, user in enumerate(users)
    )
    leaders = officials[: max(10, n_officials // 5)]
    staff: dict[int, list[int]] = {}
    for official in officials:
        staff.setdefault(official.department_id, []).append(official.user_id)

    # Districts and chains unevenly busy; most enterprises small (tier d) and not SRDI.
    district_weights = [1 / (i + 1) ** 0.7 for i in range(len(districts))]
    tiers = rng.choices("abcd", weights=[2, 8, 30, 60], k=n_enterprises)
    srdi = rng.choices(
        ["national", "provincial", "municipal", "none"], weights=[2, 8, 15, 75], k=n_enterprises
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准测试企业{n:05d}有限公司",
            uscc=f"BENCH{n:013d}",
            district=rng.choices(districts, weights=district_weights)[0],
            industry_chain=None if rng.random() < 0.25 else rng.choice(chains),
            revenue_tier=tiers[n],
            srdi_level=srdi[n],
        )
        for n in range(n_enterprises)
    )
    # One primary covering leader for nine enterprises in ten (the rest are not covered yet).
    Coverage.objects.bulk_create(
        Coverage(official=rng.choice(leaders), enterprise=e, role=Coverage.Role.PRIMARY)
        for e in enterprises
        if rng.random() < 0.9
    )
    categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORY_WEIGHTS)}
    return {
        "enterprises": [e.pk for e in enterprises],
        "enterprise_weights": [1 / (i + 1) ** 0.6 for i in range(n_enterprises)],
        "categories": categories,
        "departments": by_code,
        "staff": staff,
        "office": office_user.pk,
        "officials": n_officials,
    }


def _load_tickets(rng: random.Random, world: dict, count: int, now: dt.datetime, log) -> int:
    """Generate and COPY the tickets and their events; answer the number of events."""
    now_ts = now.timestamp()
    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=DAYS)
    deadlines = Deadlines(first_day - dt.timedelta(days=7), today + dt.timedelta(days=400))

    # Submission days: weekdays four times busier than weekends, growing over the two years.
    days = [first_day + dt.timedelta(days=n) for n in range(DAYS + 1)]
    weights = [
        (0.7 + 0.6 * n / DAYS) * (1 if d.weekday() < 5 else 0.25) for n, d in enumerate(days)
    ]
    day_picks = sorted(rng.choices(range(len(days)), weights=weights, k=count))
    midnight = {
        n: timezone.make_aware(dt.datetime.combine(d, dt.time())).timestamp()
        for n, d in enumerate(days)
    }
    enterprise_picks = rng.choices(
        world["enterprises"], weights=world["enterprise_weights"], k=count
    )
    codes = list(CATEGORY_WEIGHTS)
    category_picks = rng.choices(codes, weights=list(CATEGORY_WEIGHTS.values()), k=count)
    gen = _Generator(rng, world, deadlines, now_ts)

    events = 0
    started = time.monotonic()
    ticket_sql = f"COPY tickets_ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN"
    event_sql = f"COPY tickets_ticketevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    counters: dict[int, int] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(ticket_sql) as ticket_copy:
            for n in range(count):
                day = day_picks[n]
                at = midnight[day] + rng.uniform(8, 18) * HOUR
                if at >= now_ts:
                    at = now_ts - rng.uniform(60, 3600)
                year = (first_day + dt.timedelta(days=day)).year
                counters[year] = counters.get(year, 0) + 1
                ticket_copy.write_row(
                    gen.ticket(
                        pk=n + 1,
                        number=f"ZQ-{year}-{counters[year]:06d}",
                        at=at,
                        enterprise=enterprise_picks[n],
                        category=world["categories"][category_picks[n]],
                    )
                )
                if n and n % 100_000 == 0:
                    log(f"  {n:,} tickets ({time.monotonic() - started:.0f} s)")
        log(f"tickets written ({time.monotonic() - started:.0f} s); events …")
        with raw.copy(event_sql) as event_copy:
            for row in gen.events:
                event_copy.write_row(row)
        events = len(gen.events)
        cursor.execute("SELECT setval('tickets_ticket_id_seq', %s)", [count + 1])
        cursor.execute("SELECT setval('tickets_ticketevent_id_seq', %s)", [events + 1])
        for year, last in counters.items():
            cursor.execute(
                "INSERT INTO tickets_ticketcounter (year, last) VALUES (%s, %s)", [year, last]
            )
    log(f"{count:,} tickets and {events:,} events written ({time.monotonic() - started:.0f} s)")
    return events


class _Generator:
    """One ticket's life, decided by dice, as a row of tickets_ticket plus its event rows."""

    def __init__(self, rng: random.Random, world: dict, deadlines: Deadlines, now: float) -> None:
        self.rng = rng
        self.world = world
        self.deadlines = deadlines
        self.now = now
        self.events: list[tuple] = []
        self.recent: list[tuple] = []  # (pk, status, outcome, resolved_at, closed_at) for merges
        self.office = world["office"]
        self.department_codes = list(world["departments"])
        self.rating_values = [r for r, _w in RATINGS]
        self.rating_weights = [w for _r, w in RATINGS]

    def event(self, pk, action, before, after, at, actor=None, department=None, note="") -> None:
        self.events.append(
            (
                len(self.events) + 1,
                action,
                before,
                after,
                note,
                True,
                action in NOTES_FOR_THE_ENTERPRISE,
                "{}",
                _ts(at),
                actor,
                department,
                pk,
            )
        )

    def ticket(self, *, pk: int, number: str, at: float, enterprise: int, category) -> tuple:
        rng, now, due = self.rng, self.now, self.deadlines.after
        t = {
            "status": "submitted", "outcome": "", "resolution": "", "reject_reason": "",
            "supervised": False, "escalation_level": 0, "accepted_at": None,
            "first_progress_at": None, "resolved_at": None, "closed_at": None,
            "rejected_at": None, "first_progress_due": None, "completion_due": None,
            "extension_days": None, "rating": "", "rated_at": None, "assignee_id": None,
            "lead_department_id": None, "merged_into_id": None,
        }  # fmt: skip
        acceptance_due = due(at, category.acceptance_days)
        self.event(pk, "submit", "", "submitted", at, self.office)
        last = at

        def step(low_hours: float, high_hours: float) -> float | None:
            nonlocal last
            last += rng.uniform(low_hours, high_hours) * HOUR
            return last if last < now else None

        def move(action, to, when, **kwargs) -> None:
            self.event(pk, action, t["status"], to, when, **kwargs)
            t["status"] = to

        roll = rng.random()
        if roll < 0.01 and self.recent:  # a duplicate, merged into an earlier ticket
            main = rng.choice(self.recent)
            when = step(1, 30)
            if when is not None:
                t.update(
                    merged_into_id=main[0], status=main[1], outcome=main[2],
                    resolved_at=main[3], closed_at=main[4],
                )  # fmt: skip
                if main[2]:
                    t["resolution"] = "并入主单办理。"
                self.event(pk, "merge", "submitted", main[1], when, self.office)
            return self.row(pk, number, at, enterprise, category, acceptance_due, t)
        if roll < 0.05:  # rejected
            when = step(0.5, 20)
            if when is not None:
                t.update(rejected_at=when, reject_reason=rng.choice(["duplicate", "out_of_scope"]))
                move("reject", "rejected", when, actor=self.office, note="不属于受理范围。")
            return self.row(pk, number, at, enterprise, category, acceptance_due, t)

        # Acceptance: mostly the same working day, sometimes late.
        lateness = rng.random()
        accepted = step(
            *((0.2, 6) if lateness < 0.88 else (6, 30) if lateness < 0.96 else (30, 90))
        )
        if accepted is None:
            return self.row(pk, number, at, enterprise, category, acceptance_due, t)
        t.update(
            accepted_at=accepted,
            first_progress_due=due(accepted, category.progress_days),
            completion_due=due(accepted, category.completion_days),
        )
        move("accept", "accepted", accepted, actor=self.office)

        department = None
        if rng.random() < 0.95:  # transferred to the handling department (else the office works it)
            code = (
                HANDLER[category.code] if rng.random() < 0.8 else rng.choice(self.department_codes)
            )
            department = self.world["departments"][code].pk
            when = step(0.2, 24)
            if when is not None:
                t["lead_department_id"] = department
                move("transfer", "in_progress", when, actor=self.office)
                if rng.random() < 0.03:  # returned as not its business, then sent elsewhere
                    when = step(2, 48)
                    if when is not None:
                        t["lead_department_id"] = None
                        move(
                            "return", "accepted", when, department=department, note="非本部门职责。"
                        )
                        department = self.world["departments"][rng.choice(self.department_codes)].pk
                        when = step(1, 24)
                        if when is not None:
                            t["lead_department_id"] = department
                            move("transfer", "in_progress", when, actor=self.office)
                if t["lead_department_id"] is not None:
                    when = step(0.2, 24)
                    if when is not None:
                        staff = self.world["staff"].get(department) or [self.office]
                        t["assignee_id"] = rng.choice(staff)
                        move("assign", "in_progress", when, actor=self.office)

        # Resolution time, longer for complex categories.
        scale = 2.5 if category.completion_days > 10 else 1.0
        resolve_at = accepted + rng.lognormvariate(1.2, 0.6) * scale * DAY
        if rng.random() < 0.003:  # the hard cases that stay open for months (超期)
            resolve_at = accepted + rng.uniform(20, 400) * DAY

        # First progress: mostly within three working days, sometimes late or never.
        p = rng.random()
        progress_at = None
        if p < 0.8:
            progress_at = accepted + rng.uniform(4, 60) * HOUR
        elif p < 0.92:
            progress_at = accepted + rng.uniform(3, 9) * DAY
        if progress_at is not None and progress_at < min(now, resolve_at):
            t["first_progress_at"] = progress_at
            self.event(pk, "progress", t["status"], "in_progress", progress_at, note="正在协调。")
            t["status"] = "in_progress"

        # A few extensions, most of them approved.
        if rng.random() < 0.05:
            requested = accepted + rng.uniform(2, 5) * DAY
            if requested < now:
                days = rng.randint(5, 15)
                self.event(pk, "request_extension", t["status"], t["status"], requested)
                decided = requested + rng.uniform(2, 48) * HOUR
                if decided < now:
                    if rng.random() < 0.75:
                        t["completion_due"] = self.deadlines.after(t["completion_due"], days)
                        self.event(pk, "approve_extension", t["status"], t["status"], decided)
                    else:
                        self.event(pk, "deny_extension", t["status"], t["status"], decided)
                else:
                    t["extension_days"] = days
        if resolve_at >= now:  # still open
            overdue = t["completion_due"] < now
            if (overdue and rng.random() < 0.3) or rng.random() < 0.01:
                t["supervised"] = True
                self.event(
                    pk, "supervise", t["status"], t["status"], now - rng.uniform(1, 48) * HOUR
                )
            if overdue and rng.random() < 0.2:
                t["escalation_level"] = 1
            return self.row(pk, number, at, enterprise, category, acceptance_due, t)
        self.resolve(pk, t, resolve_at)

        # Rating: most rate within a few days; a bad rating reopens for rework.
        if rng.random() < 0.7:
            rated = resolve_at + rng.uniform(0.2, 6) * DAY
            if rated >= now:
                return self.row(pk, number, at, enterprise, category, acceptance_due, t)
            rating = rng.choices(self.rating_values, weights=self.rating_weights)[0]
            t.update(rating=rating, rated_at=rated)
            if rating not in BAD:
                t["closed_at"] = rated
                move("rate", "closed", rated)
                return self.row(pk, number, at, enterprise, category, acceptance_due, t)
            t.update(outcome="", resolution="", resolved_at=None, completion_due=due(rated, 15))
            move("rate", "reopened", rated)
            again = rated + rng.uniform(2, 20) * DAY
            if again >= now:
                return self.row(pk, number, at, enterprise, category, acceptance_due, t)
            t.update(rating="", rated_at=None)
            self.resolve(pk, t, again)
            resolve_at = again
        closed = resolve_at + 7 * DAY
        if closed < now:
            t["closed_at"] = closed
            move("close", "closed", closed)
        return self.row(pk, number, at, enterprise, category, acceptance_due, t)

    def resolve(self, pk: int, t: dict, when: float) -> None:
        outcome = "solved" if self.rng.random() < 0.91 else "explained"
        t.update(outcome=outcome, resolved_at=when, resolution="已办结。")
        self.event(pk, "resolve", t["status"], "resolved", when, actor=t["assignee_id"])
        t["status"] = "resolved"

    def row(self, pk, number, at, enterprise, category, acceptance_due, t) -> tuple:
        if t["merged_into_id"] is None and t["status"] != "rejected":
            self.recent.append((pk, t["status"], t["outcome"], t["resolved_at"], t["closed_at"]))
            if len(self.recent) > 200:
                self.recent.pop(0)
        title = self.rng.choice(PROBLEMS[category.code])
        return (
            pk,
            number,
            title,
            f"企业反映：{title}。请协调解决。",
            self.rng.choice(CHANNELS),
            t["status"],
            t["outcome"],
            t["resolution"],
            t["reject_reason"],
            t["supervised"],
            t["escalation_level"],
            _ts(at),
            _ts(t["accepted_at"]),
            _ts(t["first_progress_at"]),
            _ts(t["resolved_at"]),
            _ts(t["closed_at"]),
            _ts(t["rejected_at"]),
            _ts(acceptance_due),
            _ts(t["first_progress_due"]),
            _ts(t["completion_due"]),
            t["extension_days"],
            "需要更多时间。" if t["extension_days"] else "",
            t["rating"],
            "",
            _ts(t["rated_at"]),
            "",
            "",
            _ts(self.now),
            t["assignee_id"],
            category.pk,
            enterprise,
            None,
            t["lead_department_id"],
            t["merged_into_id"],
            self.office,
            "",
        )
