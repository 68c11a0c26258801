"""Breakdowns add up to the totals, including the "none" groups; categories roll up to their
top-level category; districts and departments are ranked, small units listed but not ranked."""

import pytest

from enterprises.models import Category
from enterprises.selectors import ReportScope
from reports.aggregates import breakdown, summary, totals
from reports.dimensions import DIMENSIONS
from reports.figures import COUNTED
from tickets.models import Outcome, Rating

from .conftest import WEEK, at

CITY = ReportScope(None)
NOW = at("2025-03-20", 12)


@pytest.fixture
def mixed_week(world, city, desk):
    """Tickets of every kind, spread over districts, departments, chains, categories and
    covering officials, including ones without a department, a chain or a primary leader."""
    land = Category.objects.get(code="land")  # under 要素保障, like power
    financing = Category.objects.get(code="financing")
    desk.rate(desk.solved(at("2025-03-10")), at("2025-03-11"), rating=Rating.SATISFIED)
    desk.solved(at("2025-03-10", 11), category=land)
    desk.solved(at("2025-03-11"), enterprise=city["loose"], category=financing)
    open_ticket = desk.file(at("2025-03-11"), enterprise=city["chained"])
    desk.accept(open_ticket, at("2025-03-11", 11))  # not transferred: no department
    returned = desk.file(at("2025-03-12"), enterprise=world.other_enterprise)
    desk.accept(returned, at("2025-03-12", 11))
    desk.transfer(returned, at("2025-03-12", 12))
    desk.give_back(returned, at("2025-03-13"))
    desk.transfer(returned, at("2025-03-13", 12), department=world.other_department)
    explained = desk.file(at("2025-03-13"), enterprise=city["loose"])
    desk.accept(explained, at("2025-03-13", 11))
    desk.resolve(explained, at("2025-03-14"), outcome=Outcome.EXPLAINED)
    desk.reject(desk.file(at("2025-03-14"), enterprise=city["chained"]), at("2025-03-14", 12))
    desk.file(at("2025-03-16", 20))  # still waiting for acceptance


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_breakdown_adds_up_to_the_totals(mixed_week, dimension):
    total = totals(period=WEEK, scope=CITY, now=NOW)
    groups = breakdown(period=WEEK, scope=CITY, dimension=dimension, now=NOW)
    for code in (*COUNTED, "returned"):
        assert sum(g.figures[code] for g in groups) == total[code], code
    assert total["submitted"] == 8 and total["returned"] == 1


def test_tickets_without_a_unit_are_counted_in_an_explicit_none_group(mixed_week):
    result = summary(WEEK, CITY, "department", now=NOW)
    none = [g for g in result["groups"] if g["key"] is None]
    assert len(none) == 1 and none[0]["submitted"] == 4  # open, explained, rejected, waiting
    chains = {g["key"]: g for g in summary(WEEK, CITY, "industry_chain", now=NOW)["groups"]}
    assert chains[None]["submitted"] == 2  # the loose enterprise's
    officials = {g["key"]: g for g in summary(WEEK, CITY, "official", now=NOW)["groups"]}
    assert officials[None]["submitted"] == 3  # the loose and the other enterprise's


def test_a_return_counts_for_the_department_that_made_it(mixed_week, world):
    groups = {g.key: g for g in breakdown(period=WEEK, scope=CITY, dimension="department")}
    assert groups[world.department.code].figures["returned"] == 1
    assert groups[world.other_department.code].figures["returned"] == 0
    assert groups[world.other_department.code].figures["submitted"] == 1  # its lead now


def test_categories_roll_up_to_their_top_level_category(mixed_week):
    groups = {g.key: g for g in breakdown(period=WEEK, scope=CITY, dimension="category")}
    assert set(groups) == {"factors", "financing"}
    assert groups["factors"].figures["submitted"] == 7  # 用电 and 用地
    assert groups["factors"].name == "要素保障"


def test_every_district_and_department_is_listed_even_without_tickets(world):
    districts = breakdown(period=WEEK, scope=CITY, dimension="district")
    assert {g.key for g in districts} == {world.district.code, world.other_district.code}
    assert all(g.figures["submitted"] == 0 and g.rank is None for g in districts)


def test_a_district_leader_sees_only_its_district(mixed_week, world):
    scope = ReportScope(world.other_district.pk)
    groups = breakdown(period=WEEK, scope=scope, dimension="district")
    assert [g.key for g in groups] == [world.other_district.code]
    assert totals(period=WEEK, scope=scope)["submitted"] == 3


def test_breakdowns_computed_together_equal_those_computed_one_by_one(mixed_week):
    from reports.aggregates import breakdowns

    together = breakdowns(period=WEEK, scope=CITY, now=NOW)
    for code in DIMENSIONS:
        alone = breakdown(period=WEEK, scope=CITY, dimension=code, now=NOW)
        assert [(g.key, g.figures.as_json(), g.rank) for g in together[code]] == [
            (g.key, g.figures.as_json(), g.rank) for g in alone
        ], code


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_groups_numbers_equal_the_counts_of_their_lists(mixed_week, dimension):
    from reports.figures import LINKED, drill_down
    from tickets.models import Ticket

    for group in breakdown(period=WEEK, scope=CITY, dimension=dimension, now=NOW):
        for code in LINKED:
            listed = drill_down(
                Ticket.objects.all(),
                figure=code,
                period=WEEK,
                scope=CITY,
                dimension=DIMENSIONS[dimension],
                unit=DIMENSIONS[dimension].unit_for(group.unit.token),
                now=NOW,
            )
            assert listed.count() == group.figures[code], (group.key, code)
