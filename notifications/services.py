"""Writing notifications (in the same transaction as their cause) and sending the outbox.

A delivery service: it knows users, kinds of message and ways out of the building, never what
a ticket is. The apps above decide who hears of what (tickets.notices) and call these."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.parse
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ops.masterdata import kept

from . import outbound, sms
from .messages import label_of, render_message
from .models import Delivery, GroupRobot, Kind, Notification, Preference, WebhookEndpoint
from .outbound import DeliveryError

logger = logging.getLogger(__name__)
User = get_user_model()

MAX_ATTEMPTS = 12
HTTP_TIMEOUT = 10


def notify(
    *,
    recipients: Iterable[User],
    kind: Kind,
    params: dict,
    ticket=None,
    url: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """A notification for each recipient (already read for one who switched the bell off), and
    in the outbox an e-mail and a text message for those who want them."""
    return notify_many(
        [
            {
                "recipients": recipients,
                "kind": kind,
                "params": params,
                "ticket": ticket,
                "url": url,
                "exclude": exclude,
            }
        ]
    )


def notify_many(messages: Iterable[dict]) -> list[Notification]:
    """`notify` of several messages (each a dict of its keyword arguments) in three statements
    whatever their number: the recipients' preferences, the notifications, the outbox's rows."""
    now = timezone.now()
    addressed: list[tuple[dict, dict]] = []
    for message in messages:
        users = {u.pk: u for u in message["recipients"] if u is not None and u.is_active}
        if (exclude := message.get("exclude")) is not None:
            users.pop(exclude.pk, None)
        if users:
            addressed.append((message, users))
    if not addressed:
        return []
    preferences = _preferences({pk: u for _message, users in addressed for pk, u in users.items()})
    rows = [
        (
            message,
            user,
            Notification(
                recipient=user,
                kind=message["kind"],
                ticket=message.get("ticket"),
                params=message["params"],
                url=message.get("url", ""),
                created_at=now,
                read_at=None if preferences.get(user.pk, Preference()).in_app else now,
            ),
        )
        for message, users in addressed
        for user in users.values()
    ]
    notifications = Notification.objects.bulk_create([notification for *_, notification in rows])
    deliveries = []
    for (message, user, _row), notification in zip(rows, notifications, strict=True):
        preference = preferences.get(user.pk) or Preference(user=user)
        if preference.email and user.email:
            deliveries.append(_email_delivery(notification, user, preference.language))
        if (
            preference.sms
            and preference.phone
            and "number" in message["params"]
            and notification.url
            and sms.enabled()
        ):
            deliveries.append(_sms_delivery(notification, preference))
    enqueue_after_commit(Delivery.objects.bulk_create(deliveries))
    return notifications


def _preferences(users: dict[int, User]) -> dict[int, Preference]:
    """The users' preferences: those read with the users (`select_related` of
    `notification_preference`, as tickets.notices reads a ticket's covering officials), and the
    others' in one query."""
    cached = User.notification_preference.related
    answer = {
        pk: preference
        for pk, user in users.items()
        if cached.is_cached(user) and (preference := cached.get_cached_value(user)) is not None
    }
    unread = [pk for pk, user in users.items() if not cached.is_cached(user)]
    if unread:
        answer |= {p.user_id: p for p in Preference.objects.filter(user_id__in=unread)}
    return answer


def _email_delivery(notification: Notification, user, language: str) -> Delivery:
    with translation.override(language):
        message = render_message(notification.kind, notification.params)
        subject = f"[{translation.gettext('Qinqing')}] {message}"[:200]
        link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
        body = f"{message}\n\n{link}".strip()
    return Delivery(
        notification=notification,
        channel=Delivery.Channel.EMAIL,
        target=user.email,
        payload={"subject": subject, "body": body},
    )


