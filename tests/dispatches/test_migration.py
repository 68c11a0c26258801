"""Dispatches moved out of enterprises without moving a row: a database made by the migrations
before the move, with dispatches, their problems (one filed as a ticket) and a permission on
them, migrates forward and still has them all, under the dispatches app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dispatches.models import Dispatch, DispatchProblem

# Where enterprises and dispatches stood before the move: the dispatch models in enterprises.
BEFORE_THE_MOVE = [("enterprises", "0003_dispatches"), ("dispatches", None)]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_dispatches_recorded_before_the_move_are_there_after_it(world, make_ticket, client):
    ticket = make_ticket()
    office = Group.objects.create(name="keeps its rights")
    office.permissions.add(Permission.objects.get(codename="change_dispatch"))
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
        with pytest.raises(LookupError):
            old.get_model("dispatches", "Dispatch")
        OldDispatch = old.get_model("enterprises", "Dispatch")
        OldProblem = old.get_model("enterprises", "DispatchProblem")
        recorded = OldDispatch.objects.create(
            enterprise_id=world.enterprise.pk,
            official_id=world.official.official.pk,
            scheduled_for=dt.date(2026, 11, 11),
            visited_on=dt.date(2026, 11, 12),
            sales=1234,
            notes="生产经营正常。",
        )
        OldProblem.objects.create(
            dispatch=recorded, description="厂区道路破损", ticket_id=ticket.pk
        )
        OldProblem.objects.create(dispatch=recorded, description="用工紧张")
    finally:
        migrate(latest())

    dispatch = Dispatch.objects.get()
    assert (dispatch.pk, dispatch.enterprise, dispatch.official) == (
        recorded.pk,
        world.enterprise,
        world.official.official,
    )
    assert (dispatch.visited_on, dispatch.sales, dispatch.notes) == (
        dt.date(2026, 11, 12),
        1234,
        "生产经营正常。",
    )
    assert [(p.description, p.ticket) for p in dispatch.problems.all()] == [
        ("厂区道路破损", ticket),
        ("用工紧张", None),
    ]
    assert DispatchProblem.objects.get(ticket=ticket).dispatch == dispatch
    assert office.permissions.get().natural_key() == ("change_dispatch", "dispatches", "dispatch")
    client.force_login(world.official)
    page = client.get(reverse("dispatches:detail", args=[dispatch.pk])).content.decode()
    assert "厂区道路破损" in page and ticket.number in page
