"""One benchmark ticket's life, decided by dice: a row of tickets_ticket and its event rows.

Most are accepted the same working day and transferred to the category's department, a few
merged into an earlier ticket, rejected, returned, extended, late, or left open for months;
most of the resolved ones are rated, and a bad rating reopens the ticket for rework.
"""

from __future__ import annotations

import datetime as dt
import random

from tickets.workflow import NOTE_AUDIENCE, NoteAudience

from ..city import HANDLER, PROBLEMS

DAYS = 730  # two years of tickets
HOUR = 3600.0
DAY = 86400.0

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


def _ts(moment: float | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat()


class Generator:
    """Makes the tickets one after the other; collects every event row and remembers the
    latest tickets, which a duplicate may be merged into."""

    def __init__(self, rng: random.Random, world: dict, deadlines, now: float) -> None:
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
        life = Life(self, pk, at, category)
        life.live()
        return self.row(pk, number, at, enterprise, category, life.acceptance_due, life.t)

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
            _ts(t["reworked_at"]),
        )


class Life:
    """One ticket from its submission on: `t` holds its columns as they change, `last` the
    moment of its latest event; each step comes a little later, and none after now."""

    def __init__(self, generator: Generator, pk: int, at: float, category) -> None:
        self.generator, self.rng, self.now = generator, generator.rng, generator.now
        self.due = generator.deadlines.after
        self.pk, self.category = pk, category
        self.t = {
            "status": "submitted", "outcome": "", "resolution": "", "reject_reason": "",
            "supervised": False, "escalation_level": 0, "accepted_at": None,
            "first_progress_at": None, "resolved_at": None, "closed_at": None,
            "rejected_at": None, "first_progress_due": None, "completion_due": None,
            "extension_days": None, "rating": "", "rated_at": None, "assignee_id": None,
            "lead_department_id": None, "merged_into_id": None, "reworked_at": None,
        }  # fmt: skip
        self.acceptance_due = self.due(at, category.acceptance_days)
        generator.event(pk, "submit", "", "submitted", at, generator.office)
        self.last = at

    def step(self, low_hours: float, high_hours: float) -> float | None:
        self.last += self.rng.uniform(low_hours, high_hours) * HOUR
        return self.last if self.last < self.now else None

    def event(self, action, before, after, at, **kwargs) -> None:
        self.generator.event(self.pk, action, before, after, at, **kwargs)

    def move(self, action, to, when, **kwargs) -> None:
        self.event(action, self.t["status"], to, when, **kwargs)
        self.t["status"] = to

    def live(self) -> None:
        roll = self.rng.random()
        if roll < 0.01 and self.generator.recent:
            self.merge()
        elif roll < 0.05:
            self.reject()
        elif (accepted := self.accept()) is not None:
            self.work(accepted)

    def work(self, accepted: float) -> None:
        """Routed, reported on, perhaps extended; resolved and rated, or still open now."""
        self.route()
        resolve_at = self.resolution_time(accepted)
        self.first_progress(accepted, resolve_at)
        self.extension(accepted)
        if resolve_at >= self.now:
            self.stay_open()
        else:
            self.resolve(resolve_at)
            self.rate_and_close(resolve_at)

    def merge(self) -> None:
        """A duplicate, merged into an earlier ticket: it takes that ticket's state."""
        main = self.rng.choice(self.generator.recent)
        when = self.step(1, 30)
        if when is None:
            return
        self.t.update(
            merged_into_id=main[0], status=main[1], outcome=main[2],
            resolved_at=main[3], closed_at=main[4],
        )  # fmt: skip
        if main[2]:
            self.t["resolution"] = "并入主单办理。"
        self.event("merge", "submitted", main[1], when, actor=self.generator.office)

    def reject(self) -> None:
        when = self.step(0.5, 20)
        if when is not None:
            reason = self.rng.choice(["duplicate", "out_of_scope"])
            self.t.update(rejected_at=when, reject_reason=reason)
            self.move(
                "reject", "rejected", when, actor=self.generator.office, note="不属于受理范围。"
            )

    def accept(self) -> float | None:
        """Mostly the same working day, sometimes late; the moment, or None if not yet."""
        lateness = self.rng.random()
        accepted = self.step(
            *((0.2, 6) if lateness < 0.88 else (6, 30) if lateness < 0.96 else (30, 90))
        )
        if accepted is None:
            return None
        self.t.update(
            accepted_at=accepted,
            first_progress_due=self.due(accepted, self.category.progress_days),
            completion_due=self.due(accepted, self.category.completion_days),
        )
        self.move("accept", "accepted", accepted, actor=self.generator.office)
        return accepted

    def route(self) -> None:
        """Transferred to the handling department (else the office works it), sometimes
        returned as not its business and sent elsewhere, then assigned to one of its staff."""
        if self.rng.random() >= 0.95:
            return
        world, codes, t = self.generator.world, self.generator.department_codes, self.t
        code = HANDLER[self.category.code] if self.rng.random() < 0.8 else self.rng.choice(codes)
        department = world["departments"][code].pk
        when = self.step(0.2, 24)
        if when is None:
            return
        t["lead_department_id"] = department
        self.move("transfer", "in_progress", when, actor=self.generator.office)
        if self.rng.random() < 0.03:  # returned as not its business, then sent elsewhere
            when = self.step(2, 48)
            if when is not None:
                t["lead_department_id"] = None
                self.move("return", "accepted", when, department=department, note="非本部门职责。")
                department = world["departments"][self.rng.choice(codes)].pk
                when = self.step(1, 24)
                if when is not None:
                    t["lead_department_id"] = department
                    self.move("transfer", "in_progress", when, actor=self.generator.office)
        if t["lead_department_id"] is not None:
            when = self.step(0.2, 24)
            if when is not None:
                staff = world["staff"].get(department) or [self.generator.office]
                t["assignee_id"] = self.rng.choice(staff)
                self.move("assign", "in_progress", when, actor=self.generator.office)

    def resolution_time(self, accepted: float) -> float:
        """When it will be resolved: longer for complex categories, months for the hard cases
        (超期)."""
        scale = 2.5 if self.category.completion_days > 10 else 1.0
        resolve_at = accepted + self.rng.lognormvariate(1.2, 0.6) * scale * DAY
        if self.rng.random() < 0.003:
            resolve_at = accepted + self.rng.uniform(20, 400) * DAY
        return resolve_at

    def first_progress(self, accepted: float, resolve_at: float) -> None:
        """Mostly within three working days, sometimes late or never."""
        p = self.rng.random()
        progress_at = None
        if p < 0.8:
            progress_at = accepted + self.rng.uniform(4, 60) * HOUR
        elif p < 0.92:
            progress_at = accepted + self.rng.uniform(3, 9) * DAY
        if progress_at is not None and progress_at < min(self.now, resolve_at):
            self.t["first_progress_at"] = progress_at
            self.event("progress", self.t["status"], "in_progress", progress_at, note="正在协调。")
            self.t["status"] = "in_progress"

    def extension(self, accepted: float) -> None:
        """A few extensions, most of them approved; one still waiting for its decision."""
        if self.rng.random() >= 0.05:
            return
        requested = accepted + self.rng.uniform(2, 5) * DAY
        if requested >= self.now:
            return
        days = self.rng.randint(5, 15)
        status = self.t["status"]
        self.event("request_extension", status, status, requested)
        decided = requested + self.rng.uniform(2, 48) * HOUR
        if decided >= self.now:
            self.t["extension_days"] = days
        elif self.rng.random() < 0.75:
            self.t["completion_due"] = self.due(self.t["completion_due"], days)
            self.event("approve_extension", status, status, decided)
        else:
            self.event("deny_extension", status, status, decided)

    def stay_open(self) -> None:
        """Still open: supervised when overdue (some of them), a few escalated."""
        overdue = self.t["completion_due"] < self.now
        if (overdue and self.rng.random() < 0.3) or self.rng.random() < 0.01:
            self.t["supervised"] = True
            when = self.now - self.rng.uniform(1, 48) * HOUR
            self.event("supervise", self.t["status"], self.t["status"], when)
        if overdue and self.rng.random() < 0.2:
            self.t["escalation_level"] = 1

    def resolve(self, when: float) -> None:
        outcome = "solved" if self.rng.random() < 0.91 else "explained"
        self.t.update(outcome=outcome, resolved_at=when, resolution="已办结。")
        self.event("resolve", self.t["status"], "resolved", when, actor=self.t["assignee_id"])
        self.t["status"] = "resolved"

    def rate_and_close(self, resolve_at: float) -> None:
        """Most rate within a few days: a good rating closes it, a bad one reopens it for
        rework; unrated, it closes itself after seven days."""
        if self.rng.random() < 0.7:
            rated = resolve_at + self.rng.uniform(0.2, 6) * DAY
            if rated >= self.now:
                return
            g = self.generator
            rating = self.rng.choices(g.rating_values, weights=g.rating_weights)[0]
            self.t.update(rating=rating, rated_at=rated)
            if rating not in BAD:
                self.t["closed_at"] = rated
                self.move("rate", "closed", rated)
                return
            self.t.update(
                outcome="",
                resolution="",
                resolved_at=None,
                completion_due=self.due(rated, 15),
                reworked_at=rated,
            )
            self.move("rate", "reopened", rated)
            again = rated + self.rng.uniform(2, 20) * DAY
            if again >= self.now:
                return
            self.t.update(rating="", rated_at=None)
            self.resolve(again)
            resolve_at = again
        closed = resolve_at + 7 * DAY
        if closed < self.now:
            self.t["closed_at"] = closed
            self.move("close", "closed", closed)
