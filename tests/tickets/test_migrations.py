"""Rows written before a rule changed are brought under it by a data migration."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.files import png_bytes
from tickets.models import Action, Attachment, RejectReason, Status
from tickets.services import ticket_transition

BEFORE_NOTES = ("tickets", "0005_text_without_control_characters")
BEFORE_NAMES = ("tickets", "0006_event_note_public")
BEFORE_REWORK = ("tickets", "0012_ticket_escalated_to")
REWORK = ("tickets", "0013_ticket_reworked_at")


def latest() -> list[tuple[str, str]]:
    """Every app's last migration: where every test after these must find the schema. Taking
    the tickets app back also takes back the migrations of other apps that need its later ones
    (the reports' rollup of rework), so all of them are brought forward again."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(target: tuple[str, str] | list[tuple[str, str]]):
    """Migrate to `target` (one app's migration, or a list); answer the models as they were."""
    targets = target if isinstance(target, list) else [target]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def migrator():
    yield migrate
    migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_existing_routing_notes_become_internal_and_notes_for_the_enterprise_stay(
    world, make_ticket, migrator
):
    ticket = make_ticket()
    rejected = make_ticket()
    for action, actor, params in [
        (Action.ACCEPT, world.office, {"note": "请工信局牵头"}),
        (
            Action.TRANSFER,
            world.office,
            {"note": "请工信局牵头办理", "department": world.department},
        ),
        (Action.ASSIGN, world.coordinator, {"note": "请张伟同志负责", "assignee": world.official}),
        (Action.PROGRESS, world.official, {"note": "已联系供电公司", "public": True}),
        (Action.PROGRESS, world.official, {"note": "等待局长签批"}),
    ]:
        ticket_transition(ticket=ticket, actor=actor, action=action, **params)
    ticket_transition(
        ticket=rejected,
        actor=world.office,
        action=Action.REJECT,
        reason=RejectReason.OUT_OF_SCOPE,
        note="不属于受理范围",
    )

    migrator(BEFORE_NOTES)  # the rows as the old code left them: public events carry their note
    apps = migrator(BEFORE_NAMES)
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    shown = {e.note: (e.public, e.note_public) for e in TicketEvent.objects.exclude(note="").all()}
    assert shown == {
        "请工信局牵头": (True, False),
        "请工信局牵头办理": (True, False),
        "请张伟同志负责": (True, False),
        "已联系供电公司": (True, True),
        "等待局长签批": (False, False),
        "不属于受理范围": (True, True),
    }


@pytest.mark.django_db(transaction=True)
def test_existing_attachments_get_the_extension_of_their_content(world, make_ticket, migrator):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket,
        actor=world.official,
        action=Action.PROGRESS,
        note="现场照片",
        attachments=[SimpleUploadedFile("现场.png", png_bytes())],
    )
    apps = migrator(BEFORE_NAMES)
    apps.get_model("tickets", "Attachment").objects.update(original_name="现场.html")  # as kept
    migrator(latest())
    assert Attachment.objects.get().original_name == "现场.png"


@pytest.mark.django_db(transaction=True)
def test_tickets_reopened_before_the_rework_mark_are_marked_from_their_events(
    world, make_ticket, migrator
):
    from tickets.models import Rating, TicketEvent

    reopened = make_ticket(Status.REOPENED)
    unhappy = make_ticket(Status.RESOLVED)
    ticket_transition(
        ticket=unhappy, actor=world.enterprise_user, action=Action.RATE, rating=Rating.UNSATISFIED
    )
    never = make_ticket(Status.RESOLVED)
    first = {
        t.pk: TicketEvent.objects.get(ticket=t, to_status=Status.REOPENED).created_at
        for t in (reopened, unhappy)
    }

    migrator(BEFORE_REWORK)  # the field is not there: the old rows know only their events
    apps = migrator(REWORK)
    Ticket = apps.get_model("tickets", "Ticket")
    marked = dict(Ticket.objects.values_list("pk", "reworked_at"))
    assert marked == {
        reopened.pk: first[reopened.pk],
        unhappy.pk: first[unhappy.pk],
        never.pk: None,
    }
