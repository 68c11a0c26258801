"""The escalation ladder of the package-responsibility model (包保): what is overdue goes to
whoever does the daily work, then to the enterprise's primary covering leader (包保领导), then to
the office (督办). Tickets and dispatches both climb it, one step a run, each step once."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .models import Coverage
from .selectors import covering_users, office_users

LAST_STEP = 3


def escalation_steps_due(overdue_days: int) -> int:
    """How far up the ladder an overdue clock may be: step 1 as soon as its deadline passes,
    step 2 on the second working day after it, step 3 on the third (working days counted after
    the deadline's day, today included)."""
    return 1 + max(0, min(LAST_STEP - 1, overdue_days - 1))


def escalation_recipients(
    step: int, *, enterprise_id: int, first: Callable[[], Iterable]
) -> Iterable:
    """Who hears of step `step`: `first()` (the people doing the daily work) at step 1, the
    enterprise's primary covering leaders at step 2, the office from step 3 on."""
    if step == 1:
        return first()
    if step == 2:
        return covering_users(enterprise_id, Coverage.Role.PRIMARY)
    return office_users()
