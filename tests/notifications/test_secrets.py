"""Signing secrets: a webhook's is made on the server, shown once when made (or made anew) and
masked after; a DingTalk robot's is written by the office and never shown again."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import Delivery, GroupRobot, WebhookEndpoint
from notifications.services import delivery_send
from tests.parts.receiver import Receiver
from tickets.models import Status


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.cn", "root-pass-2026")


def test_a_webhook_secret_is_made_on_the_server_shown_once_and_masked_after(
    client, world, root, make_ticket
):
    client.force_login(root)
    with Receiver() as receiver:
        response = client.post(
            reverse("admin:notifications_webhookendpoint_add"),
            {"name": "ERP", "url": receiver.url, "is_active": "on", "secret": "chosen-by-a-form"},
            follow=True,
        )
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.secret != "chosen-by-a-form" and len(endpoint.secret) >= 40
        assert any(endpoint.secret in str(m) for m in response.context["messages"])
        for url in (
            reverse("admin:notifications_webhookendpoint_changelist"),
            reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk]),
        ):
            page = client.get(url).content.decode()
            assert endpoint.secret not in page
        assert endpoint.secret[-4:] in page  # masked, but recognisable

        make_ticket(Status.SUBMITTED)  # the receiver checks each body with the secret it was shown
        delivery = Delivery.objects.get(channel="webhook")
        assert delivery_send(delivery_id=delivery.pk) == "sent"
        [received] = receiver.requests
        signature = hmac.new(endpoint.secret.encode(), received.body, hashlib.sha256).hexdigest()
        assert received.headers["X-Qinqing-Signature"] == f"sha256={signature}"

    old = endpoint.secret
    response = client.post(
        reverse("admin:notifications_webhookendpoint_changelist"),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert any(endpoint.secret in str(m) for m in response.context["messages"])


def test_a_robot_secret_is_written_never_shown_and_kept_when_left_empty(
    client, world, office_in_admin
):
    client.force_login(office_in_admin)
    form = {
        "name": "工信局",
        "kind": "dingtalk",
        "url": "http://127.0.0.1:9/robot/send?access_token=t",
        "secret": "SEC0123456789abcdefTopSecret",
        "department": world.department.pk,
        "is_active": "on",
    }
    assert client.post(reverse("admin:notifications_grouprobot_add"), form).status_code == 302
    robot = GroupRobot.objects.get()
    assert robot.secret == "SEC0123456789abcdefTopSecret"
    change = reverse("admin:notifications_grouprobot_change", args=[robot.pk])
    assert "TopSecret" not in client.get(change).content.decode()
    assert client.post(change, {**form, "secret": "", "name": "工信局群"}).status_code == 302
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("工信局群", "SEC0123456789abcdefTopSecret")
