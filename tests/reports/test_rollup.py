"""The rollup behind totals agrees with the tickets whatever happens to them."""

import datetime as dt

from django.db.models import F

from enterprises.selectors import ReportScope
from reports.models import DayFigures
from reports.rollup import rollup_differences, rollup_fold, rollup_rebuild, rollup_repair
from tickets.models import Action, Rating, Ticket

from .conftest import WEEK, at


def test_the_rollup_agrees_with_the_tickets_after_every_kind_of_change(world, desk):
    closed = desk.solved(at("2025-03-10"))
    desk.rate(closed, at("2025-03-11"), rating=Rating.VERY_SATISFIED)
    reworked = desk.solved(at("2025-03-10", 14))
    desk.rate(reworked, at("2025-03-11"), rating=Rating.VERY_UNSATISFIED)  # reopened
    desk.resolve(reworked, at("2025-03-14"))
    main = desk.file(at("2025-03-11"))
    desk.accept(main, at("2025-03-11", 11))
    desk.transfer(main, at("2025-03-11", 12))
    desk.give_back(main, at("2025-03-12"))
    duplicate = desk.file(at("2025-03-12"))  # merged only within its enterprise
    desk.act(duplicate, Action.MERGE, at("2025-03-12", 11), into=main)
    desk.resolve(main, at("2025-03-13"))  # the duplicate follows
    desk.reject(desk.file(at("2025-03-13")), at("2025-03-13", 11))
    desk.act(desk.file(at("2025-03-14")), Action.SUPERVISE, at("2025-03-14", 11))
    assert rollup_differences() == []
    assert rollup_fold() > 0
    assert rollup_differences() == []
    returns = DayFigures.objects.get(day=dt.date(2025, 3, 12), district=world.district)
    assert returns.returned == 1


def test_an_enterprise_moving_to_another_district_takes_its_counts_along(world, desk):
    desk.solved(at("2025-03-10"))
    world.enterprise.district = world.other_district
    world.enterprise.save()
    assert rollup_differences() == []
    from reports.aggregates import totals

    assert totals(period=WEEK, scope=ReportScope(world.other_district.pk))["solved"] == 1
    assert totals(period=WEEK, scope=ReportScope(world.district.pk))["solved"] == 0


def test_a_change_behind_the_models_back_is_found_and_repaired(desk):
    desk.solved(at("2025-03-10"))
    Ticket.objects.update(accepted_at=None, rejected_at=F("submitted_at"))  # no signals
    assert len(rollup_differences()) == 1
    assert rollup_repair() == 1
    assert rollup_differences() == []


def test_a_rebuild_recomputes_the_same_rows(desk):
    desk.solved(at("2025-03-10"))
    desk.solved(at("2025-03-12"))
    rollup_fold()
    before = list(DayFigures.objects.order_by("day").values())
    assert rollup_rebuild() == 2
    after = list(DayFigures.objects.order_by("day").values())
    assert [{**r, "id": None} for r in before] == [{**r, "id": None} for r in after]


def test_figures_read_the_same_before_and_after_the_changes_are_folded_in(world, desk):
    from reports.aggregates import totals

    desk.solved(at("2025-03-10"))
    desk.reject(desk.file(at("2025-03-11")), at("2025-03-11", 11))
    unfolded = totals(period=WEEK, scope=ReportScope(None))
    assert (unfolded["submitted"], unfolded["solved"]) == (2, 1)
    assert rollup_fold() > 0
    assert rollup_fold() == 0  # nothing is folded twice
    folded = totals(period=WEEK, scope=ReportScope(None))
    assert folded.as_json() == unfolded.as_json()
