"""ISO weeks as people read them."""

from django.utils.translation import gettext as _


def week_title(label: str) -> str:
    """An ISO week's key ("2026-W05", as URLs, stored bulletins and notifications carry it) as
    people read it: "2026年第5周" in Chinese, "Week 5 of 2026" in English; any other text is
    returned as it is."""
    year, sep, week = label.partition("-W")
    if not (sep and year.isdigit() and week.isdigit()):
        return label
    return _("Week %(week)d of %(year)d") % {"week": int(week), "year": int(year)}
