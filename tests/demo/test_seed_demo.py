"""`seed_demo` makes the documented demo city, and running it twice changes nothing."""

from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import RequestFactory

from notifications.models import Notification
from tickets.models import Status, Ticket
from tickets.pending import pending_for

ACCOUNTS = [
    "office",
    "leader",
    "district_leader",
    "official",
    "coordinator",
    "enterprise",
    "enterprise2",
]


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("enterprises", "dispatches", "tickets", "notifications", "auth", "integrations")
        for model in apps.get_app_config(app).get_models()
    }


def test_the_demo_has_every_account_tickets_in_every_status_and_runs_twice_alike(db):
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first

    request = RequestFactory().post("/accounts/login/")
    for username in ACCOUNTS:
        assert authenticate(request, username=username, password="qinqing-demo"), username
    assert 180 <= Ticket.objects.count() <= 220
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert first["enterprises.Enterprise"] == 50
    # The leader lands on something to do: an extension to decide, a problem escalated to it.
    waiting = pending_for(get_user_model().objects.get(username="leader"))
    assert waiting.extensions and waiting.escalated
    # A realistic bell: each account's last few notices unread (3 to 8), not weeks of them.
    bells = Notification.objects.values("recipient__username").annotate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True))
    )
    assert len(bells) > 50
    for bell in bells:
        assert min(3, bell["total"]) <= bell["unread"] <= 8, bell


def test_no_tickets_leaves_the_queue_empty(db):
    call_command("seed_demo", "--no-tickets", verbosity=0)
    assert not Ticket.objects.exists()
    assert counts()["enterprises.Coverage"] >= 50
