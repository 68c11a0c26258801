"""What each action does to a ticket: one effect per action of the table in tickets.workflow,
read by .transition.ticket_transition. `Change` and `Context` are the effects' vocabulary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.models import Department
from enterprises.selectors import official_of
from workdays.calendar import WorkCalendar

from ..clocks import COMPLETION, current_clock
from ..escalation import escalation_step
from ..models import (
    BAD_RATINGS,
    Action,
    EscalationLevel,
    Outcome,
    Rating,
    RejectReason,
    Status,
    Ticket,
)
from ..workflow import TRANSITIONS, Role

REWORK_DAYS = 15  # a bad rating (差评) gives 15 working days of rework (整改)
MAX_EXTENSION_DAYS = 60


@dataclass
class Change:
    """What an action's effect hands back: fields it set and details for the event."""

    fields: set[str] = field(default_factory=set)
    data: dict = field(default_factory=dict)
    status: Status | None = None  # for actions whose target depends on the input
    department: Department | None = None
    from_status: str = ""
    at: dt.datetime | None = None


@dataclass
class Context:
    ticket: Ticket
    actor: AbstractBaseUser | None
    roles: set[Role]
    params: dict
    now: dt.datetime
    calendar: WorkCalendar

    def require(self, name: str, message: str):
        value = self.params.get(name)
        if value in (None, "", [], ()):
            raise ValidationError({name: message})
        return value

    def set(self, change: Change, **values) -> None:
        for name, value in values.items():
            setattr(self.ticket, name, value)
            change.fields.add(name)


# --- what each action does -------------------------------------------------------------------


def _accept(ctx: Context) -> Change:
    change = Change()
    t, cal, now = ctx.ticket, ctx.calendar, ctx.now
    ctx.set(
        change,
        accepted_at=now,
        first_progress_due=cal.add_working_days(now, t.category.progress_days),
        completion_due=cal.add_working_days(now, t.category.completion_days),
    )
    change.data["on_time"] = now <= t.acceptance_due
    return change


def _reject(ctx: Context) -> Change:
    reason = ctx.require("reason", _("Say why the problem is not accepted."))
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose one of the listed reasons.")})
    change = Change(data={"reason": reason})
    ctx.set(change, reject_reason=reason, rejected_at=ctx.now)
    return change


def _assign(ctx: Context) -> Change:
    assignee = ctx.require("assignee", _("Choose the official who will handle the problem."))
    official = official_of(assignee)
    if official is None:
        raise ValidationError({"assignee": _("Problems can be assigned only to officials.")})
    if Role.OFFICE not in ctx.roles and official.department_id != ctx.ticket.lead_department_id:
        raise ValidationError(
            {"assignee": _("A coordinator can assign only to officials of its own department.")}
        )
    change = Change(data={"assignee": assignee.get_username(), "assignee_name": official.name})
    ctx.set(change, assignee=assignee)
    return change


def _transfer(ctx: Context) -> Change:
    department = ctx.require("department", _("Choose the lead department."))
    supporting = [d for d in ctx.params.get("supporting") or [] if d.pk != department.pk]
    change = Change(
        data={
            "department": department.code,
            "department_name": department.name,
            "supporting": [d.code for d in supporting],
        }
    )
    ctx.set(change, lead_department=department, assignee=None)
    ctx.ticket.supporting_departments.set(supporting)
    _clear_extension(ctx, change)
    return change


def _return(ctx: Context) -> Change:
    ctx.require("note", _("Say why this ticket is not your department's business."))
    department = ctx.ticket.lead_department
    if department is None:
        official = official_of(ctx.actor)
        department = official.department if official else None
    change = Change(department=department)
    ctx.set(change, lead_department=None, assignee=None)
    ctx.ticket.supporting_departments.clear()
    _clear_extension(ctx, change)
    return change


