"""Notes between officials stay internal: the enterprise sees that its problem was accepted,
routed and handled (with public names), but reads a note only when it is addressed to it (a
rejection's reason, the resolution, its own words) or when its author marked it for it.

One walk takes problems through every action, each as its actor with a note that says whether
it is for the enterprise; then the enterprise reads them through every door it has: the page,
the REST API, Open311, its e-mail, the bell, the export and the attachments; and the other
systems that answer it (webhooks) and the group robots follow the same rule.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from notifications.models import Delivery, GroupRobot, Notification, WebhookEndpoint
from notifications.services import delivery_send
from tests.files import PDF_BYTES
from tickets.models import Action, Attachment, Outcome, Rating, RejectReason, Status, Ticket
from tickets.services import ticket_submit, ticket_transition


@dataclass
class Walk:
    tickets: dict[str, Ticket] = field(default_factory=dict)
    internal: list[str] = field(default_factory=list)  # notes the enterprise must never read
    public: dict[str, list[str]] = field(default_factory=dict)  # ticket → notes it must read
    public_file: Attachment | None = None
    internal_file: Attachment | None = None


@pytest.fixture
def walk(world) -> Walk:
    """Every action, as its actor, each note saying who it is for: 公开… (for the enterprise, by
    nature or because its author ticked the box) or 内部… (between officials)."""
    # Other systems and the units' group chats hear of the same events.
    WebhookEndpoint.objects.create(name="12345", url="https://hotline.example.cn/hook", secret="k")
    GroupRobot.objects.create(
        name="工信局群",
        kind=GroupRobot.Kind.WECOM,
        url="https://qyapi.example.cn/robot?key=1",
        department=world.department,
    )
    GroupRobot.objects.create(
        name="南关区群",
        kind=GroupRobot.Kind.WECOM,
        url="https://qyapi.example.cn/robot?key=2",
        district=world.district,
    )
    w = Walk()

    def submit(name: str, title: str) -> Ticket:
        w.tickets[name] = ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title=title,
            description="我公司新增两条生产线，现有变压器容量不足。",
            submitted_by=world.enterprise_user,
        )
        w.public[name] = []
        return w.tickets[name]

    def act(name: str, actor, action: Action, note: str = "", *, public=None, **params) -> None:
        ticket_transition(
            ticket=w.tickets[name],
            actor=getattr(world, actor),
            action=action,
            note=note,
            public=public,
            **params,
        )
        if not note:
            return
        (w.public[name] if note.startswith("公开") else w.internal).append(note)

    submit("main", "新增生产线需要扩容变压器")
    act("main", "office", Action.ACCEPT, "内部甲：请工信局牵头，三日内拿出方案")
    act("main", "office", Action.TRANSFER, "内部乙：请工信局牵头办理", department=world.department)
    act("main", "coordinator", Action.ASSIGN, "内部丙：请张伟同志负责", assignee=world.official)
    act("main", "official", Action.PROGRESS, "内部丁：等待局长签批", public=False)
    act(
        "main",
        "official",
        Action.PROGRESS,
        "公开一：已联系供电公司现场勘查",
        public=True,
        attachments=[SimpleUploadedFile("勘查记录.pdf", PDF_BYTES)],
    )
    act(
        "main",
        "official",
        Action.PROGRESS,
        "内部戊：测算表仅供内部参考",
        attachments=[SimpleUploadedFile("内部测算.pdf", PDF_BYTES)],
    )
    act("main", "official", Action.REQUEST_EXTENSION, "内部己：设备到货需要时间", days=3)
    act("main", "leader", Action.DENY_EXTENSION, "内部庚：不予延期，抓紧办理")
    act("main", "official", Action.ESCALATE, "内部辛：请局领导协调电力公司")
    act("main", "office", Action.SUPERVISE, "内部壬：列入督办")
    act("main", "office", Action.REMIND, "内部癸：请抓紧办理")
    act("main", "enterprise_user", Action.ADD_INFO, "公开二：负荷测算表已更新")
    submit("duplicate", "变压器容量不足（重复反映）")
    act("duplicate", "office", Action.MERGE, "内部子：与主单重复，并入处理", into=w.tickets["main"])
    act("main", "official", Action.RETURN, "内部丑：应由供电公司答复，不是本部门职责")
    act(
        "main",
        "office",
        Action.TRANSFER,
        "公开三：已改由工信局牵头，请留意来电",
        public=True,
        department=world.department,
    )
    act("main", "coordinator", Action.ASSIGN, "内部寅：张伟继续跟进", assignee=world.official)
    act(
        "main",
        "official",
        Action.RESOLVE,
        resolution="公开四：已协调供电公司完成扩容",
        outcome=Outcome.SOLVED,
    )
    # (The page shows the ticket's latest resolution; this first one is replaced below.)
    act("main", "enterprise_user", Action.RATE, rating=Rating.UNSATISFIED, comment="公开五：仍跳闸")
    w.public["main"].append("公开五：仍跳闸")
    act("main", "office", Action.FOLLOW_UP, "内部卯：企业情绪较大，需尽快整改")
    act(
        "main",
        "official",
        Action.RESOLVE,
        resolution="公开六：已更换开关柜，跳闸消除",
        outcome=Outcome.SOLVED,
    )
    w.public["main"].append("公开六：已更换开关柜，跳闸消除")
    act("main", "office", Action.CLOSE, "内部辰：已核实，予以销号")

    submit("rejected", "希望政府协调订单")
    act(
        "rejected",
        "office",
        Action.REJECT,
        "公开七：不属于本次活动受理范围，请向商务部门反映",
        reason=RejectReason.OUT_OF_SCOPE,
    )
    submit("routed", "用电报装进度慢")
    act("routed", "office", Action.ACCEPT, "内部巳：请工信局牵头")
    act("routed", "office", Action.TRANSFER, "内部午：请工信局牵头", department=world.department)
    act("routed", "coordinator", Action.ASSIGN, "内部未：请张伟同志负责", assignee=world.official)
    submit("told", "厂区道路破损")
    act("told", "office", Action.ACCEPT, "公开八：已受理，工信局将与您联系", public=True)
    submit("reopened", "天然气供应不足")
    for actor, action, params in [
        ("office", Action.ACCEPT, {}),
        ("office", Action.ASSIGN, {"assignee": world.official}),
        (
            "official",
            Action.RESOLVE,
            {"outcome": Outcome.EXPLAINED, "resolution": "公开九：气源紧张"},
        ),
    ]:
        act("reopened", actor, action, **params)
    w.public["reopened"].append("公开九：气源紧张")
    act("reopened", "enterprise_user", Action.REOPEN, "公开十：仍未解决，请再协调")

    w.public_file = Attachment.objects.get(original_name="勘查记录.pdf")
    w.internal_file = Attachment.objects.get(original_name="内部测算.pdf")
    for ticket in w.tickets.values():
        ticket.refresh_from_db()
    return w


def all_public(walk: Walk) -> list[str]:
    return [note for notes in walk.public.values() for note in notes]


def assert_only_public(text: str, walk: Walk, expected: list[str]) -> None:
    leaked = [note for note in walk.internal if note in text]
    assert leaked == [], f"internal notes reached the enterprise: {leaked}"
    missing = [note for note in expected if note not in text]
    assert missing == [], f"notes for the enterprise are missing: {missing}"


def test_the_walk_marks_as_internal_every_instruction_between_officials(walk):
    assert len(walk.internal) == 18
    assert walk.tickets["main"].status == Status.CLOSED
    assert walk.tickets["duplicate"].merged_into == walk.tickets["main"]


def test_the_enterprise_page_shows_the_facts_and_only_the_notes_for_it(client, world, walk):
    client.force_login(world.enterprise_user)
    for name, ticket in walk.tickets.items():
        page = client.get(ticket.get_absolute_url()).content.decode()
        assert_only_public(page, walk, walk.public[name])
    routed = client.get(walk.tickets["routed"].get_absolute_url())
    actions = [event.action for event in routed.context["events"]]
    # The facts: accepted, handed to a department and to an official, with their public names.
    assert actions == [Action.SUBMIT, Action.ACCEPT, Action.TRANSFER, Action.ASSIGN]
    page = routed.content.decode()
    assert "市工业和信息化局" in page and "张伟" in page


def test_officials_read_every_note_with_the_internal_ones_marked(client, world, walk):
    client.force_login(world.office)
    page = client.get(walk.tickets["routed"].get_absolute_url()).content.decode()
    assert "内部午：请工信局牵头" in page
    assert page.count('data-testid="internal-note"') == 3  # accept, transfer and assign


def test_the_api_gives_the_enterprise_the_events_without_their_internal_notes(client, world, walk):
    token, _ = Token.objects.get_or_create(user=world.enterprise_user)
    for name, ticket in walk.tickets.items():
        response = client.get(
            f"/api/v1/tickets/{ticket.number}/", HTTP_AUTHORIZATION=f"Token {token.key}"
        )
        assert response.status_code == 200
        assert_only_public(response.content.decode(), walk, walk.public[name])
    routed = client.get(
        f"/api/v1/tickets/{walk.tickets['routed'].number}/",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    ).json()
    assert [(e["action"], e["note"]) for e in routed["events"]] == [
        ("submit", ""),
        ("accept", ""),
        ("transfer", ""),
        ("assign", ""),
    ]
    listing = client.get("/api/v1/tickets/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_only_public(listing.content.decode(), walk, [])


def test_open311_status_notes_carry_only_what_the_enterprise_may_read(client, world, walk):
    client.force_login(world.enterprise_user)
    numbers = ",".join(t.number for t in walk.tickets.values())
    response = client.get(f"/open311/v2/requests.json?service_request_id={numbers}")
    assert response.status_code == 200
    assert_only_public(response.content.decode(), walk, [])
    notes = {r["service_request_id"]: r["status_notes"] for r in response.json()}
    assert notes[walk.tickets["routed"].number] is None
    assert notes[walk.tickets["told"].number] == "公开八：已受理，工信局将与您联系"
    assert notes[walk.tickets["main"].number] == "公开六：已更换开关柜，跳闸消除"
    assert notes[walk.tickets["rejected"].number].endswith(
        "公开七：不属于本次活动受理范围，请向商务部门反映"
    )
    assert notes[walk.tickets["reopened"].number] == "公开十：仍未解决，请再协调"
    xml = client.get(f"/open311/v2/requests.xml?service_request_id={numbers}")
    assert_only_public(xml.content.decode(), walk, [])


def test_the_enterprise_s_e_mail_and_bell_carry_no_internal_note(client, world, walk):
    emails = Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL, target=world.enterprise_user.email
    )
    assert emails.count() >= 10
    for delivery in emails:
        assert delivery_send(delivery_id=delivery.pk) == "sent"
    sent = [m for m in mail.outbox if world.enterprise_user.email in m.to]
    assert len(sent) == emails.count()
    assert_only_public("\n".join(f"{m.subject}\n{m.body}" for m in sent), walk, [])
    bell = Notification.objects.filter(recipient=world.enterprise_user)
    assert_only_public("\n".join(n.message for n in bell), walk, [])
    client.force_login(world.enterprise_user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert_only_public(page, walk, [])


def test_the_enterprise_s_export_carries_no_note(client, world, walk):
    client.force_login(world.enterprise_user)
    response = client.get(reverse("exchange:ticket-export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert len(rows) == 1 + len(walk.tickets)
    assert_only_public(json.dumps(rows, default=str, ensure_ascii=False), walk, [])


def test_webhooks_carry_a_note_only_when_it_is_for_the_enterprise(walk):
    payloads = [
        d.payload for d in Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK).order_by("pk")
    ]
    text = json.dumps(payloads, ensure_ascii=False)
    assert_only_public(
        text,
        walk,
        ["公开一：已联系供电公司现场勘查", "公开七：不属于本次活动受理范围，请向商务部门反映"],
    )
    accepted = next(
        p["event"]
        for p in payloads
        if p["event"]["action"] == "accept"
        and p["ticket"]["number"] == walk.tickets["routed"].number
    )
    assert (accepted["public"], accepted["note_public"], accepted["note"]) == (True, False, "")


def test_group_robots_follow_the_same_rule(walk):
    texts = [
        d.payload["text"] for d in Delivery.objects.filter(channel__in=[Delivery.Channel.WECOM])
    ]
    assert len(texts) >= 5  # submissions, transfers, escalation, supervision, return…
    assert_only_public("\n".join(texts), walk, [])


def test_the_enterprise_downloads_only_the_files_of_notes_it_may_read(client, world, walk):
    client.force_login(world.enterprise_user)
    public = client.get(reverse("tickets:attachment", args=[walk.public_file.pk]))
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == PDF_BYTES
    internal = client.get(reverse("tickets:attachment", args=[walk.internal_file.pk]))
    assert internal.status_code == 404
    client.force_login(world.official)
    assert (
        client.get(reverse("tickets:attachment", args=[walk.internal_file.pk])).status_code == 200
    )


# --- the forms say who reads each note, and the author's choice is kept -----------------------


def test_each_action_form_says_whether_the_enterprise_reads_its_note(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    client.force_login(world.office)
    forms = {f.action: f for f in client.get(ticket.get_absolute_url()).context["forms"]}
    assert str(forms[Action.TRANSFER].fields["note"].help_text).startswith("企业看不到这条说明")
    assert str(forms[Action.TRANSFER].fields["public"].label) == "让企业看到这条说明"
    assert str(forms[Action.ESCALATE].fields["note"].help_text) == "企业看不到这条说明。"
    assert "public" not in forms[Action.ESCALATE].fields
    assert (
        str(forms[Action.ADD_INFO].fields["note"].help_text) == "办理人员和企业都能看到这条说明。"
    )
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert 'name="transfer-public"' in page and "让企业看到这条说明" in page


def test_an_accept_note_reaches_the_enterprise_only_when_its_author_ticks_the_box(
    client, world, make_ticket
):
    first, second = make_ticket(), make_ticket()
    client.force_login(world.office)
    url = "tickets:act"
    client.post(reverse(url, args=[first.number, "accept"]), {"accept-note": "请工信局牵头"})
    client.post(
        reverse(url, args=[second.number, "accept"]),
        {"accept-note": "已受理，三日内答复", "accept-public": "on"},
    )
    client.force_login(world.enterprise_user)
    first_page = client.get(first.get_absolute_url()).content.decode()
    assert "已受理" in first_page  # the fact: its status
    assert "请工信局牵头" not in first_page
    assert "已受理，三日内答复" in client.get(second.get_absolute_url()).content.decode()


def test_through_the_api_a_note_is_shown_only_where_its_author_may_and_does_choose(
    client, world, make_ticket
):
    ticket = make_ticket()
    office, _ = Token.objects.get_or_create(user=world.office)
    enterprise, _ = Token.objects.get_or_create(user=world.enterprise_user)

    def post(action: str, data: dict) -> None:
        response = client.post(
            f"/api/v1/tickets/{ticket.number}/{action}/",
            data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {office.key}",
        )
        assert response.status_code == 200, response.content

    post("accept", {"note": "已受理，请耐心等待", "public": True})
    post("escalate", {"note": "请局领导协调", "public": True})  # not a choice: stays internal
    post("assign", {"official": "official", "note": "请张伟同志负责"})
    seen = client.get(
        f"/api/v1/tickets/{ticket.number}/", HTTP_AUTHORIZATION=f"Token {enterprise.key}"
    ).json()
    assert [(e["action"], e["note"]) for e in seen["events"]] == [
        ("submit", ""),
        ("accept", "已受理，请耐心等待"),
        ("assign", ""),
    ]


def test_a_note_that_is_always_internal_cannot_be_marked_for_the_enterprise(world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        ticket_transition(
            ticket=ticket, actor=world.office, action=Action.ESCALATE, note="x", public=True
        )
    assert not ticket.events.filter(action=Action.ESCALATE).exists()
