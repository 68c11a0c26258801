"""Every write to a ticket. Views, the API, Open311, admin actions and tasks call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Category, Department, Enterprise
from enterprises.selectors import official_of
from workdays.calendar import WorkCalendar

from .attachments import attachment_name, validate_attachments
from .models import (
    BAD_RATINGS,
    Action,
    Attachment,
    Channel,
    EscalationLevel,
    Outcome,
    Rating,
    RejectReason,
    Status,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from .validators import without_control_characters
from .workflow import (
    NOTE_AUDIENCE,
    TRANSITIONS,
    NoteAudience,
    Role,
    TransitionError,
    precondition_error,
    roles_for,
    roles_for_enterprise,
    visibility,
)

REWORK_DAYS = 15  # a bad rating (差评) gives 15 working days of rework (整改)
MAX_EXTENSION_DAYS = 60


# --- numbers ---------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    """`ZQ-<year>-<6 digits>`, never the same twice: the year's counter row is updated in place,
    so concurrent submissions queue on its row lock until the first one commits."""
    table = TicketCounter._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year]
            )
            row = cursor.fetchone()
        if row is not None:
            return f"ZQ-{year}-{row[0]:06d}"
        try:
            with transaction.atomic():
                TicketCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another submission created the year's counter first
    raise RuntimeError("could not number the ticket")  # pragma: no cover


# --- submission ------------------------------------------------------------------------------


@transaction.atomic
def ticket_submit(
    *,
    enterprise: Enterprise,
    category: Category,
    title: str,
    description: str,
    submitted_by: AbstractBaseUser | None,
    channel: str = Channel.WEB,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    attachments: Iterable[UploadedFile] = (),
    note: str = "",
    at: dt.datetime | None = None,
) -> Ticket:
    """File a problem for `enterprise`; the acceptance clock starts now (or at `at`, for
    problems recorded after the fact: imports and the demo data)."""
    roles = roles_for_enterprise(submitted_by, enterprise.pk)
    if not roles & TRANSITIONS[Action.SUBMIT].roles:
        raise TransitionError(
            _("You may file problems only for your own enterprise."), code="forbidden"
        )
    if not category.is_active:
        raise ValidationError({"category": _("This category no longer takes new problems.")})
    if not enterprise.is_active:
        raise ValidationError(
            {"enterprise": _("This enterprise is no longer active; it takes no new problems.")}
        )
    if Role.ENTERPRISE in roles and not roles & {Role.OFFICE, Role.COVERING}:
        channel = Channel.WEB if channel not in (Channel.WEB, Channel.API) else channel
    checked = validate_attachments(list(attachments))

    now = at or timezone.now()
    calendar = WorkCalendar.load()
    ticket = Ticket(
        number=_next_number(timezone.localdate(now).year),
        enterprise=enterprise,
        category=category,
        title=title.strip(),
        description=description.strip(),
        channel=channel,
        status=Status.SUBMITTED,
        submitted_by=submitted_by,
        submitted_at=now,
        acceptance_due=calendar.add_working_days(now, category.acceptance_days),
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    ticket.full_clean()
    ticket.save()
    event = TicketEvent.objects.create(
        ticket=ticket,
        action=Action.SUBMIT,
        actor=submitted_by,
        from_status="",
        to_status=Status.SUBMITTED,
        note=note,
        public=True,
        note_public=True,
        data={"channel": channel},
        created_at=now,
    )
    _save_attachments(ticket, event, checked, submitted_by)
    _after_event(event)
    return ticket


# --- the transition function -----------------------------------------------------------------


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


def ticket_transition(
    *,
    ticket: Ticket | int,
    actor: AbstractBaseUser | None,
    action: Action | str,
    note: str = "",
    public: bool | None = None,
    attachments: Iterable[UploadedFile] = (),
    at: dt.datetime | None = None,
    **params,
) -> Ticket:
    """Do `action` on `ticket` as `actor` (None: the system), or refuse and write nothing.

    Locks the ticket's row, checks the table in tickets.workflow, applies the action's effect,
    saves the changed fields, writes one event and queues notifications for after the commit.
    `public` is the author's mark "let the enterprise read this note", where
    tickets.workflow.NOTE_AUDIENCE lets the author choose; whether the event shows is the
    table's. `at` records an action that happened earlier (imports, demo data); it defaults to
    now.
    """
    action = Action(action)
    if public and NOTE_AUDIENCE[action] == NoteAudience.INTERNAL:
        raise ValidationError(
            {"public": _("This note stays between officials; the enterprise never reads it.")}
        )
    event_public, note_public = visibility(action, note_for_enterprise=bool(public))
    note = without_control_characters(note)
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    checked = validate_attachments(list(attachments))
    with transaction.atomic():
        locked = _lock(pk, action, params)
        change = _apply(locked, actor, action, note.strip(), params, at or timezone.now())
        event = TicketEvent.objects.create(
            ticket=locked,
            action=action,
            actor=actor,
            department=change.department,
            from_status=change.from_status,
            to_status=locked.status,
            note=note.strip(),
            public=event_public,
            note_public=note_public,
            data=change.data,
            created_at=change.at,
        )
        _save_attachments(locked, event, checked, actor)
        _after_event(event)
        if action in MIRRORED_ACTIONS:
            _mirror_into_duplicates(locked, event)
    if isinstance(ticket, Ticket):
        ticket.refresh_from_db()
    return locked


def _lock(pk: int, action: Action, params: dict) -> Ticket:
    """Lock the ticket's row for the transition; a merge locks the main ticket too, both in the
    order of their ids, so that two merges at once can neither deadlock nor make a cycle."""
    into = params.get("into") if action == Action.MERGE else None
    ids = sorted({pk, into.pk} if isinstance(into, Ticket) else {pk})
    rows = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",))
        .select_related("enterprise", "category")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    if pk not in rows:
        raise Ticket.DoesNotExist
    if into is not None and into.pk in rows:
        params["into"] = rows[into.pk]  # as it is now, not as the caller read it
    return rows[pk]


def _apply(ticket: Ticket, actor, action: Action, note: str, params: dict, now) -> Change:
    move = TRANSITIONS[action]
    roles = roles_for(actor, ticket)
    if not roles & move.roles:
        raise TransitionError(
            _("You may not %(action)s this ticket.") % {"action": action.label.lower()},
            code="forbidden",
        )
    if ticket.merged_into_id is not None:
        raise TransitionError(
            _("This ticket was merged into %(number)s and follows it; act on that ticket.")
            % {"number": ticket.merged_into.number}
        )
    if ticket.status not in move.sources:
        raise TransitionError(
            _("Cannot %(action)s a ticket that is “%(status)s”.")
            % {"action": action.label.lower(), "status": Status(ticket.status).label}
        )
    if (reason := precondition_error(ticket, action)) is not None:
        raise TransitionError(reason)

    ctx = Context(ticket, actor, roles, {**params, "note": note}, now, WorkCalendar.load())
    change = EFFECTS[action](ctx)
    change.from_status, change.at = ticket.status, now
    target = change.status or move.target
    if target is not None and target != ticket.status:
        ctx.set(change, status=target)
    ticket.save(update_fields=[*sorted(change.fields), "updated_at"])
    return change


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
    level = EscalationLevel(ctx.ticket.escalation_level + 1)
    change = Change(data={"level": int(level), "level_name": str(level.label)})
    ctx.set(change, escalation_level=level)
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
    clock = ctx.params.get("clock") or current_clock(ctx.ticket)
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


def current_clock(ticket: Ticket) -> str:
    """The clock that runs now: acceptance, first progress, or completion."""
    if ticket.status == Status.SUBMITTED:
        return "acceptance"
    if ticket.first_progress_at is None and ticket.first_progress_due is not None:
        return "progress"
    return "completion"


def _clear_extension(ctx: Context, change: Change) -> None:
    """A pending extension request dies with the handling it was asked for."""
    if ctx.ticket.extension_days is not None:
        ctx.set(change, extension_days=None, extension_reason="", extension_requested_by=None)
        change.data["extension_dropped"] = True


def _restart_clock(ctx: Context, change: Change, days: int) -> None:
    """Reopening takes the ticket out of the resolved count and starts a new completion clock."""
    ctx.set(
        change,
        outcome="",
        resolved_at=None,
        completion_due=ctx.calendar.add_working_days(ctx.now, days),
    )
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


# --- after the event -------------------------------------------------------------------------


# A merged duplicate follows its main ticket's outcome: the moves that resolve, close or reopen
# it. The main ticket's routing (transfer, return, assign…) stays its own, so that a department's
# return (退单) is one event and counted once.
MIRRORED_ACTIONS = frozenset({Action.RESOLVE, Action.RATE, Action.REOPEN, Action.CLOSE})


def _mirror_into_duplicates(main: Ticket, event: TicketEvent) -> None:
    """A merged duplicate follows its main ticket's status and outcome, with its own event."""
    for duplicate in main.duplicates.select_for_update().select_related("enterprise"):
        if duplicate.status == main.status and duplicate.outcome == main.outcome:
            continue
        from_status = duplicate.status
        for name in ("status", "outcome", "resolution", "resolved_at", "closed_at"):
            setattr(duplicate, name, getattr(main, name))
        duplicate.save(
            update_fields=[
                "status",
                "outcome",
                "resolution",
                "resolved_at",
                "closed_at",
                "updated_at",
            ]
        )
        follow = TicketEvent.objects.create(
            ticket=duplicate,
            action=event.action,
            actor=event.actor,
            from_status=from_status,
            to_status=duplicate.status,
            note=_("Follows %(number)s, into which this ticket was merged.")
            % {"number": main.number},
            public=True,
            note_public=True,
            data={"follows": main.number},
            created_at=event.created_at,
        )
        _after_event(follow)


def _save_attachments(ticket, event, checked, user) -> None:
    for upload, content_type in checked:
        Attachment.objects.create(
            ticket=ticket,
            event=event,
            file=upload,
            original_name=attachment_name(upload.name, content_type),
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )


def _after_event(event: TicketEvent) -> None:
    from notifications.services import notify_ticket_event

    notify_ticket_event(event)
