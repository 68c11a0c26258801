"""Text messages go out through the outbox and Tencent Cloud's real SDK, to a stand-in of the
provider on 127.0.0.1 that checks every request as the provider would, and reach a phone once:
also when a worker dies in the middle of the send."""

import logging

import pytest
from django.conf import settings as django_settings

from notifications.models import Delivery, Preference
from notifications.services import deliveries_due, delivery_send, enqueue
from tests.parts.processes import RedisServer, Worker, free_port, point_celery_at, wait_for
from tests.sms_provider import TencentSmsStandIn
from tickets.models import Status
from tickets.services import ticket_submit

PHONE = "13812345678"


@pytest.fixture
def provider(settings):
    with TencentSmsStandIn() as stand_in:
        for name, value in stand_in.settings().items():
            setattr(settings, name, value)
        yield stand_in


def wants_sms(user, phone=PHONE, **fields):
    Preference.objects.update_or_create(
        user=user, defaults={"sms": True, "phone": phone, "email": False, **fields}
    )


def sms_deliveries():
    return Delivery.objects.filter(channel=Delivery.Channel.SMS).order_by("pk")


def test_the_enterprise_gets_a_text_with_the_ticket_number_and_link_once(
    world, make_ticket, provider
):
    wants_sms(world.enterprise_user)
    ticket = make_ticket(Status.ACCEPTED)
    [delivery] = sms_deliveries()  # the status change; filing it told the enterprise nothing
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    [sent] = provider.sent
    assert sent.phone == f"+86{PHONE}"
    link = f"{django_settings.SITE_URL}/tickets/{ticket.number}/"
    assert sent.params == [ticket.number, "状态变为已受理", link]
    assert provider.text_of(sent) == (
        f"【亲清服务】您的诉求{ticket.number}有新动态：状态变为已受理。详情请查看：{link}"
    )
    assert sent.session == f"qinqing-delivery-{delivery.pk}"
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_an_official_who_chose_sms_hears_of_a_new_problem_by_text(world, provider):
    wants_sms(world.official, phone="13900001111", language="en")
    ticket_submit(
        enterprise=world.enterprise,
        category=world.category,
        title="停电",
        description="园区停电",
        submitted_by=world.enterprise_user,
    )
    [delivery] = sms_deliveries().filter(target="13900001111")
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert provider.sent[0].params[1] == "New problem of an enterprise you cover"


def test_without_a_number_or_the_choice_no_text_is_written(world, make_ticket, provider):
    wants_sms(world.enterprise_user, phone="")
    Preference.objects.create(user=world.official, sms=False, phone="13900001111")
    make_ticket(Status.ACCEPTED)
    assert not sms_deliveries().exists()


def test_with_sms_not_set_up_nothing_is_queued_for_it(world, make_ticket, settings):
    settings.SMS_SECRET_ID = ""
    wants_sms(world.enterprise_user)
    make_ticket(Status.ACCEPTED)
    assert not sms_deliveries().exists()


@pytest.mark.parametrize(
    ("setting", "value", "code"),
    [
        ("SMS_SECRET_KEY", "a-wrong-secret", "AuthFailure.SignatureFailure"),
        ("SMS_SECRET_ID", "AKIDsomeoneelse", "AuthFailure.SecretIdNotFound"),
        ("SMS_TEMPLATE_ID", "999999", "FailedOperation.TemplateIncorrectOrUnapproved"),
        ("SMS_SIGN_NAME", "别的签名", "FailedOperation.SignatureIncorrectOrUnapproved"),
    ],
)
def test_a_request_the_provider_refuses_is_tried_again_later_and_logs_no_number(
    world, make_ticket, provider, settings, caplog, setting, value, code
):
    wants_sms(world.enterprise_user)
    make_ticket(Status.ACCEPTED)
    setattr(settings, setting, value)
    [delivery] = sms_deliveries()
    with caplog.at_level(logging.DEBUG):
        assert delivery_send(delivery_id=delivery.pk) == "retry"
    assert provider.sent == []
    assert provider.calls == [("SendSms", code)]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == (Delivery.State.PENDING, f"SMS {code}")
    assert PHONE not in caplog.text
    assert PHONE not in str(delivery)  # the admin's lists show it masked


def test_a_number_the_provider_refuses_is_kept_with_its_code(world, make_ticket, provider):
    wants_sms(world.enterprise_user)
    make_ticket(Status.ACCEPTED)
    delivery = sms_deliveries().get()
    Delivery.objects.filter(pk=delivery.pk).update(target="12345678901")  # written before checks
    assert delivery_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error == "SMS InvalidParameterValue.IncorrectPhoneNumber"
    assert provider.sent == []


# --- with a real Redis server and real workers -----------------------------------------------


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
def test_a_worker_killed_mid_send_leaves_the_text_sent_exactly_once(world, redis_server, settings):
    with TencentSmsStandIn(hold_first=True) as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        env = {**provider.settings(), "OUTBOX_LEASE_SECONDS": "2"}
        wants_sms(world.official)
        first = Worker(redis_server.url, env).start()
        ticket = ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title="停电",
            description="园区停电",
            submitted_by=world.enterprise_user,
        )
        delivery = sms_deliveries().get()
        wait_for(lambda: len(provider.sent) == 1, what="the provider to take the message")
        first.kill()  # dies while the provider, which has taken the message, has not answered
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENDING, 1)

        second = Worker(redis_server.url, env).start()
        try:
            settings.OUTBOX_LEASE_SECONDS = 2

            def swept_and_settled() -> bool:
                enqueue(deliveries_due())  # the sweep, until the lease runs out
                delivery.refresh_from_db()
                return delivery.state == Delivery.State.SENT

            wait_for(swept_and_settled, what="the retry after the worker died")
        finally:
            second.stop()
    assert delivery.attempts == 2
    assert len(provider.sent) == 1  # the phone got it once
    assert provider.sent[0].params[0] == ticket.number
    # The retry asked the provider instead of sending again.
    assert [action for action, _ in provider.calls] == ["SendSms", "PullSmsSendStatusByPhoneNumber"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_text_that_never_reached_the_provider_is_sent_by_the_retry(world, settings):
    """The other side of the check: the provider has nothing under this delivery's tag (the
    worker died before its request went out), so the retry sends it."""
    with TencentSmsStandIn() as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        wants_sms(world.official)
        ticket_submit(
            enterprise=world.enterprise,
            category=world.category,
            title="停电",
            description="园区停电",
            submitted_by=world.enterprise_user,
        )
        delivery = sms_deliveries().get()
        # As a worker leaves it when it dies between the claim and the request.
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, attempts=1)
        assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(provider.sent) == 1
    assert [action for action, _ in provider.calls] == ["PullSmsSendStatusByPhoneNumber", "SendSms"]
