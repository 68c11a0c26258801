"""Notifications are written with their cause and never lost: not when Redis is down, not
when a worker dies in the middle of a delivery."""

import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, GroupRobot, Kind, Notification, WebhookEndpoint
from notifications.services import deliveries_due, delivery_send, enqueue
from tests.parts.processes import RedisServer, Worker, free_port, point_celery_at, wait_for
from tests.parts.receiver import Receiver
from tickets.models import Action, Status, Ticket
from tickets.services import ticket_submit


def test_a_notification_is_written_with_its_event_or_not_at_all(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title="会回滚",
            description="x",
            submitted_by=world.enterprise_user,
        )
        raise RuntimeError("the request failed after the event was written")
    assert not Ticket.objects.exists()
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_the_enterprise_hears_of_every_status_change_under_the_bell(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)  # accepted, transferred, assigned
    kinds = list(
        Notification.objects.filter(recipient=world.enterprise_user).values_list("kind", "params")
    )
    assert [(k, p["status"]) for k, p in kinds] == [
        (Kind.STATUS, "in_progress"),
        (Kind.STATUS, "accepted"),
    ]
    client.force_login(world.enterprise_user)
    page = client.get(reverse("tickets:mine")).content.decode()
    assert 'data-testid="unread-count">2<' in page
    first = Notification.objects.filter(recipient=world.enterprise_user).first()
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response["Location"] == ticket.get_absolute_url()
    # The notice and the other one of its ticket are read: they are one line under the bell.
    assert 'data-testid="unread-count"' not in client.get(reverse("tickets:mine")).content.decode()


def test_an_official_hears_of_every_ticket_assigned_to_it(world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    notice = Notification.objects.get(recipient=world.official, kind=Kind.ASSIGNED)
    assert notice.ticket == ticket
    assert ticket.number in notice.message


def test_nobody_can_read_someone_elses_notification(client, world, make_ticket):
    make_ticket(Status.ACCEPTED)
    notice = Notification.objects.filter(recipient=world.enterprise_user).first()
    client.force_login(world.other_enterprise_user)
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_user_can_switch_off_email(client, world, make_ticket):
    client.force_login(world.enterprise_user)
    client.post(reverse("notifications:preferences"), {"language": "zh-hans"})  # email unticked
    make_ticket(Status.ACCEPTED)
    assert Notification.objects.filter(recipient=world.enterprise_user).exists()
    assert not Delivery.objects.filter(target=world.enterprise_user.email).exists()


def test_webhooks_get_each_event_signed_and_only_once(world, make_ticket):
    with Receiver() as receiver:
        WebhookEndpoint.objects.create(name="ERP", url=receiver.url, secret="s3cret")
        ticket = make_ticket(Status.ACCEPTED)
        deliveries = Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK).order_by("pk")
        assert deliveries.count() == 2  # submit, accept
        for delivery in deliveries:
            assert delivery_send(delivery_id=delivery.pk) == "sent"
            assert delivery_send(delivery_id=delivery.pk) == "skipped"
        assert len(receiver.requests) == 2
        last = receiver.requests[-1]
        expected = hmac.new(b"s3cret", last.body, hashlib.sha256).hexdigest()
        assert last.headers["X-Qinqing-Signature"] == f"sha256={expected}"
        assert last.json()["event"]["action"] == "accept"
        assert last.json()["ticket"]["number"] == ticket.number


def test_group_robots_of_the_district_get_text_messages(world, make_ticket):
    with Receiver() as wecom, Receiver() as dingtalk:
        GroupRobot.objects.create(
            name="南关区", kind="wecom", url=wecom.url, district=world.district
        )
        GroupRobot.objects.create(
            name="工信局",
            kind="dingtalk",
            url=dingtalk.url + "?access_token=t",
            secret="SEC123",
            department=world.department,
        )
        ticket = make_ticket(
            Status.IN_PROGRESS
        )  # submitted in the district, sent to the department
        for delivery in Delivery.objects.filter(channel__in=["wecom", "dingtalk"]):
            assert delivery_send(delivery_id=delivery.pk) == "sent"
        [district_message] = wecom.requests
        assert district_message.json()["msgtype"] == "text"
        assert ticket.number in district_message.json()["text"]["content"]
        [department_message] = dingtalk.requests
        query = urllib.parse.parse_qs(urllib.parse.urlparse(department_message.path).query)
        assert {"access_token", "timestamp", "sign"} <= set(query)


