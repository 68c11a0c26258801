"""The data every route is fuzzed on, built once for each test module that asks for `scene`
(tests/fuzz/conftest.py offers it): the personas, a ticket in every status, a dispatch, a
bulletin, an integration with its key, audit records; and the values each path parameter takes."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dispatches.cadence import latest_due_date
from dispatches.services import dispatch_record
from enterprises.models import Coverage
from integrations.services import integration_create, integration_key_issue
from meetings.services import decision_record, item_add, meeting_create
from open311.services import service_request_create
from reports.periods import Period, last_week
from reports.services import bulletin_draft, bulletin_publish
from tests import factories as f
from tests.conftest import build_world, ticket_maker
from tests.files import PDF_BYTES
from tests.fuzz import pages
from themes.models import Candidate, Outreach, Theme
from themes.services import theme_create, theme_pick_month
from tickets.models import Action, Channel, EscalationLevel, Status, Ticket
from tickets.services import ticket_submit, ticket_transition
from tickets.workflow import allowed_actions

INTEGRATION_KEY = "fuzz-integration-key-0123456789"


@dataclass
class Scene:
    world: object
    users: dict  # persona name → user (None: anonymous)
    tickets: list
    values: dict = field(default_factory=dict)  # path parameter → values (see path_values)
    media_root: str = ""


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, enterprises of every revenue tier, a ticket in every status (one with an
    attachment, one with an extension pending, one of the other enterprise), a dispatch with a
    problem, last week's bulletins, an Open311 request with its token, a password-reset link;
    rolled back after the module."""
    from django.conf import settings as django_settings
    from django.test.utils import override_settings

    media_root = str(tmp_path_factory.mktemp("fuzz-media"))
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        world = build_world()
        big, _c = (  # every dispatch cadence
            f.EnterpriseFactory(revenue_tier=tier, district=district)
            for tier, district in (("a", world.district), ("c", world.other_district))
        )
        make = ticket_maker(world)
        tickets = [make(status) for status in Status if status != Status.SUBMITTED]
        tickets.append(
            ticket_submit(
                enterprise=world.enterprise,
                category=world.category,
                title="扩容变压器",
                description="附负荷说明。",
                submitted_by=world.enterprise_user,
                attachments=[SimpleUploadedFile("负荷.pdf", PDF_BYTES)],
            )
        )
        pending = make(Status.IN_PROGRESS)
        tickets.append(
            ticket_transition(
                ticket=pending,
                actor=world.official,
                action=Action.REQUEST_EXTENSION,
                days=5,
                note="需要设备到货",
            )
        )
        tickets.append(make(Status.ACCEPTED, enterprise=world.other_enterprise))
        tickets += _waiting_for_the_leader(world, make, big)
        administrator = get_user_model().objects.create_superuser(
            "administrator", "root@example.cn", "fuzz-administrator"
        )
        today = timezone.localdate()
        dispatch = dispatch_record(
            official=world.official.official,
            enterprise=world.enterprise,
            scheduled_for=latest_due_date(world.enterprise.revenue_tier, today),
            visited_on=today,
            problems=["厂区道路破损"],
        )
        candidate = Candidate.objects.create(title="园区停电", score=0.5)
        candidate.tickets.set(tickets[:2])
        theme = theme_create(
            actor=world.office,
            title="园区供电",
            lead_department=world.department,
            leader=world.leader.official,
            working_days=10,
            tickets=tickets[2:4],
        )
        # past its deadline and last week's 每月一题: in the bulletins and on the meeting's agenda
        Theme.objects.filter(pk=theme.pk).update(due=timezone.now() - dt.timedelta(days=1))
        theme_pick_month(actor=world.office, theme=theme, month=f"{last_week().end:%Y-%m}")
        bulletins = bulletin_publish(week=last_week())
        draft = bulletin_draft(week=Period.week(last_week().start - dt.timedelta(days=7)))[0]
        meeting, item, decision = _joint_meeting(world, make(Status.IN_PROGRESS))
        integration = integration_create(name="fuzz-hotline", channel=Channel.HOTLINE)
        integration_key_issue(integration=integration, raw=INTEGRATION_KEY)
        request = service_request_create(
            integration=integration,
            enterprise=world.enterprise,
            category=world.category,
            title="停电",
            description="园区频繁停电",
        )
        asked = Outreach.objects.create(
            theme=theme, enterprise=world.enterprise, message="是否受影响？", sent_by=world.office
        )
        users = {**world.personas(), "administrator": administrator}
        scene = Scene(world=world, users=users, tickets=tickets, media_root=media_root)
        scene.values = {
            "number": [t.number for t in tickets] + [request.ticket.number],
            "action": [a.value for a in Action if a != Action.SUBMIT],
            "week": [bulletins[0].week_label, draft.week_label],
            "item": [str(item.pk)],
            "district": [world.district.code, world.other_district.code],
            "code": [world.category.code],
            "picker": ["enterprises", "fileable-enterprises", "officials", "categories"],
            "uidb64": [urlsafe_base64_encode(force_bytes(world.enterprise_user.pk))],
            "token": [
                default_token_generator.make_token(world.enterprise_user),
                str(request.token),
            ],
            # <int:pk> by route
            "tickets:attachment": [str(a.pk) for t in tickets for a in t.attachments.all()],
            "tickets:attachment_view": [str(a.pk) for t in tickets for a in t.attachments.all()],
            "dispatches:detail": [str(dispatch.pk)],
            "dispatches:create": [str(world.enterprise.pk)],
            "dispatches:problem_file": [str(p.pk) for p in dispatch.problems.all()],
            "candidate": [str(candidate.pk)],
            "themes:detail": [str(theme.pk)],
            "themes:member-confirm": [str(theme.pk)],
            "themes:outreach": [str(asked.pk)],
            **{f"meetings:{name}": [str(meeting.pk)] for name in MEETING_ROUTES},
            "meetings:done": [str(decision.pk)],
            "notifications:read": [
                str(pk) for user in users.values() if user for pk in _notifications(user)
            ],
        }
        assert media_root == django_settings.MEDIA_ROOT
        yield scene
        transaction.set_rollback(True)