def _merge(ctx: Context) -> Change:
    into = ctx.require("into", _("Name the ticket this one duplicates."))
    t = ctx.ticket
    if into.pk == t.pk:
        raise ValidationError({"into": _("A ticket cannot be merged into itself.")})
    if into.enterprise_id != t.enterprise_id:
        # A duplicate shows its enterprise the main ticket's resolution: another enterprise's
        # answer must not reach it this way.
        raise ValidationError(
            {
                "into": _(
                    "%(number)s is a problem of another enterprise; a ticket is merged only into "
                    "one of its own enterprise, which would otherwise read the other's answer."
                )
                % {"number": into.number}
            }
        )
    if into.merged_into_id is not None:
        raise ValidationError(
            {
                "into": _("%(number)s is itself merged; merge into the ticket it follows.")
                % {"number": into.number}
            }
        )
    if into.status in (Status.SUBMITTED, Status.REJECTED):
        raise ValidationError({"into": _("Merge only into a ticket that has been accepted.")})
    if t.duplicates.exists():
        raise ValidationError(
            {"into": _("Other tickets are merged into this one; it cannot become a duplicate.")}
        )
    change = Change(data={"into": into.number}, status=Status(into.status))
    ctx.set(change, merged_into=into)
    _copy_outcome(ctx, change, into)
    _clear_extension(ctx, change)
    return change


def _progress(ctx: Context) -> Change:
    ctx.require("note", _("Write what has been done."))
    change = Change()
    if ctx.ticket.first_progress_at is None:
        ctx.set(change, first_progress_at=ctx.now)
        change.data["first"] = True
    return change


def _add_info(ctx: Context) -> Change:
    ctx.require("note", _("Write the information you want to add."))
    return Change()


def _request_extension(ctx: Context) -> Change:
    days = ctx.require("days", _("Say how many working days you need."))
    if not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": _("An extension is 1 to %(max)d working days.") % {"max": MAX_EXTENSION_DAYS}}
        )
    ctx.require("note", _("Say why the problem needs more time."))
    change = Change(data={"days": int(days)})
    ctx.set(
        change,
        extension_days=int(days),
        extension_reason=ctx.params["note"],
        extension_requested_by=ctx.actor,
    )
    return change


def _approve_extension(ctx: Context) -> Change:
    t = ctx.ticket
    new_due = ctx.calendar.add_working_days(t.completion_due, t.extension_days)
    change = Change(
        data={
            "days": t.extension_days,
            "from": t.completion_due.isoformat(),
            "to": new_due.isoformat(),
        }
    )
    ctx.set(
        change,
        completion_due=new_due,
        extension_days=None,
        extension_reason="",
        extension_requested_by=None,
    )
    return change


def _deny_extension(ctx: Context) -> Change:
    ctx.require("note", _("Say why the extension is denied."))
    change = Change(data={"days": ctx.ticket.extension_days})
    ctx.set(change, extension_days=None, extension_reason="", extension_requested_by=None)
    return change


def _escalate(ctx: Context) -> Change:
    """Up to the official covering the enterprise at the next level (tickets.escalation), or
    the office when nobody does; the event names who holds it now."""
    step = escalation_step(level=ctx.ticket.escalation_level, enterprise=ctx.ticket.enterprise)
    change = Change(data={"level": int(step.level), "level_name": str(step.level.label)})
    if step.holder is not None:
        change.data |= {"to": step.holder.user.get_username(), "to_name": str(step.holder)}
    elif step.level != EscalationLevel.JOINT_MEETING:
        change.data["to_office"] = True  # nobody covers the enterprise at that level
    ctx.set(
        change,
        escalation_level=step.level,
        escalated_to=step.holder.user if step.holder is not None else None,
    )
    return change


def _supervise(ctx: Context) -> Change:
    change = Change()
    ctx.set(change, supervised=True)
    return change


