from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from workdays.weeks import week_title as _week_title

register = template.Library()


@register.filter
def week_title(label: str) -> str:
    """ "2026-W47" as people read it: 2026年第47周."""
    return _week_title(str(label))


DASH = "—"


@register.filter
def percent(value) -> str:
    """A rate as "96.4%", or "—" when it is undefined (a zero denominator)."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(str(value)):.1f}%"


@register.filter
def figure(value, is_rate: bool = False) -> str:
    """A count with thousands separators, or a rate as a percentage."""
    if is_rate:
        return percent(value)
    return DASH if value is None else intcomma(value)
