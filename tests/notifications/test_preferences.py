"""Contacts choose how they hear (bell, e-mail, text message) and give the address and number
those need; the bell groups notices per ticket, and opening a ticket reads its notices."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, Notification, Preference
from tickets.models import Action, Status
from tickets.services import ticket_transition

URL = reverse("notifications:preferences")


@pytest.fixture
def sms_on(settings):
    settings.SMS_SECRET_ID, settings.SMS_SECRET_KEY = "AKIDtest", "secret"


def save(client, user, **data):
    client.force_login(user)
    return client.post(URL, {"language": "zh-hans", **data})


def test_a_contact_enters_a_mobile_number_and_an_address_and_chooses_all_three(
    client, world, sms_on
):
    response = save(
        client,
        world.enterprise_user,
        in_app="on",
        email="on",
        email_address="chen@example.cn",
        sms="on",
        phone="+86 138-1234-5678",
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=world.enterprise_user)
    assert (preference.in_app, preference.email, preference.sms) == (True, True, True)
    assert preference.phone == "13812345678"
    world.enterprise_user.refresh_from_db()
    assert world.enterprise_user.email == "chen@example.cn"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "on"}, "email_address", "请填写电子邮箱，才能接收邮件。"),
        ({"sms": "on"}, "phone", "请填写手机号码，才能接收短信。"),
        ({"phone": "1381234567"}, "phone", "请输入 11 位中国大陆手机号码"),
        ({"phone": "23812345678"}, "phone", "请输入 11 位中国大陆手机号码"),
        ({"phone": "+1 415 555 0100"}, "phone", "请输入 11 位中国大陆手机号码"),
        ({"phone": "1" * 21}, "phone", "不超过 20 字符"),
        ({"email_address": "chen@"}, "email_address", "合法的邮件地址"),
    ],
    ids=[
        "email-without-address",
        "sms-without-number",
        "10-digits",
        "not-mobile",
        "abroad",
        "too-long",
        "bad-address",
    ],
)
def test_a_choice_without_what_it_needs_is_refused_in_chinese_and_nothing_changes(
    client, world, sms_on, data, field, message
):
    world.enterprise_user.email = ""
    world.enterprise_user.save()
    response = save(client, world.enterprise_user, **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Preference.objects.filter(user=world.enterprise_user, sms=True).exists()
    assert not Preference.objects.exclude(phone="").exists()
    world.enterprise_user.refresh_from_db()
    assert world.enterprise_user.email == ""


def test_without_an_address_e_mail_is_shown_unticked(client, world):
    world.enterprise_user.email = ""
    world.enterprise_user.save()
    client.force_login(world.enterprise_user)
    form = client.get(URL).context["form"]
    assert form["email"].value() is False


def test_text_messages_cannot_be_chosen_where_they_are_not_set_up(client, world, settings):
    settings.SMS_SECRET_ID = ""
    save(client, world.enterprise_user, sms="on", phone="13812345678")
    assert not Preference.objects.get(user=world.enterprise_user).sms


def test_with_the_bell_switched_off_notices_arrive_read(client, world, make_ticket):
    save(client, world.enterprise_user, email_address="", phone="")
    make_ticket(Status.ACCEPTED)
    notices = Notification.objects.filter(recipient=world.enterprise_user)
    assert notices.exists()
    assert not notices.filter(read_at__isnull=True).exists()
    assert not Delivery.objects.filter(notification__recipient=world.enterprise_user).exists()


def test_the_inbox_shows_one_line_per_ticket_with_its_counts(client, world, make_ticket):
    first = make_ticket(Status.IN_PROGRESS)  # accepted, in progress: two notices
    second = make_ticket(Status.ACCEPTED)
    client.force_login(world.enterprise_user)
    response = client.get(reverse("notifications:inbox"))
    lines = response.context["page"].object_list
    assert [n.ticket for n in lines] == [second, first]
    assert [(n.group_total, n.group_unread) for n in lines] == [(1, 1), (2, 2)]
    assert "此诉求共 2 条消息 · 2 条未读" in response.content.decode()


def test_opening_a_ticket_marks_its_notices_read_and_no_others(client, world, make_ticket):
    first = make_ticket(Status.IN_PROGRESS)
    second = make_ticket(Status.ACCEPTED)
    client.force_login(world.enterprise_user)
    assert client.get(first.get_absolute_url()).status_code == 200
    unread = Notification.objects.filter(recipient=world.enterprise_user, read_at__isnull=True)
    assert list(unread.values_list("ticket", flat=True)) == [second.pk]
    # The bell on that page already counts what is left.
    page = client.get(second.get_absolute_url())
    assert not unread.exists()
    assert page.status_code == 200


def test_following_a_notice_reads_every_notice_of_its_ticket(client, world, make_ticket):
    ticket = make_ticket(Status.IN_PROGRESS)
    ticket_transition(
        ticket=ticket, actor=world.official, action=Action.PROGRESS, note="已联系", public=True
    )
    client.force_login(world.enterprise_user)
    latest = Notification.objects.filter(recipient=world.enterprise_user).first()
    response = client.post(reverse("notifications:read", args=[latest.pk]))
    assert response.url == ticket.get_absolute_url()
    assert not Notification.objects.filter(
        recipient=world.enterprise_user, ticket=ticket, read_at__isnull=True
    ).exists()
