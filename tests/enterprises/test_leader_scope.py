"""One leader rule: who reads a district's figures, who hears of its bulletin and who decides on
an extension of its enterprises' problems are the same people (enterprises.selectors)."""

import itertools

import pytest

from enterprises.models import Official
from enterprises.selectors import ReportScope, report_readers, report_scope
from tests import factories as f
from tickets.models import Action, Status
from tickets.services import ticket_transition
from tickets.workflow import Role, extension_approvers, roles_for

L = Official.Level


@pytest.fixture
def every_kind_of_official(world):
    """An official of each level, in the office or not, of no district, of the ticket's
    district and of another one."""
    kinds = itertools.product([False, True], list(L), [None, world.district, world.other_district])
    return [
        f.OfficialFactory(is_office=office, level=level, district=district).user
        for office, level, district in kinds
    ]


def test_a_reader_of_a_scope_hears_of_its_bulletin_and_nobody_else_does(
    world, every_kind_of_official
):
    scopes = [
        ReportScope(None),
        ReportScope(world.district.pk),
        ReportScope(world.other_district.pk),
    ]
    for scope in scopes:
        readers = set(report_readers(scope).values_list("pk", flat=True))
        for user in every_kind_of_official:
            assert (user.pk in readers) == (report_scope(user) == scope), (
                user.official.level,
                user.official.is_office,
                user.official.district_id,
                scope,
            )


def test_the_leaders_above_the_requester_who_read_the_district_decide_on_its_extension(
    world, make_ticket, every_kind_of_official
):
    ticket = make_ticket(Status.IN_PROGRESS)  # of world.enterprise, in world.district
    ticket = ticket_transition(
        ticket=ticket,
        actor=world.official,  # a division official
        action=Action.REQUEST_EXTENSION,
        days=3,
        note="设备到货需要时间",
    )
    approvers = set(extension_approvers(ticket).values_list("pk", flat=True))
    for user in every_kind_of_official:
        scope = report_scope(user)
        reads_district = scope is not None and scope.district_id in (None, world.district.pk)
        expected = reads_district and user.official.level != L.DIVISION
        assert (user.pk in approvers) == expected, (
            user.official.level,
            user.official.is_office,
            user.official.district_id,
        )
        assert (Role.LEADER in roles_for(user, ticket)) == expected