def test_a_robot_that_refuses_a_message_is_tried_again_later(world, make_ticket):
    with Receiver(answer={"errcode": 310000, "errmsg": "sign not match"}) as robot:
        GroupRobot.objects.create(
            name="南关区", kind="wecom", url=robot.url, district=world.district
        )
        make_ticket(Status.SUBMITTED)
        delivery = Delivery.objects.get(channel="wecom")
        assert delivery_send(delivery_id=delivery.pk) == "retry"
        delivery.refresh_from_db()
        assert delivery.state == Delivery.State.PENDING
        assert delivery.next_attempt_at > timezone.now()
        assert "310000" in delivery.last_error  # the robot's code, not its words
        assert "sign not match" not in delivery.last_error


# --- with real Redis servers and real workers ------------------------------------------------


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    server.start()
    previous = point_celery_at(server.url)
    yield server
    point_celery_at(previous)
    server.stop()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_email_goes_out_through_a_celery_worker_after_the_commit(world, make_ticket):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    world.enterprise_user.email = "chen@example.cn"
    world.enterprise_user.save()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        ticket = make_ticket(Status.ACCEPTED)

        def to_chen():
            return [m for m in mail.outbox if m.to == ["chen@example.cn"]]

        wait_for(to_chen, what="the e-mail to the enterprise")
    [message] = to_chen()
    assert ticket.number in message.subject
    assert "已受理" in message.subject
    assert Delivery.objects.get(target="chen@example.cn").state == Delivery.State.SENT


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_filing_succeeds_and_the_notices_go_out_once_it_is_back(
    client, settings, world, redis_server
):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis_server.url}}
    with Receiver() as receiver:
        WebhookEndpoint.objects.create(name="12345", url=receiver.url, secret="k")
        worker = Worker(redis_server.url).start()
        try:
            redis_server.stop()
            client.force_login(world.enterprise_user)
            response = client.post(
                reverse("tickets:create"),
                {"category": world.category.pk, "title": "断电", "description": "园区断电"},
            )
            assert response.status_code == 302
            ticket = Ticket.objects.get()
            delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
            assert delivery.state == Delivery.State.PENDING
            assert receiver.requests == []

            redis_server.start()
            enqueue(deliveries_due())  # what the periodic sweep does
            wait_for(lambda: len(receiver.completed) == 1, what="the webhook after the outage")
        finally:
            worker.stop()
    assert receiver.requests[0].json()["ticket"]["number"] == ticket.number
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_leaves_it_to_be_delivered_later_once(
    world, redis_server, settings
):
    lease = {"OUTBOX_LEASE_SECONDS": "2"}
    with Receiver(hold_first=True) as receiver:
        WebhookEndpoint.objects.create(name="ERP", url=receiver.url, secret="k")
        first = Worker(redis_server.url, lease).start()
        ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title="停电",
            description="园区停电",
            submitted_by=world.enterprise_user,
        )
        delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
        wait_for(lambda: len(receiver.requests) == 1, what="the first attempt to arrive")
        first.kill()  # dies while the receiver still holds the request
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENDING, 1)

        second = Worker(redis_server.url, lease).start()
        try:
            settings.OUTBOX_LEASE_SECONDS = 2

            def swept_and_sent() -> bool:
                enqueue(deliveries_due())  # the sweep, until the lease runs out
                return len(receiver.completed) == 1

            wait_for(swept_and_sent, what="the delivery after the worker died")
        finally:
            second.stop()
        delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
    ids = {r.headers["X-Qinqing-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.pk)}  # the receiver can tell the cut-off try was the same one
    assert len(receiver.completed) == 1
    assert json.loads(receiver.completed[0].body)["event"]["action"] == Action.SUBMIT


def test_housekeeping_drops_old_sent_deliveries_and_keeps_pending_ones(world, make_ticket):
    import datetime as dt

    from notifications.services import housekeeping

    world.enterprise_user.email = "chen@example.cn"
    world.enterprise_user.save()
    make_ticket(Status.ACCEPTED)
    long_ago = timezone.now() - dt.timedelta(days=365)
    Delivery.objects.filter(target="chen@example.cn").update(state="sent", sent_at=long_ago)
    pending = Delivery.objects.exclude(target="chen@example.cn").count()
    assert housekeeping()["deliveries"] == 1
    assert Delivery.objects.count() == pending
