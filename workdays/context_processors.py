from django.http import HttpRequest
from django.utils import timezone

from enterprises.selectors import is_office

from .calendar import WorkCalendar, package_knows


def calendar_warning(request: HttpRequest) -> dict:
    """Tell the office when this year or the next is not in the working-day calendar."""
    if not is_office(getattr(request, "user", None)):
        return {}
    year = timezone.localdate().year
    years = [y for y in (year, year + 1) if not package_knows(y)]
    if not years:
        return {}
    return {"calendar_unknown_years": WorkCalendar.load().unknown_years(years)}
