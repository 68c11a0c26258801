"""Throttles for submissions and token requests, counted by django-ratelimit in the default
cache (Redis).

Submissions share their counters with the web form (tickets.views.create): the same group,
keys and rates (settings.TICKET_SUBMIT_RATE per user, TICKET_SUBMIT_IP_RATE per address), so
a client cannot double its budget by using both.
"""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

# The group django-ratelimit derives from the web form's view function.
SUBMIT_GROUP = "tickets.views.create"
TOKEN_GROUP = "api.auth.token"


class _RatelimitThrottle(BaseThrottle):
    """Allows a POST unless one of `keys` has used up `rate` in its window."""

    group: str
    keys: tuple = ()

    def rate(self) -> str:
        raise NotImplementedError

    def rate_for(self, key) -> str:
        return self.rate()

    def allow_request(self, request, view) -> bool:
        self.time_left = None
        if request.method != "POST":
            return True
        for key in self.keys_for(request):
            usage = get_usage(
                request._request,
                group=self.group,
                key=key,
                rate=self.rate_for(key),
                method="POST",
                increment=True,
            )
            if usage is not None and usage["should_limit"]:
                self.time_left = usage["time_left"]
                return False
        return True

    def keys_for(self, request) -> tuple:
        return self.keys

    def wait(self) -> float | None:
        return self.time_left


class SubmitThrottle(_RatelimitThrottle):
    """Per user (or address, for the anonymous) and per address, like the web form."""

    group = SUBMIT_GROUP
    keys = ("user_or_ip", "ip")

    def rate(self) -> str:
        return settings.TICKET_SUBMIT_RATE

    def rate_for(self, key) -> str:
        # An address may be a whole office behind one NAT: it gets a budget of its own.
        return settings.TICKET_SUBMIT_IP_RATE if key == "ip" else settings.TICKET_SUBMIT_RATE


class TokenThrottle(_RatelimitThrottle):
    """Per user name asked for and per address."""

    group = TOKEN_GROUP

    def rate(self) -> str:
        return settings.TOKEN_REQUEST_RATE

    def keys_for(self, request) -> tuple:
        try:
            username = str(request.data.get("username", ""))[:150].strip().lower()
        except AttributeError:  # not a mapping: the serializer answers 400
            username = ""
        return (lambda group, r: f"username:{username}", "ip")