MEETING_ROUTES = ("detail", "add_item", "decide_ticket", "decide_item", "close")
MEETING_ROUTES += ("agenda_docx", "minutes_docx")


def _joint_meeting(world, ticket):
    """A meeting with an item and a decision on a ticket escalated to it."""
    while ticket.escalation_level < EscalationLevel.JOINT_MEETING:
        ticket = ticket_transition(ticket=ticket, actor=world.office, action=Action.ESCALATE)
    meeting = meeting_create(held_on=timezone.localdate())
    item = item_add(meeting=meeting, title="用地协调", description="", actor=world.office)
    decision = decision_record(
        meeting=meeting,
        ticket=ticket,
        text="限期解决",
        department=world.department,
        working_days=5,
        actor=world.office,
    )
    return meeting, item, decision


def _waiting_for_the_leader(world, make, big) -> list:
    """With the extension request above, the rest of the city leader's 待我处理: a problem of a
    百亿级 enterprise it covers escalated to it, and an overdue problem of its enterprise."""
    Coverage.objects.create(official=world.leader.official, enterprise=big, role="primary")
    escalated = ticket_transition(
        ticket=make(Status.IN_PROGRESS, enterprise=big),
        actor=world.office,
        action=Action.ESCALATE,
        note="需市领导协调",
    )
    late = make(Status.IN_PROGRESS)
    Ticket.objects.filter(pk=late.pk).update(completion_due=timezone.now() - dt.timedelta(days=3))
    late.refresh_from_db()
    return [escalated, late]


def _notifications(user) -> list[int]:
    return list(user.notifications.values_list("pk", flat=True)[:1])


def path_values(scene: Scene, route: pages.Route, persona: str) -> list[dict[str, str]]:
    """The path parameters to seed and fuzz `route` with: real objects the persona may or may
    not see (what it may not see answers 404, which the fuzz also sends)."""
    if route.name == "tickets:act":  # the actions this persona may take, one ticket each
        user = scene.users[persona]
        pairs = {}
        for ticket in scene.tickets:
            for action in allowed_actions(user, ticket) if user else []:
                pairs.setdefault(action.value, ticket.number)
        return [{"number": n, "action": a} for a, n in pairs.items()] or [
            {"number": scene.tickets[0].number, "action": "accept"}
        ]
    if route.name == "admin:view_on_site":  # the admin's link to an object's own page
        ticket = scene.tickets[0]
        content_type = ContentType.objects.get_for_model(ticket)
        return [{"content_type_id": str(content_type.pk), "object_id": str(ticket.pk)}]
    choices = []
    for name, regex in route.params:
        if route.name in scene.values and name == "pk":
            choices.append(scene.values[route.name])
        elif name in ("object_id", "id") and route.key.startswith("admin/"):
            choices.append(_admin_objects(route) or ["1"])
        elif name in scene.values:
            choices.append(scene.values[name])
        elif "|" in regex and regex.replace("|", "").replace("_", "").isalnum():
            choices.append(regex.split("|"))  # an alternation: xml|json, app labels
        else:
            choices.append(["1"])  # nothing known (a catch-all): the fuzz draws the rest
    names = [name for name, _regex in route.params]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)][:24]


def _admin_objects(route: pages.Route) -> list[str]:
    for model in admin.site._registry:
        meta = model._meta
        if route.key.startswith(f"admin/{meta.app_label}/{meta.model_name}/"):
            return [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:2]]
    return []
