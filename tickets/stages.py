"""The five stages the enterprise follows its problem by (提交 → 受理 → 办理 → 办结 → 评价): which
are behind it, which one it is at, and by when each is due. The ticket page's step bar and the
cards of "My problems" read them here, so the templates hold no rule of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import pgettext_lazy

from .deadlines import UNRATED_CLOSE_AFTER
from .models import Status, Ticket


class State(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"
    REFUSED = "refused"  # not accepted (不予受理): the stages after it never come


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    state: State
    at: dt.datetime | None = None  # when it was done
    due: dt.datetime | None = None  # by when it is due (for the current and the coming ones)


LABELS = {
    "submit": pgettext_lazy("stage", "Filed"),
    "accept": pgettext_lazy("stage", "Accepted"),
    "handle": pgettext_lazy("stage", "Handled"),
    "resolve": pgettext_lazy("stage", "Resolved"),
    "rate": pgettext_lazy("stage", "Rated"),
}

# The stage each status is at (the first stage not yet done).
CURRENT = {
    Status.SUBMITTED: "accept",
    Status.ACCEPTED: "handle",
    Status.IN_PROGRESS: "handle",
    Status.REOPENED: "handle",
    Status.RESOLVED: "rate",
    Status.REJECTED: "accept",
    Status.CLOSED: None,
}
ORDER = list(LABELS)


def ticket_stages(ticket: Ticket) -> list[Stage]:
    """The step bar of `ticket`, first stage first."""
    current = CURRENT[Status(ticket.status)]
    position = ORDER.index(current) if current else len(ORDER)
    done_at = {
        "submit": ticket.submitted_at,
        "accept": ticket.accepted_at,
        "handle": ticket.first_progress_at or ticket.resolved_at,
        "resolve": ticket.resolved_at,
        "rate": ticket.rated_at or ticket.closed_at,
    }
    rate_due = ticket.resolved_at + UNRATED_CLOSE_AFTER if ticket.resolved_at else None
    due = {
        "accept": ticket.acceptance_due,
        "handle": None,  # its clock (the first progress report) is the officials' own
        "resolve": ticket.completion_due,
        "rate": rate_due,
    }
    stages = []
    for index, code in enumerate(ORDER):
        if ticket.status == Status.REJECTED and index >= position:
            state = State.REFUSED if index == position else State.TODO
            stages.append(Stage(code, str(LABELS[code]), state, at=ticket.rejected_at))
            continue
        if index < position:
            state = State.DONE
        elif index == position:
            state = State.CURRENT
        else:
            state = State.TODO
        stages.append(
            Stage(
                code,
                str(LABELS[code]),
                state,
                at=done_at[code] if state == State.DONE else None,
                due=None if state == State.DONE else due.get(code),
            )
        )
    return stages


def current_stage(ticket: Ticket) -> Stage | None:
    """The stage the ticket is at now (None once it is closed)."""
    return next(
        (s for s in ticket_stages(ticket) if s.state in (State.CURRENT, State.REFUSED)), None
    )
