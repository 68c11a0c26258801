"""Each figure of docs/domain.md ("The figures (口径)") pinned on small, hand-made situations, built
through the services with back-dated actions."""

import datetime as dt
from decimal import Decimal

from enterprises.selectors import ReportScope
from reports.aggregates import totals
from reports.periods import Period
from reports.selectors import cumulative
from tickets.models import Action, Outcome, Rating

from .conftest import WEEK, at

CITY = ReportScope(None)
LATER = at("2025-06-30")  # "now" for the figures, long after the week


def figures(period=WEEK, now=LATER):
    return totals(period=period, scope=CITY, now=now)


def test_a_rejected_ticket_is_submitted_but_not_accepted(desk):
    desk.reject(desk.file(at("2025-03-10")), at("2025-03-10", 15))
    desk.accept(desk.file(at("2025-03-11")), at("2025-03-11", 11))
    result = figures()
    assert result["submitted"] == 2
    assert result["accepted"] == 1
    assert result["open"] == 1


def test_accepted_tickets_are_solved_explained_or_open(desk):
    desk.solved(at("2025-03-10"))
    explained = desk.file(at("2025-03-11"))
    desk.accept(explained, at("2025-03-11", 11))
    desk.resolve(explained, at("2025-03-12"), outcome=Outcome.EXPLAINED)
    desk.accept(desk.file(at("2025-03-12")), at("2025-03-12", 11))
    desk.file(at("2025-03-13"))  # not accepted yet
    result = figures()
    assert (result["accepted"], result["solved"], result["explained"], result["open"]) == (
        3,
        1,
        1,
        1,
    )
    assert result["resolution_rate"] == Decimal("33.3")


class TestOnTimeCompletion:
    """Accepted Monday 10 March; seven working days: due Wednesday 19 March 23:59."""

    def accepted(self, desk):
        ticket = desk.file(at("2025-03-10"))
        desk.accept(ticket, at("2025-03-10", 11))
        desk.transfer(ticket, at("2025-03-10", 12))
        ticket.refresh_from_db()
        assert ticket.completion_due == at("2025-03-19", 23, 59).replace(second=59)
        return ticket

    def test_resolved_after_the_original_deadline_without_extension_is_late(self, desk):
        desk.resolve(self.accepted(desk), at("2025-03-21"))
        result = figures()
        assert (result["on_time_completion_rate"], result["solved"]) == (0, 1)

    def test_an_approved_extension_covering_the_day_makes_it_on_time(self, desk):
        ticket = self.accepted(desk)
        desk.extend(ticket, at("2025-03-17"), days=5)  # to Wednesday 26 March
        desk.resolve(ticket, at("2025-03-21"))
        assert figures()["on_time_completion_rate"] == 100

    def test_resolved_after_the_extended_deadline_is_late(self, desk):
        ticket = self.accepted(desk)
        desk.extend(ticket, at("2025-03-17"), days=5)
        desk.resolve(ticket, at("2025-03-27"))
        assert figures()["on_time_completion_rate"] == 0

    def test_a_denied_extension_does_not_move_the_deadline(self, desk):
        ticket = self.accepted(desk)
        desk.extend(ticket, at("2025-03-17"), days=5, approve=False)
        desk.resolve(ticket, at("2025-03-21"))
        assert figures()["on_time_completion_rate"] == 0

    def test_on_the_deadline_day_is_still_on_time(self, desk):
        desk.resolve(self.accepted(desk), at("2025-03-19", 23, 30))
        assert figures()["on_time_completion_rate"] == 100


def test_acceptance_after_the_next_working_day_is_not_on_time(desk):
    desk.accept(desk.file(at("2025-03-10")), at("2025-03-11", 17))  # by Tuesday: on time
    desk.accept(desk.file(at("2025-03-10")), at("2025-03-12", 9))  # Wednesday: late
    result = figures()
    assert result["on_time_acceptance_rate"] == 50


def test_overdue_is_open_past_the_completion_deadline_at_the_time_of_reading(desk):
    desk.accept(desk.file(at("2025-03-10")), at("2025-03-10", 11))  # due 19 March
    assert figures(now=at("2025-03-19", 12))["overdue"] == 0
    assert figures(now=at("2025-03-20", 9))["overdue"] == 1


