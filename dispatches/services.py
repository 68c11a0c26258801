"""Writes of dispatches: a visit recorded, a problem found filed as a ticket, and the hourly job
that warns of due dispatches and escalates overdue ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.escalation import escalation_recipients, escalation_steps_due
from enterprises.models import Category, Enterprise, Official
from enterprises.selectors import covering_users, covers
from notifications.ledger import once
from notifications.models import Kind
from notifications.services import notify
from tickets.models import Channel
from tickets.services import ticket_submit
from workdays.calendar import WorkCalendar

from .cadence import LIAISON, dispatch_states, visit_date_error
from .models import Dispatch, DispatchProblem


@transaction.atomic
def dispatch_record(
    *,
    official: Official,
    enterprise: Enterprise,
    scheduled_for: dt.date,
    visited_on: dt.date,
    output_value: Decimal | None = None,
    sales: Decimal | None = None,
    notes: str = "",
    problems: list[str] | None = None,
) -> Dispatch:
    """Record a dispatch by an official covering the enterprise, with the problems found."""
    if not covers(official, enterprise.pk):
        raise PermissionDenied
    if (error := visit_date_error(visited_on)) is not None:
        raise ValidationError({"visited_on": error})
    dispatch = Dispatch(
        enterprise=enterprise,
        official=official,
        scheduled_for=scheduled_for,
        visited_on=visited_on,
        output_value=output_value,
        sales=sales,
        notes=notes.strip(),
    )
    dispatch.full_clean()
    try:
        with transaction.atomic():
            dispatch.save()
    except IntegrityError:  # the same due date recorded a moment ago by someone else
        raise ValidationError(_("A dispatch for this due date is already recorded.")) from None
    DispatchProblem.objects.bulk_create(
        DispatchProblem(dispatch=dispatch, description=text.strip()[:500])
        for text in problems or []
        if text.strip()
    )
    return dispatch


@transaction.atomic
def dispatch_problem_file(
    *, problem: DispatchProblem, user: AbstractBaseUser, category: Category
) -> DispatchProblem:
    """File a problem found on a dispatch as a ticket on the enterprise's behalf (channel visit)."""
    problem = (
        DispatchProblem.objects.select_for_update()
        .select_related("dispatch__enterprise")
        .get(pk=problem.pk)
    )
    if problem.ticket is not None:
        raise ValidationError(
            _("This problem is already filed as %(number)s.") % {"number": problem.ticket.number}
        )
    dispatch = problem.dispatch
    problem.ticket = ticket_submit(
        enterprise=dispatch.enterprise,
        category=category,
        title=problem.description[:120],
        description=_("Found on the dispatch of %(date)s: %(problem)s")
        % {"date": f"{dispatch.visited_on:%Y-%m-%d}", "problem": problem.description},
        submitted_by=user,
        channel=Channel.VISIT,
    )
    problem.save(update_fields=["ticket"])
    return problem


def check_dispatches(*, now: dt.datetime | None = None) -> Counter[str]:
    """Due-soon warnings the working day before, and overdue dispatches escalating one step a
    run — the covering liaison, then the primary leader, then the office — each sent once."""
    now = now or timezone.now()
    done: Counter[str] = Counter()
    calendar = WorkCalendar.current()
    today = timezone.localdate(now)
    for state in dispatch_states(Enterprise.objects.filter(is_active=True), now=now):
        enterprise = state.enterprise
        key = f"dispatch:{enterprise.pk}:{state.due:%Y%m%d}"
        params = {"enterprise": enterprise.name, "date": f"{state.due:%Y-%m-%d}"}
        url = "/enterprises/dispatches/"
        if not state.overdue:
            if calendar.working_days_left(state.deadline, now) == 1:
                with transaction.atomic():
                    if once(f"{key}:soon"):
                        notify(
                            recipients=_liaisons(enterprise),
                            kind=Kind.DISPATCH_DUE,
                            params=params,
                            url=url,
                        )
                        done["due_soon"] += 1
            continue
        overdue_days = calendar.working_days_between(timezone.localdate(state.deadline), today)
        for step in range(1, escalation_steps_due(overdue_days) + 1):
            with transaction.atomic():
                if not once(f"{key}:step{step}"):
                    continue
                recipients = escalation_recipients(
                    step, enterprise_id=enterprise.pk, first=partial(_liaisons, enterprise)
                )
                notify(recipients=recipients, kind=Kind.DISPATCH_OVERDUE, params=params, url=url)
                done[f"step_{step}"] += 1
                break
    return done


def _liaisons(enterprise: Enterprise) -> QuerySet[Any]:
    liaisons = covering_users(enterprise.pk, LIAISON)
    return liaisons if liaisons.exists() else covering_users(enterprise.pk)