def notifications_read(*, user: User, notification=None, ticket_id: int | None = None) -> int:
    """Mark read `notification` and every unread notice of its ticket (or of `ticket_id`, when
    the user opens that ticket's page); answers how many."""
    if notification is not None:
        ticket_id = notification.ticket_id
        if ticket_id is None:
            return Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=timezone.now()
            )
    if ticket_id is None:
        return 0
    return Notification.objects.filter(
        recipient=user, ticket_id=ticket_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def _sms_delivery(notification: Notification, preference: Preference) -> Delivery:
    """The template's three parameters: the number of the case it is about (a ticket's), what
    happened, the link."""
    with translation.override(preference.language):
        if notification.kind == Kind.STATUS:
            happened = _("now %(status)s") % {
                "status": label_of("status", notification.params.get("status", ""))
            }
        else:
            happened = str(Kind(notification.kind).label)
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}"
    return Delivery(
        notification=notification,
        channel=Delivery.Channel.SMS,
        target=preference.phone,
        payload={"params": [str(notification.params["number"]), happened, link]},
    )


def enqueue_after_commit(deliveries: Iterable[Delivery]) -> None:
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(partial(enqueue, ids))


def enqueue(ids: list[int]) -> None:
    """Hand deliveries to Celery; with the broker down they stay pending for the sweep."""
    from .tasks import deliver

    for delivery_id in ids:
        try:
            deliver.apply_async((delivery_id,), retry=False)
        except Exception:  # the broker is down: the outbox sweep will send it later
            logger.warning("Could not enqueue delivery %s; the sweep will send it.", delivery_id)
            return


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else is sending it; answer what happened.

    The row is claimed (state `sending`, with a lease) in its own transaction before the
    network call, so two workers never send it at once; a worker that dies mid-send leaves the
    lease to expire and the sweep hands it on. Webhook receivers get the delivery's id in a
    header to recognise the rare repeat after such a crash.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, state__in=[Delivery.State.PENDING, Delivery.State.SENDING])
            .filter(next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return "skipped"
        cut_off = delivery.state == Delivery.State.SENDING  # its last worker died mid-send
        delivery.state = Delivery.State.SENDING
        delivery.attempts += 1
        delivery.next_attempt_at = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the language of the reasons kept
            if not (cut_off and _went_out(delivery)):
                SENDERS[delivery.channel](delivery)
    except Exception as error:  # any failure of the far side: try again later
        failed = delivery.attempts >= MAX_ATTEMPTS
        with translation.override(settings.LANGUAGE_CODE):
            reason = outbound.failure_reason(error)
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED if failed else Delivery.State.PENDING,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
            last_error=reason,
        )
        logger.warning(
            "Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, reason
        )
        return "failed" if failed else "retry"
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _went_out(delivery: Delivery) -> bool:
    """Whether a send that was cut off reached its recipient after all, where the channel can
    tell: a text message's provider reports it by the tag it carried (notifications.sms)."""
    if delivery.channel == Delivery.Channel.SMS:
        return sms.was_sent(
            delivery_id=delivery.pk, phone=delivery.target, since=delivery.created_at
        )
    return False


