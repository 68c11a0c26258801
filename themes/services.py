"""Finding candidate themes and similar problems, and the life of a theme.

A theme is the office's: it confirms a candidate (or gathers tickets by hand), names it, gives it a
lead department, a coordinating leader and a deadline in working days, records its progress and
resolves it. Resolving proposes the theme's resolution to each member ticket; the ticket's
handler confirms it through the ticket's own RESOLVE transition, so every rule of a ticket (who
may resolve, the enterprise's rating after) still holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Department, Enterprise, EnterpriseMember, Official
from notifications.models import Kind
from notifications.services import notify
from tickets.models import Action, Channel, Outcome, Status, Ticket
from tickets.services import ticket_submit, ticket_transition
from workdays.calendar import WorkCalendar

from .models import Candidate, Member, Outreach, Progress, Similar, Theme

WINDOW_DAYS = 90
SIMILAR_SHOWN = 5
SIMILAR_LEAST = 0.15  # below this a "similar" problem is noise
CLOSED = [Status.REJECTED]  # problems that are no problem of anyone's


@dataclass(frozen=True)
class Found:
    tickets: list[Ticket]
    title: str
    score: float

    def as_json(self) -> dict:
        return {
            "tickets": [t.number for t in self.tickets],
            "title": self.title,
            "score": round(self.score, 3),
        }


def _window(days: int, now: dt.datetime) -> list[Ticket]:
    """The problems of the last `days` days that a theme may gather (not merged away, not
    refused), oldest first."""
    return list(
        Ticket.objects.filter(
            submitted_at__gte=now - dt.timedelta(days=days), merged_into__isnull=True
        )
        .exclude(status__in=CLOSED)
        .only("pk", "number", "title", "description", "enterprise_id", "status", "submitted_at")
        .order_by("submitted_at", "pk")
    )


def candidates_find(*, days: int = WINDOW_DAYS, now: dt.datetime | None = None) -> list[Found]:
    """Groups of one cause across at least two enterprises, among the last `days` days'
    problems not yet in a theme; best first."""
    now = now or timezone.now()
    tickets = _free(_window(days, now))
    if len(tickets) < 2:
        return []
    from .similarity import Vectors, document  # numpy, scikit-learn and jieba: the worker's

    vectors = Vectors.of([document(t.title, t.description) for t in tickets])
    found = []
    for rows in vectors.groups():
        members = [tickets[i] for i in rows]
        if len({t.enterprise_id for t in members}) < 2:
            continue  # one enterprise's repeats: a merge, not a theme
        central, score = vectors.summary(rows)
        found.append(Found(members, tickets[central].title, score))
    return sorted(found, key=lambda f: (len(f.tickets), f.score), reverse=True)


def _free(tickets: list[Ticket]) -> list[Ticket]:
    taken = set(Member.objects.filter(ticket__in=tickets).values_list("ticket_id", flat=True))
    return [t for t in tickets if t.pk not in taken]


@transaction.atomic
def candidates_refresh(*, days: int = WINDOW_DAYS, now: dt.datetime | None = None) -> int:
    """The nightly job: replace the office's undecided candidates with tonight's; a group the
    office dismissed stays dismissed."""
    dismissed = {
        frozenset(c.tickets.values_list("pk", flat=True))
        for c in Candidate.objects.filter(dismissed=True)
    }
    Candidate.objects.filter(dismissed=False).delete()
    count = 0
    for found in candidates_find(days=days, now=now):
        if frozenset(t.pk for t in found.tickets) in dismissed:
            continue
        candidate = Candidate.objects.create(title=found.title[:100], score=found.score)
        candidate.tickets.set(found.tickets)
        count += 1
    return count


def similar_refresh(*, now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> int:
    """Find the problems most like each one filed in the last day that has none recorded yet:
    among the open and recent problems of any enterprise and any category."""
    now = now or timezone.now()
    tickets = _window(days, now)
    done = set(
        Similar.objects.filter(ticket__in=tickets).values_list("ticket_id", flat=True).distinct()
    )
    new = [
        i
        for i, t in enumerate(tickets)
        if t.submitted_at >= now - dt.timedelta(days=1) and t.pk not in done
    ]
    if not new or len(tickets) < 2:
        return 0
    from .similarity import Vectors, document  # numpy, scikit-learn and jieba: the worker's

    vectors = Vectors.of([document(t.title, t.description) for t in tickets])
    rows = []
    for i in new:
        for j, score in vectors.nearest(i, SIMILAR_SHOWN):
            if score >= SIMILAR_LEAST:  # the window holds no merged duplicate
                rows.append(Similar(ticket=tickets[i], other=tickets[j], score=round(score, 3)))
    Similar.objects.bulk_create(rows, ignore_conflicts=True)
    return len(new)


def _check_free(tickets: list[Ticket], theme: Theme | None = None) -> None:
    taken = Member.objects.filter(ticket__in=tickets).exclude(theme=theme).select_related("ticket")
    if taken:
        numbers = "、".join(m.ticket.number for m in taken)
        raise ValidationError(_("Already in another theme: %(numbers)s.") % {"numbers": numbers})


@transaction.atomic
def theme_create(
    *,
    actor: AbstractBaseUser,
    title: str,
    description: str = "",
    lead_department: Department,
    leader: Official,
    working_days: int,
    tickets: list[Ticket],
    candidate: Candidate | None = None,
) -> Theme:
    if len(tickets) < 1:
        raise ValidationError(_("A theme gathers at least one problem."))
    if not leader.is_leader:
        raise ValidationError(_("The coordinating leader must be a leader."))
    _check_free(tickets)
    now = timezone.now()
    theme = Theme.objects.create(
        title=title,
        description=description,
        lead_department=lead_department,
        leader=leader,
        due=WorkCalendar.current().add_working_days(now, working_days),
        created_by=actor,
    )
    Member.objects.bulk_create(Member(theme=theme, ticket=t) for t in tickets)
    if candidate is not None:
        candidate.delete()
    return theme


def theme_add_progress(*, actor: AbstractBaseUser, theme: Theme, note: str) -> Progress:
    return Progress.objects.create(theme=theme, note=note, author=actor)


@transaction.atomic
def theme_resolve(*, actor: AbstractBaseUser, theme: Theme, resolution: str) -> Theme:
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.status != Theme.Status.OPEN:
        raise ValidationError(_("This theme is already resolved."))
    now = timezone.now()
    theme.status, theme.resolution, theme.resolved_at = Theme.Status.RESOLVED, resolution, now
    theme.save(update_fields=["status", "resolution", "resolved_at"])
    theme.members.update(proposed_at=now)
    return theme


def member_confirm(*, actor: AbstractBaseUser, member: Member) -> Ticket:
    """The handler takes the theme's resolution for its ticket: the ticket's own RESOLVE, with
    every check of it (who may, from which status)."""
    if member.proposed_at is None:
        raise ValidationError(_("The theme has not proposed a resolution yet."))
    return ticket_transition(
        ticket=member.ticket,
        actor=actor,
        action=Action.RESOLVE,
        outcome=Outcome.SOLVED,
        resolution=_("Resolved with the theme “%(title)s”: %(resolution)s")
        % {"title": member.theme.title, "resolution": member.theme.resolution},
    )


def this_month() -> str:
    """The month a 每月一题 is picked for now: YYYY-MM, Asia/Shanghai."""
    return f"{timezone.localdate():%Y-%m}"


@transaction.atomic
def theme_pick_month(*, actor: AbstractBaseUser, theme: Theme, month: str) -> Theme:
    """Make `theme` the 每月一题 of `month` (YYYY-MM), in place of any other."""
    Theme.objects.filter(month=month).exclude(pk=theme.pk).update(month="")
    theme.month = month
    theme.save(update_fields=["month"])
    return theme


def theme_put_to_meeting(*, actor: AbstractBaseUser, theme: Theme, put: bool) -> Theme:
    """The office puts a theme on the joint meeting's agenda (meetings.selectors gathers it on
    every open meeting's while it is being worked), or takes it off."""
    theme.for_meeting = put
    theme.save(update_fields=["for_meeting"])
    return theme


