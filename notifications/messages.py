"""The words of each kind of notification, rendered in the reader's language when shown."""

from django.utils.translation import gettext as _

from workdays.weeks import week_title

from .models import Kind


def _status_label(code: str) -> str:
    from tickets.models import Status

    try:
        return str(Status(code).label)
    except ValueError:
        return code


def _clock_label(code: str) -> str:
    return {
        "acceptance": _("acceptance"),
        "progress": _("first progress"),
        "completion": _("completion"),
    }.get(code, code or "")


def render_message(kind: str, params: dict) -> str:
    p = {**params}
    if "status" in p:
        p["status"] = _status_label(p["status"])
    if "clock" in p:
        p["clock"] = _clock_label(p["clock"])
    if "week" in p:
        p["week"] = week_title(str(p["week"]))
    templates = {
        Kind.SUBMITTED: _("%(number)s: %(enterprise)s filed a new problem, “%(title)s”."),
        Kind.STATUS: _("%(number)s “%(title)s” is now %(status)s."),
        Kind.ASSIGNED: _("%(number)s “%(title)s” was assigned to you."),
        Kind.TRANSFERRED: _("%(number)s “%(title)s” was transferred to your department."),
        Kind.RETURNED: _("%(number)s was returned by %(department)s: %(note)s"),
        Kind.INFO_ADDED: _("%(number)s: the enterprise added information."),
        Kind.REOPENED: _("%(number)s was reopened by the enterprise."),
        Kind.EXTENSION_REQUESTED: _(
            "%(number)s: an extension of %(days)s working days awaits your decision."
        ),
        Kind.EXTENSION_APPROVED: _("%(number)s: your extension request was approved."),
        Kind.EXTENSION_DENIED: _("%(number)s: your extension request was denied."),
        Kind.ESCALATED: _("%(number)s “%(title)s” was escalated to %(level)s."),
        Kind.DUE_SOON: _("%(number)s: the %(clock)s deadline is tomorrow."),
        Kind.OVERDUE: _("%(number)s is overdue: the %(clock)s deadline has passed."),
        Kind.SUPERVISED: _("%(number)s is under the office's supervision."),
        Kind.REMINDER: _("%(number)s: the office reminds you of the %(clock)s deadline."),
        Kind.DISPATCH_DUE: _("A dispatch for %(enterprise)s is due on %(date)s."),
        Kind.DISPATCH_OVERDUE: _("The dispatch for %(enterprise)s due on %(date)s is overdue."),
        Kind.BULLETIN: _("The weekly bulletin for %(week)s is published."),
        Kind.URGED: _(
            "%(number)s “%(title)s”: the enterprise urges its handling; the %(clock)s deadline "
            "has passed."
        ),
        Kind.EXTENDED: _("%(number)s: the completion date was extended to %(date)s. %(reason)s"),
        Kind.CHASED: _(
            "%(number)s: the office is chasing the handling of your problem (supervision)."
        ),
    }
    template = templates.get(kind)
    if template is None:
        return kind
    try:
        return template % p
    except (KeyError, TypeError, ValueError):
        return str(Kind(kind).label) if kind in Kind.values else kind