def deliveries_due(limit: int = 1000) -> list[int]:
    """Pending deliveries whose time has come, and sends whose lease ran out."""
    return list(
        Delivery.objects.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- the channels ----------------------------------------------------------------------------


def _send_email(delivery: Delivery) -> None:
    send_mail(
        delivery.payload["subject"],
        delivery.payload["body"],
        settings.DEFAULT_FROM_EMAIL,
        [delivery.target],
    )


def _post_json(delivery: Delivery, body: bytes, headers: dict, url: str = "") -> None:
    """POST to a public address only (notifications.outbound); a failure keeps our reason."""
    status, answer = outbound.post(
        url or delivery.target,
        body=body,
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        timeout=HTTP_TIMEOUT,
    )
    if 300 <= status < 400:
        raise DeliveryError(_("HTTP %(status)s: redirects are not followed.") % {"status": status})
    if status >= 400:
        raise DeliveryError(f"HTTP {status}")
    # Both robots answer 200 with an error code in the body when they refuse a message.
    if delivery.channel in (Delivery.Channel.WECOM, Delivery.Channel.DINGTALK):
        try:
            code = json.loads(answer).get("errcode", 0)
        except (ValueError, AttributeError) as error:
            raise DeliveryError(_("The robot's answer was not understood.")) from error
        if code != 0:
            code = code if isinstance(code, int) else "?"
            raise DeliveryError(
                _("The robot refused the message (errcode %(code)s).") % {"code": code}
            )


def _send_robot(delivery: Delivery) -> None:
    """WeCom and DingTalk group robots take the same text message shape."""
    body = {"msgtype": "text", "text": {"content": delivery.payload["text"]}}
    url = delivery.target
    if delivery.channel == Delivery.Channel.DINGTALK and delivery.secret:
        url = dingtalk_signed_url(url, delivery.secret)
    _post_json(delivery, json.dumps(body, ensure_ascii=False).encode(), {}, url=url)


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """A DingTalk robot with signing on wants `timestamp` and `sign` in its address: the
    Base64 HMAC-SHA256, keyed with the secret, of "<timestamp>\\n<secret>" (DingTalk's custom
    robot documentation, "加签")."""
    timestamp = str(timestamp_ms or int(timezone.now().timestamp() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def _send_webhook(delivery: Delivery) -> None:
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    signature = hmac.new(delivery.secret.encode(), body, hashlib.sha256).hexdigest()
    _post_json(
        delivery,
        body,
        {"X-Qinqing-Signature": f"sha256={signature}", "X-Qinqing-Delivery": str(delivery.pk)},
    )


def _send_sms(delivery: Delivery) -> None:
    sms.send(delivery_id=delivery.pk, phone=delivery.target, params=delivery.payload["params"])


SENDERS = {
    Delivery.Channel.EMAIL: _send_email,
    Delivery.Channel.WECOM: _send_robot,
    Delivery.Channel.DINGTALK: _send_robot,
    Delivery.Channel.WEBHOOK: _send_webhook,
    Delivery.Channel.SMS: _send_sms,
}


# --- robots and webhooks ---------------------------------------------------------------------


@kept(GroupRobot)
def active_group_robots() -> list[GroupRobot]:
    """Every ticket event asks which robots listen: kept in the process (ops.masterdata)."""
    return list(GroupRobot.objects.filter(is_active=True))


@kept(WebhookEndpoint)
def active_webhooks() -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(is_active=True))


def to_group_robots(
    *, district_ids: Iterable[int], department_ids: Iterable[int], text: Callable[[], str]
) -> None:
    """Queue `text()` (in the site's language, made only if one listens) for the active group
    robots of these districts and departments."""
    districts, departments = set(district_ids), set(department_ids)
    robots = [
        robot
        for robot in active_group_robots()
        if robot.district_id in districts or robot.department_id in departments
    ]
    if not robots:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = text()
    enqueue_after_commit(
        Delivery.objects.bulk_create(
            Delivery(
                channel=robot.kind, target=robot.url, secret=robot.secret, payload={"text": body}
            )
            for robot in robots
        )
    )


def to_webhooks(*, payload: Callable[[], dict]) -> None:
    """Queue `payload()` (made only if an endpoint listens) for every active webhook."""
    endpoints = active_webhooks()
    if not endpoints:
        return
    body = payload()
    enqueue_after_commit(
        Delivery.objects.bulk_create(
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                target=endpoint.url,
                secret=endpoint.secret,
                payload=body,
            )
            for endpoint in endpoints
        )
    )


def housekeeping(*, older_than: dt.timedelta = dt.timedelta(days=180)) -> dict[str, int]:
    """Drop sent deliveries nobody needs any more. (The once-ledger, SentOnce, is kept: a ticket
    overdue for longer than any cut-off would otherwise walk its ladder a second time.)"""
    cutoff = timezone.now() - older_than
    deliveries, _ = Delivery.objects.filter(state=Delivery.State.SENT, sent_at__lt=cutoff).delete()
    return {"deliveries": deliveries}