# --- 未诉先办: before they ask ---------------------------------------------------------------

PEERS_SHOWN = 200


def theme_peers(theme: Theme):
    """Enterprises that share a district or an industry chain with the theme's enterprises, or
    have filed problems of its categories, and have neither filed in it nor been asked yet."""
    members = Ticket.objects.filter(theme_member__theme=theme)
    enterprises = Enterprise.objects.filter(pk__in=members.values("enterprise_id"))
    asked = Outreach.objects.filter(theme=theme).values("enterprise_id")
    return (
        Enterprise.objects.filter(
            Q(district__in=enterprises.values("district_id"))
            | Q(
                industry_chain__in=enterprises.exclude(industry_chain=None).values(
                    "industry_chain_id"
                )
            )
            | Q(tickets__category__in=members.values("category_id"))
        )
        .exclude(pk__in=members.values("enterprise_id"))
        .exclude(pk__in=asked)
        .filter(is_active=True)
        .distinct()
        .select_related("district", "industry_chain")
        .order_by("district__name", "name")[:PEERS_SHOWN]
    )


@transaction.atomic
def outreach_send(
    *, actor: AbstractBaseUser, theme: Theme, enterprises: list[Enterprise], message: str
) -> list[Outreach]:
    """Ask each enterprise, through its users' notification channels, whether the cause affects
    it; an enterprise is asked once per theme."""
    sent = []
    for enterprise in enterprises:
        outreach, created = Outreach.objects.get_or_create(
            theme=theme, enterprise=enterprise, defaults={"message": message, "sent_by": actor}
        )
        if not created:
            continue
        users = [
            m.user
            for m in EnterpriseMember.objects.filter(enterprise=enterprise).select_related("user")
        ]
        notify(
            recipients=users,
            kind=Kind.OUTREACH,
            params={"theme": theme.title},
            url=outreach.get_absolute_url(),
        )
        sent.append(outreach)
    return sent


@transaction.atomic
def outreach_answer(*, actor: AbstractBaseUser, outreach: Outreach, description: str) -> Ticket:
    """The enterprise says it is affected: its answer is a ticket of the theme, channel
    `proactive`, in the category of the theme's first problem."""
    outreach = (
        Outreach.objects.select_for_update()
        .select_related("theme", "enterprise")
        .get(pk=outreach.pk)
    )
    if outreach.answered_at is not None:
        raise ValidationError(_("This notice has already been answered."))
    first = (
        Ticket.objects.filter(theme_member__theme=outreach.theme).order_by("submitted_at").first()
    )
    if first is None:
        raise ValidationError(_("This theme has no problem to take a category from."))
    ticket = ticket_submit(
        enterprise=outreach.enterprise,
        category=first.category,
        title=outreach.theme.title[:100],
        description=description,
        submitted_by=actor,
        channel=Channel.PROACTIVE,
    )
    Member.objects.create(theme=outreach.theme, ticket=ticket)
    outreach.ticket, outreach.answered_at = ticket, timezone.now()
    outreach.save(update_fields=["ticket", "answered_at"])
    return ticket


def outreach_decline(*, actor: AbstractBaseUser, outreach: Outreach) -> None:
    Outreach.objects.filter(pk=outreach.pk, answered_at=None).update(answered_at=timezone.now())
