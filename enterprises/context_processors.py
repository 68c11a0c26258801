from django.http import HttpRequest
from django.utils import timezone

from workdays.calendar import years_not_known

from .selectors import is_office, member_of, official_of, report_scope


def profile(request: HttpRequest) -> dict:
    """Who the user is in the campaign, for the menu (loaded once per request, then cached)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "me_official": official_of(user),
        "me_member": member_of(user),
        "me_is_office": is_office(user),
        "me_reads_reports": report_scope(user) is not None,
    }


def calendar_warning(request: HttpRequest) -> dict:
    """Tell the office (who keeps the calendar) when this year or the next is not in the
    working-day calendar."""
    if not is_office(getattr(request, "user", None)):
        return {}
    years = years_not_known(timezone.localdate())
    return {"calendar_unknown_years": years} if years else {}
