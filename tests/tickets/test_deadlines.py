"""The three clocks of a ticket, and the overdue ladder walked once per step."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from tickets.deadlines import check_deadlines, close_unrated
from tickets.models import Action, Status, Ticket
from tickets.services import ticket_transition
from tickets.workflow import TransitionError


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def local_day(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}"


@pytest.fixture
def overdue_ticket(world, make_ticket):
    """Accepted Monday 2 November 2026 (simple: 7 working days, due Wednesday 11 November),
    transferred and assigned to `official`, with first progress reported."""
    ticket = make_ticket(Status.SUBMITTED, at=at("2026-11-02", 9))
    for actor, action, params in [
        (world.office, Action.ACCEPT, {}),
        (world.office, Action.TRANSFER, {"department": world.department}),
        (world.coordinator, Action.ASSIGN, {"assignee": world.official}),
        (world.official, Action.PROGRESS, {"note": "已联系供电公司"}),
    ]:
        ticket = ticket_transition(
            ticket=ticket, actor=actor, action=action, at=at("2026-11-02", 10), **params
        )
    return ticket


def test_the_clocks_start_at_submission_and_at_acceptance(world, make_ticket):
    ticket = make_ticket(Status.SUBMITTED, at=at("2026-09-30"))
    assert local_day(ticket.acceptance_due) == "2026-10-08"  # 1 working day, after the holiday
    assert ticket.completion_due is None
    ticket = ticket_transition(
        ticket=ticket, actor=world.office, action=Action.ACCEPT, at=at("2026-10-08")
    )
    assert local_day(ticket.first_progress_due) == "2026-10-12"  # 9, 10 (Saturday), 12
    assert local_day(ticket.completion_due) == "2026-10-16"  # 9, 10, 12, 13, 14, 15, 16


def test_a_complex_problem_gets_22_working_days(world, make_ticket):
    ticket = make_ticket(Status.SUBMITTED, category=world.complex_category, at=at("2026-11-02"))
    ticket = ticket_transition(
        ticket=ticket, actor=world.office, action=Action.ACCEPT, at=at("2026-11-02")
    )
    assert local_day(ticket.completion_due) == "2026-12-02"


def test_reopening_starts_a_new_completion_clock(world, overdue_ticket):
    ticket = ticket_transition(
        ticket=overdue_ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="已扩容",
        at=at("2026-11-05"),
    )
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.enterprise_user,
        action=Action.REOPEN,
        note="仍然停电",
        at=at("2026-11-09"),
    )
    assert local_day(ticket.completion_due) == "2026-11-18"  # 7 working days from 9 November


def test_a_bad_rating_starts_a_15_day_rework_clock_and_a_follow_up_call(world, overdue_ticket):
    ticket = ticket_transition(
        ticket=overdue_ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="已扩容",
        at=at("2026-11-05"),
    )
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.enterprise_user,
        action=Action.RATE,
        rating="unsatisfied",
        at=at("2026-11-06"),
    )
    assert ticket.status == Status.REOPENED
    assert local_day(ticket.completion_due) == "2026-11-27"  # 15 working days
    assert ticket.follow_up_due == ticket.completion_due
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.office,
        action=Action.FOLLOW_UP,
        note="企业表示已恢复供电",
        at=at("2026-11-27"),
    )
    assert ticket.followed_up_at is not None
    assert ticket.events.last().action == Action.FOLLOW_UP


def test_the_queue_and_the_page_show_the_working_days_left(client, world, make_ticket):
    ticket = make_ticket(Status.ACCEPTED)
    client.force_login(world.official)
    queue = client.get(reverse("tickets:queue")).content.decode()
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "剩余" in queue or "今日到期" in queue
    assert "剩余" in page or "今日到期" in page


def notices(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_a_due_soon_warning_comes_once_the_working_day_before(world, overdue_ticket):
    first = check_deadlines(now=at("2026-11-10", 9))  # due tomorrow, Wednesday the 11th
    again = check_deadlines(now=at("2026-11-10", 9) + dt.timedelta(minutes=10))
    assert first["due_soon"] == 1 and again["due_soon"] == 0
    assert notices(world.official, Kind.DUE_SOON) == 1


def test_an_overdue_ticket_walks_the_ladder_one_step_at_a_time(world, overdue_ticket):
    ticket = overdue_ticket
    runs = [
        ("2026-11-12", 9, 1),  # the day after the deadline: the assignee
        ("2026-11-12", 15, 0),  # the same day: nothing new
        ("2026-11-13", 9, 2),  # next working day: the primary covering leader
        ("2026-11-14", 9, 0),  # Saturday: nothing new
        ("2026-11-16", 9, 3),  # Monday: the office, which supervises
        ("2026-11-17", 9, 0),  # the ladder ends there
    ]
    for day, hour, step in runs:
        done = check_deadlines(now=at(day, hour))
        assert done.get(f"step_{step}", 0) == (1 if step else 0), (day, done)
        assert sum(v for k, v in done.items() if k.startswith("step_")) == (1 if step else 0)

    ticket.refresh_from_db()
    assert ticket.supervised
    actions = list(ticket.events.filter(actor__isnull=True).values_list("action", flat=True))
    assert actions == [Action.REMIND, Action.REMIND, Action.SUPERVISE]
    assert notices(world.official, Kind.OVERDUE) == 1
    assert notices(world.leader, Kind.OVERDUE) == 1  # the primary covering leader
    assert notices(world.office, Kind.SUPERVISED) == 1


def test_an_extension_gives_the_ladder_a_new_deadline(world, overdue_ticket):
    check_deadlines(now=at("2026-11-12", 9))
    ticket_transition(
        ticket=overdue_ticket,
        actor=world.official,
        action=Action.REQUEST_EXTENSION,
        days=5,
        note="设备未到",
        at=at("2026-11-12", 10),
    )
    ticket_transition(
        ticket=overdue_ticket,
        actor=world.leader,
        action=Action.APPROVE_EXTENSION,
        at=at("2026-11-12", 11),
    )
    assert check_deadlines(now=at("2026-11-13", 9)).get("step_2", 0) == 0


def test_unrated_tickets_close_themselves_after_seven_days(world, overdue_ticket):
    ticket = ticket_transition(
        ticket=overdue_ticket,
        actor=world.official,
        action=Action.RESOLVE,
        outcome="solved",
        resolution="已扩容",
        at=at("2026-11-05"),
    )
    assert close_unrated(now=at("2026-11-11")) == 0
    assert close_unrated(now=at("2026-11-13")) == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.rating == ""
    assert ticket.events.last().data == {"unrated": True}


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_take_each_step_exactly_once(world, overdue_ticket):
    barrier = threading.Barrier(2)
    results = []

    def run(now):
        try:
            barrier.wait()
            results.append(check_deadlines(now=now))
        finally:
            connection.close()

    for day in ("2026-11-12", "2026-11-13", "2026-11-16"):
        threads = [threading.Thread(target=run, args=(at(day),)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    steps = sum(v for r in results for k, v in r.items() if k.startswith("step_"))
    assert steps == 3
    events = overdue_ticket.events.filter(actor__isnull=True)
    assert list(events.values_list("action", flat=True)) == [
        Action.REMIND,
        Action.REMIND,
        Action.SUPERVISE,
    ]
    assert notices(world.official, Kind.OVERDUE) == 1


def test_the_office_sees_overdue_and_supervised_tickets(client, world, overdue_ticket, make_ticket):
    on_time = make_ticket(Status.ACCEPTED, title="按期办理中")
    client.force_login(world.office)
    page = client.get(reverse("tickets:supervision")).content.decode()
    assert overdue_ticket.number in page
    assert on_time.number not in page
    client.force_login(world.official)
    assert client.get(reverse("tickets:supervision")).status_code == 403


def test_a_merged_duplicate_is_never_overdue_on_its_own(world, overdue_ticket, make_ticket):
    from tickets.clocks import overdue_condition

    late = make_ticket(Status.SUBMITTED, at=at("2026-11-02", 9))
    ticket_transition(ticket=late, actor=world.office, action=Action.ACCEPT, at=at("2026-11-02"))
    ticket_transition(
        ticket=late,
        actor=world.office,
        action=Action.MERGE,
        into=overdue_ticket,
        at=at("2026-11-03"),
    )
    late.refresh_from_db()
    later = at("2026-11-20")
    assert not late.is_overdue(later)
    assert list(Ticket.objects.filter(overdue_condition(later)).values_list("pk", flat=True)) == [
        overdue_ticket.pk
    ]


def test_the_supervision_list_puts_the_longest_waiting_first(client, world, make_ticket):
    waiting = make_ticket(Status.SUBMITTED, at=at("2026-10-09"), title="久未受理")
    late = make_ticket(Status.SUBMITTED, at=at("2026-11-02"), title="刚刚超期")
    ticket_transition(ticket=late, actor=world.office, action=Action.ACCEPT, at=at("2026-11-02"))
    client.force_login(world.office)
    page = client.get(reverse("tickets:supervision")).content.decode()
    assert page.index(waiting.number) < page.index(late.number)


def test_an_extension_request_reaches_the_leaders_who_may_approve_it(world, make_ticket):
    from tests.factories import OfficialFactory, UserFactory

    bureau = OfficialFactory(
        user=UserFactory(username="bureau"), level="bureau_leader", department=world.department
    ).user
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(ticket=ticket, actor=world.coordinator, action=Action.ASSIGN, assignee=bureau)
    ticket_transition(
        ticket=ticket, actor=bureau, action=Action.REQUEST_EXTENSION, days=3, note="等待审批"
    )
    told = set(
        Notification.objects.filter(kind=Kind.EXTENSION_REQUESTED).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"leader"}  # the city leader covering it outranks the bureau leader who asked
    with pytest.raises(TransitionError):
        ticket_transition(
            ticket=ticket, actor=world.district_leader, action=Action.APPROVE_EXTENSION
        )
    ticket = ticket_transition(ticket=ticket, actor=world.leader, action=Action.APPROVE_EXTENSION)
    assert ticket.extension_days is None


def job_queries(moment) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        done = check_deadlines(now=moment)
    return len(captured), dict(done)


@pytest.mark.parametrize("count", [2, 9])
def test_the_job_asks_the_database_the_same_number_of_times_for_two_tickets_or_nine(
    world, make_ticket, count
):
    """A province's job reads thousands of tickets every ten minutes: its warnings and its
    runs with nothing new to do cost a fixed number of queries per batch of 500, not per
    ticket (each escalation step stays a move of its own ticket, with its own event)."""
    tickets = [make_ticket(Status.SUBMITTED, at=at("2026-11-02", 9)) for _ in range(count)]
    # Every ticket's acceptance is due Tuesday 3 November 23:59: warned on the day before it.
    # The working-day calendar is kept since the filings: it costs the job no query.
    queries, done = job_queries(at("2026-11-02", 15))
    assert done == {"due_soon": count}
    assert queries == (
        1  # the batch of tickets with a deadline near (the fields it reads, the assignee)
        + 1  # which of their warnings and steps were taken before
        + 1  # SAVEPOINT of the warnings' transaction
        + 1  # the warnings claimed: one INSERT … ON CONFLICT DO NOTHING RETURNING
        + 1  # who is responsible: the covering officials of every enterprise at once
        + 1  # their notification preferences
        + 1  # the notifications, one INSERT
        + 1  # their e-mails in the outbox, one INSERT
        + 1  # RELEASE SAVEPOINT
        + 1  # the next batch: none
    )
    assert notices(world.leader, Kind.DUE_SOON) == count  # `leader` covers the enterprise

    queries, done = job_queries(at("2026-11-02", 15) + dt.timedelta(minutes=10))
    assert done == {}
    assert queries == 3  # the batch, the taken keys, the next batch: none
    assert all(t.events.filter(actor__isnull=True).count() == 0 for t in tickets)
