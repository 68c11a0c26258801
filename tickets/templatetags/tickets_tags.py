import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tickets.models import Status

register = template.Library()

STATUS_CLASSES = {
    Status.SUBMITTED: "text-bg-warning",
    Status.ACCEPTED: "text-bg-info",
    Status.IN_PROGRESS: "text-bg-primary",
    Status.RESOLVED: "text-bg-success",
    Status.CLOSED: "text-bg-secondary",
    Status.REJECTED: "text-bg-dark",
    Status.REOPENED: "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def days_left_label(days: int | None) -> str:
    """“3 working days left”, “due today”, or “overdue by 2 working days”."""
    if days is None:
        return ""
    if days > 0:
        return ngettext("%(days)d working day left", "%(days)d working days left", days) % {
            "days": days
        }
    if days == 0:
        return _("due today")
    return ngettext(
        "overdue by %(days)d working day", "overdue by %(days)d working days", -days
    ) % {"days": -days}


@register.filter
def days_left_class(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return "text-danger fw-semibold"
    if days <= 1:
        return "text-warning-emphasis fw-semibold"
    return "text-body-secondary"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def actor_name(event) -> str:
    """Who acted, as the timeline shows it."""
    if event.actor_id is None:
        return _("System")
    actor = event.actor
    for profile, known in (("official", "_official_cache"), ("enterprise_member", "_member_cache")):
        # what enterprises.selectors.official_of / member_of already read of this user, if so
        person = getattr(actor, known) if hasattr(actor, known) else getattr(actor, profile, None)
        if person is not None:
            return str(person.name if profile == "enterprise_member" else person)
    return actor.get_full_name() or actor.get_username()


@register.filter
def event_summary(event) -> str:
    """One line on what the event did, beyond its action's name."""
    from tickets.models import Action, EscalationLevel, Outcome, Rating, RejectReason

    data = event.data or {}
    try:
        match event.action:
            case Action.ASSIGN:
                return _("to %(name)s") % {"name": data.get("assignee_name", "")}
            case Action.TRANSFER:
                return _("to %(department)s") % {"department": data.get("department_name", "")}
            case Action.REJECT:
                return str(RejectReason(data["reason"]).label)
            case Action.RESOLVE:
                return str(Outcome(data["outcome"]).label)
            case Action.RATE:
                return str(Rating(data["rating"]).label)
            case Action.ESCALATE if data.get("to_name"):
                return _("escalated to %(name)s") % {"name": data["to_name"]}
            case Action.ESCALATE if data.get("to_office"):
                return _("nobody covers it at that level: to the campaign office")
            case Action.ESCALATE:
                return _("to %(level)s") % {"level": EscalationLevel(data["level"]).label}
            case Action.MERGE:
                return _("into %(number)s") % {"number": data.get("into", "")}
            case Action.APPROVE_EXTENSION if data.get("to"):
                due = timezone.localtime(dt.datetime.fromisoformat(data["to"]))
                return _("completion date moved to %(date)s") % {"date": date_format(due)}
            case Action.SUPERVISE:
                return _("the office chases its handling")
            case Action.URGE:
                return _("the enterprise asks for its handling")
            case Action.REQUEST_EXTENSION | Action.APPROVE_EXTENSION:
                days = int(data["days"])
                return ngettext("%(days)d working day", "%(days)d working days", days) % {
                    "days": days
                }
    except (KeyError, ValueError, TypeError):
        return ""
    return ""


# The columns a list of tickets may show (templates/tickets/_table.html); "problem" has the
# category under the title, "problem_enterprise" the enterprise and its district.
TICKET_COLUMNS = (
    "number",
    "problem",
    "problem_enterprise",
    "enterprise",
    "submitted",
    "status",
    "handler",
    "deadline",
    "reminders",
)


@register.inclusion_tag("tickets/_table.html", takes_context=True)
def ticket_table(context, tickets, columns: str, *, empty: str, css: str = "") -> dict:
    """A table of tickets, one row each, with the columns named (space-separated, in order) and
    `empty` as its one row when there is none. The deadline column reads the page's
    `days_left`."""
    names = columns.split()
    if unknown := [name for name in names if name not in TICKET_COLUMNS]:
        raise template.TemplateSyntaxError(f"ticket_table has no column {unknown}")
    return {
        "tickets": tickets,
        "columns": names,
        "empty": empty,
        "css": css,
        "days_left": context.get("days_left") or {},
    }


@register.filter
def current_stage(ticket):
    """The stage (tickets.stages) the ticket is at now, or None once it is closed."""
    from tickets.stages import current_stage as stage_of

    return stage_of(ticket)
