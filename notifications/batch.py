"""Notifications for many tickets at once (the deadline job), in a fixed number of queries.

The same rules as `services.notify` (active recipients, the actor left out, an e-mail in the
outbox for those who want one), `services.responsible_for` / `primary_leaders_of` (who must act
on a ticket) and the group robots and webhooks of `services.notify_ticket_event`; only the
loading is done once for a whole batch of tickets instead of once per ticket.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from enterprises.models import Coverage

from .models import Delivery, GroupRobot, Kind, Notification, Preference, WebhookEndpoint
from .services import (
    ROBOT_ACTIONS_DEPARTMENT,
    ROBOT_ACTIONS_DISTRICT,
    _email_delivery,
    enqueue_after_commit,
    office_users,
    robot_text,
    webhook_payload,
)

User = get_user_model()


@dataclass
class Notice:
    recipients: Iterable
    kind: Kind
    ticket: object
    params: dict


class Audience:
    """Who must act on each of a batch of tickets, loaded in three queries: the coordinators of
    their lead departments, the officials covering their enterprises, and the office."""

    def __init__(self, tickets: Sequence) -> None:
        departments = {
            t.lead_department_id for t in tickets if not t.assignee_id and t.lead_department_id
        }
        self.coordinators: dict[int, list] = defaultdict(list)
        for user in User.objects.filter(
            official__is_coordinator=True, official__department_id__in=departments
        ).select_related("official"):
            self.coordinators[user.official.department_id].append(user)
        self.covering: dict[int, list[tuple[object, str]]] = defaultdict(list)
        for coverage in Coverage.objects.filter(
            enterprise_id__in={t.enterprise_id for t in tickets}, official__user__is_active=True
        ).select_related("official__user"):
            self.covering[coverage.enterprise_id].append((coverage.official.user, coverage.role))
        self.office = list(office_users())

    def responsible(self, ticket) -> list:
        """services.responsible_for: the assignee; else the lead department's coordinators;
        else the officials covering the enterprise; else the office."""
        if ticket.assignee_id:
            return [ticket.assignee]
        if ticket.lead_department_id and self.coordinators.get(ticket.lead_department_id):
            return self.coordinators[ticket.lead_department_id]
        covering = _distinct(user for user, _role in self.covering[ticket.enterprise_id])
        return covering or self.office

    def primary_leaders(self, ticket) -> list:
        return _distinct(
            user
            for user, role in self.covering[ticket.enterprise_id]
            if role == Coverage.Role.PRIMARY
        )


def _distinct(users: Iterable) -> list:
    return list({user.pk: user for user in users}.values())


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