def _resolve(ctx: Context) -> Change:
    outcome = ctx.require("outcome", _("Say whether the problem was solved or explained."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose solved or explained.")})
    resolution = ctx.require("resolution", _("Write how the problem was resolved."))
    t = ctx.ticket
    on_time = t.completion_due is None or ctx.now <= t.completion_due
    change = Change(data={"outcome": outcome, "on_time": on_time})
    ctx.set(
        change,
        outcome=outcome,
        resolution=str(resolution).strip(),
        resolved_at=ctx.now,
    )  # the last rating stays until the enterprise rates this resolution (a 差评 still counts)
    if t.first_progress_at is None:
        # A resolution is the enterprise's first news too: it stops the first-progress clock.
        ctx.set(change, first_progress_at=ctx.now)
    _clear_extension(ctx, change)
    return change


def _rate(ctx: Context) -> Change:
    rating = ctx.require("rating", _("Choose how satisfied you are."))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose one of the five levels.")})
    change = Change(data={"rating": rating})
    ctx.set(
        change,
        rating=rating,
        rating_comment=str(ctx.params.get("comment") or "").strip(),
        rated_at=ctx.now,
    )
    if rating in BAD_RATINGS:
        change.status = Status.REOPENED
        change.data["rework_days"] = REWORK_DAYS
        _restart_clock(ctx, change, REWORK_DAYS)
        ctx.set(change, follow_up_due=ctx.ticket.completion_due, followed_up_at=None)
    else:
        change.status = Status.CLOSED
        ctx.set(change, closed_at=ctx.now)
    return change


def _reopen(ctx: Context) -> Change:
    ctx.require("note", _("Say what is still wrong."))
    change = Change()
    _restart_clock(ctx, change, ctx.ticket.category.completion_days)
    return change


def _close(ctx: Context) -> Change:
    t = ctx.ticket
    rated_this_resolution = t.rated_at is not None and t.rated_at >= t.resolved_at
    change = Change(data={"unrated": not rated_this_resolution})
    ctx.set(change, closed_at=ctx.now)
    return change


def _remind(ctx: Context) -> Change:
    """A reminder (催办); the deadline job names the clock and the step of the escalation."""
    running = current_clock(ctx.ticket)
    clock = ctx.params.get("clock") or (running.name if running is not None else COMPLETION)
    return Change(data={"clock": clock, "step": int(ctx.params.get("step") or 1)})


def _urge(ctx: Context) -> Change:
    """催办 by the enterprise (tickets.workflow.urge_error has let it through)."""
    clock = "acceptance" if ctx.ticket.status == Status.SUBMITTED else "completion"
    change = Change(data={"clock": clock})
    ctx.set(change, urged_at=ctx.now)
    return change


def _follow_up(ctx: Context) -> Change:
    ctx.require("note", _("Write what the enterprise said on the call."))
    change = Change()
    ctx.set(change, followed_up_at=ctx.now)
    return change


def _clear_extension(ctx: Context, change: Change) -> None:
    """A pending extension request dies with the handling it was asked for."""
    if ctx.ticket.extension_days is not None:
        ctx.set(change, extension_days=None, extension_reason="", extension_requested_by=None)
        change.data["extension_dropped"] = True


def _restart_clock(ctx: Context, change: Change, days: int) -> None:
    """Reopening takes the ticket out of the resolved count and starts a new completion clock;
    the first time, it marks the ticket as reworked (重办, reports.figures)."""
    ctx.set(
        change,
        outcome="",
        resolved_at=None,
        completion_due=ctx.calendar.add_working_days(ctx.now, days),
    )
    if ctx.ticket.reworked_at is None:
        ctx.set(change, reworked_at=ctx.now)
    change.data["completion_due"] = ctx.ticket.completion_due.isoformat()


def _copy_outcome(ctx: Context, change: Change, main: Ticket) -> None:
    ctx.set(
        change,
        outcome=main.outcome,
        resolution=main.resolution,
        resolved_at=main.resolved_at,
        closed_at=main.closed_at,
    )


EFFECTS: dict[Action, Callable[[Context], Change]] = {
    Action.ACCEPT: _accept,
    Action.REJECT: _reject,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.RETURN: _return,
    Action.MERGE: _merge,
    Action.PROGRESS: _progress,
    Action.ADD_INFO: _add_info,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.DENY_EXTENSION: _deny_extension,
    Action.ESCALATE: _escalate,
    Action.SUPERVISE: _supervise,
    Action.RESOLVE: _resolve,
    Action.RATE: _rate,
    Action.REOPEN: _reopen,
    Action.CLOSE: _close,
    Action.REMIND: _remind,
    Action.FOLLOW_UP: _follow_up,
    Action.URGE: _urge,
}
assert set(EFFECTS) | {Action.SUBMIT} == set(TRANSITIONS), "every action needs an effect"