def test_progress_counts_only_reports_made_or_due(desk):
    """Accepted Monday: first progress due in three working days (Thursday 13 March)."""
    quiet = desk.file(at("2025-03-10"))
    desk.accept(quiet, at("2025-03-10", 11))
    prompt = desk.file(at("2025-03-10"))
    desk.accept(prompt, at("2025-03-10", 11))
    desk.progress(prompt, at("2025-03-11"))
    wednesday = figures(now=at("2025-03-12"))
    assert (wednesday["on_time_progress_rate"], wednesday.counts["progress_due"]) == (100, 1)
    friday = figures(now=at("2025-03-14"))
    assert (friday["on_time_progress_rate"], friday.counts["progress_due"]) == (50, 2)


def test_satisfaction_counts_the_three_good_levels_among_rated_tickets(desk):
    for rating in (Rating.VERY_SATISFIED, Rating.BASICALLY_SATISFIED, Rating.UNSATISFIED):
        desk.rate(desk.solved(at("2025-03-10")), at("2025-03-12"), rating=rating)
    unrated = desk.solved(at("2025-03-11"))
    desk.act(unrated, Action.CLOSE, at("2025-03-19"))  # closed unrated: not in the rate
    result = figures()
    assert result.counts["rated"] == 3
    assert result["satisfaction_rate"] == Decimal("66.7")
    assert result["solved"] == 3  # the badly rated one went back to work


def test_a_merged_duplicate_is_counted_once(desk):
    main = desk.file(at("2025-03-10"))
    desk.accept(main, at("2025-03-10", 11))
    duplicate = desk.file(at("2025-03-11"))
    desk.act(duplicate, Action.MERGE, at("2025-03-11", 11), into=main)
    desk.resolve(main, at("2025-03-12"))
    result = figures()
    assert (result["submitted"], result["accepted"], result["solved"]) == (1, 1, 1)


def test_the_week_runs_from_monday_0_00_to_sunday_24_00_in_shanghai(desk):
    desk.file(at("2025-03-10", 0, 5))
    desk.file(at("2025-03-16", 23, 55))
    desk.file(at("2025-03-09", 23, 55))
    desk.file(at("2025-03-17", 0, 5))
    assert figures()["submitted"] == 2


def test_returns_count_the_returns_made_in_the_period(desk):
    ticket = desk.file(at("2025-03-03"))  # filed the week before
    desk.accept(ticket, at("2025-03-03", 11))
    desk.transfer(ticket, at("2025-03-03", 12))
    desk.give_back(ticket, at("2025-03-11"))
    desk.transfer(ticket, at("2025-03-11", 12))
    desk.give_back(ticket, at("2025-03-12"))
    assert figures()["returned"] == 2
    assert figures()["submitted"] == 0
    assert figures(Period.week(dt.date(2025, 3, 3)))["returned"] == 0


def test_cumulative_figures_count_from_the_campaign_start(desk, campaign):
    campaign.campaign_start = dt.date(2025, 3, 1)
    campaign.save()
    desk.file(at("2025-02-27"))
    desk.file(at("2025-03-04"))
    desk.file(at("2025-03-12"))
    desk.file(at("2025-03-18"))
    period = cumulative(WEEK.end)
    assert (period.start, period.end, period.cumulative) == (
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 16),
        True,
    )
    assert figures(period)["submitted"] == 2


def test_a_resolution_without_a_progress_note_is_its_first_feedback(world, make_ticket):
    from tickets.models import Action, Status
    from tickets.services import ticket_transition

    ticket = make_ticket(Status.IN_PROGRESS)
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="当天解决",
    )
    assert ticket.first_progress_at == ticket.resolved_at


def test_a_return_is_counted_once_even_with_a_duplicate_merged_in(desk):
    main = desk.file(at("2025-03-10"))
    desk.accept(main, at("2025-03-10", 11))
    desk.transfer(main, at("2025-03-10", 12))
    duplicate = desk.file(at("2025-03-10", 13))
    desk.accept(duplicate, at("2025-03-10", 14))
    desk.act(duplicate, Action.MERGE, at("2025-03-10", 15), into=main)
    desk.give_back(main, at("2025-03-11"))
    result = figures()
    assert result["returned"] == 1
    assert result["submitted"] == 1  # the duplicate is counted once, as the ticket it joined


def test_a_bad_rating_still_counts_after_the_rework_is_resolved(desk):
    ticket = desk.solved(at("2025-03-10"))
    desk.rate(ticket, at("2025-03-11"), rating=Rating.VERY_UNSATISFIED)
    desk.resolve(ticket, at("2025-03-12"))
    result = figures()
    assert result.counts["rated"] == 1
    assert result["satisfaction_rate"] == Decimal("0.0")
