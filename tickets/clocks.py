"""A ticket's clocks (时限): acceptance, first progress, completion, and the follow-up call."""

from __future__ import annotations

from django.utils.translation import gettext as _


def clock_label(code: str) -> str:
    """The clock's name in a sentence ("the %(clock)s deadline")."""
    return {
        "acceptance": _("acceptance"),
        "progress": _("first progress"),
        "completion": _("completion"),
    }.get(code, code or "")
