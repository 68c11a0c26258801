"""Notifications for many tickets at once (the deadline job), in a fixed number of queries.

The same rules as `services.notify` (active recipients, an e-mail in the outbox for those who
want one) and the group robots and webhooks of `services.notify_ticket_event`; only the
loading is done once for a whole batch of tickets instead of once per ticket.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from .models import Delivery, GroupRobot, Kind, Notification, Preference, WebhookEndpoint
from .services import (
    ROBOT_ACTIONS_DEPARTMENT,
    ROBOT_ACTIONS_DISTRICT,
    _email_delivery,
    enqueue_after_commit,
    robot_text,
    webhook_payload,
)


@dataclass
class Notice:
    recipients: Iterable
    kind: Kind
    ticket: object
    params: dict


def notify_many(notices: Sequence[Notice]) -> int:
    """Write every notice's notifications and e-mails in three queries; answers how many."""
    now = timezone.now()
    rows: list[tuple[Notification, object]] = []
    for notice in notices:
        users = {u.pk: u for u in notice.recipients if u is not None and u.is_active}
        for user in users.values():
            rows.append(
                (
                    Notification(
                        recipient=user,
                        kind=notice.kind,
                        ticket=notice.ticket,
                        params=notice.params,
                        url=notice.ticket.get_absolute_url(),
                        created_at=now,
                    ),
                    user,
                )
            )
    if not rows:
        return 0
    Notification.objects.bulk_create(notification for notification, _user in rows)
    preferences = {
        p.user_id: p for p in Preference.objects.filter(user_id__in={u.pk for _n, u in rows})
    }
    deliveries = []
    for notification, user in rows:
        preference = preferences.get(user.pk) or Preference(user=user)
        if preference.email and user.email:
            deliveries.append(_email_delivery(notification, user, preference.language))
    enqueue_after_commit(Delivery.objects.bulk_create(deliveries))
    return len(rows)


def announce_many(events: Sequence) -> None:
    """The group robots and webhooks of each event (services._to_robots, _to_webhooks), with
    the robots and endpoints loaded once. Each event's ticket must carry its enterprise and
    category."""
    if not events:
        return
    robots = list(GroupRobot.objects.filter(is_active=True))
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True))
    deliveries = []
    for event in events:
        ticket = event.ticket
        district = ticket.enterprise.district_id if event.action in ROBOT_ACTIONS_DISTRICT else None
        department = ticket.lead_department_id if event.action in ROBOT_ACTIONS_DEPARTMENT else None
        chosen = [
            robot
            for robot in robots
            if (district is not None and robot.district_id == district)
            or (department is not None and robot.department_id == department)
        ]
        if chosen:
            with translation.override(settings.LANGUAGE_CODE):
                text = robot_text(event)
            deliveries.extend(
                Delivery(
                    channel=robot.kind,
                    target=robot.url,
                    secret=robot.secret,
                    payload={"text": text},
                )
                for robot in chosen
            )
        if endpoints:
            payload = webhook_payload(event)
            deliveries.extend(
                Delivery(
                    channel=Delivery.Channel.WEBHOOK,
                    target=endpoint.url,
                    secret=endpoint.secret,
                    payload=payload,
                )
                for endpoint in endpoints
            )
    enqueue_after_commit(Delivery.objects.bulk_create(deliveries))
