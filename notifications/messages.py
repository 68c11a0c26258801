"""The words of each kind of notification, rendered in the reader's language when shown.

A notification keeps codes in its params (a status, a clock); the app that owns a code
registers how to name it (`register_label`, from its AppConfig.ready), so that this app needs
to know none of them."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Kind

LABELS: dict[str, Callable[[str], str]] = {}


def register_label(param: str, label: Callable[[str], str]) -> None:
    """Name the codes found under `param` with `label(code)` (read at each rendering)."""
    LABELS[param] = label


def label_of(param: str, code: str) -> str:
    """A code of the params (a status, a clock) named as the owning app registered it."""
    label = LABELS.get(param)
    return label(code) if label is not None else code


def render_message(kind: str, params: dict) -> str:
    p = {**params}
    for param, label in LABELS.items():
        if param in p:
            p[param] = label(p[param])
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
        Kind.BULLETIN_DRAFT: _(
            "The draft of the weekly bulletin for %(week)s awaits its typical problems and next "
            "steps."
        ),
        Kind.MEETING_DECISION: _(
            "The joint meeting of %(date)s gave your department a task, due %(due)s: %(title)s"
        ),
        Kind.OUTREACH: _(
            "The office is working on “%(theme)s”: tell it whether this affects you too."
        ),
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
