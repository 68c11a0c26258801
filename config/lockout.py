"""The login lockout's two limits, for django-axes (settings AXES_FAILURE_LIMIT and
AXES_USERNAME_CALLABLE).

django-axes compares one count with one limit. With the lockout parameters
[["username", "ip_address"], "username"] the count is the account's failures from every address
(the larger of the two), so the limit decides which rule holds for a request: an address that
has already failed LOGIN_FAILURES_PER_ADDRESS times on the account is held to that; any other
address may go on until the account as a whole reaches LOGIN_FAILURES_PER_ACCOUNT. So a guesser
with one address stops after five tries and does not lock the user out of its own desk, and a
guesser with many addresses stops after twenty in all. Counts run for AXES_COOLOFF_TIME after
the last failure; a successful sign-in or the office's unlock clears them.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum

# AccessAttempt.username holds at most this many characters (a longer name is no user's: the
# forms refuse it, and this keeps any other way in from failing on it).
USERNAME_MAX = 255


def username(request, credentials: dict | None) -> str | None:
    """The user name tried, as django-axes reads it by default, cut to what its table holds."""
    field = get_user_model().USERNAME_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    return None if value is None else str(value)[:USERNAME_MAX]


def failure_limit(request, credentials: dict | None) -> int:
    name = username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    per_address = settings.LOGIN_FAILURES_PER_ADDRESS
    if name and address:
        from_here = AccessAttempt.objects.filter(
            username=name,
            ip_address=address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(failures=Sum("failures_since_start"))["failures"]
        if (from_here or 0) >= per_address:
            return per_address
    return settings.LOGIN_FAILURES_PER_ACCOUNT
