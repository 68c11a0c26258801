from django.http import HttpRequest

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
