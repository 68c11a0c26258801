"""The themes' part of the weekly bulletin (专题推进情况, at the end of section 3): the themes
being worked and those resolved in the week, each with its lead department, how many of its
problems are resolved, its deadline and where it stands; and the month's 每月一题.

`themes_snapshot` is frozen into the bulletin with its figures (Bulletin.data["themes"]), so a
published issue keeps the themes as they stood; `themes_part` lays the snapshot out for the
page, the DOCX and the PDF alike (reports.document). A bulletin published before themes were
reported has no snapshot and no part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from enterprises.selectors import ReportScope
from themes.models import Member, Theme
from tickets.models import Outcome

from .periods import Period

THEMES_LISTED = 8  # a ten-district bulletin stays within three pages
RESOLVED = [Outcome.SOLVED, Outcome.EXPLAINED]


def themes_snapshot(*, period: Period, scope: ReportScope, now: dt.datetime) -> dict:
    """The themes of the bulletin's scope (a district's: those with a problem of the district)
    as of `now`: the open ones by deadline, then those resolved in the week; and the city's
    每月一题 of the month the week ends in. Two queries."""
    month = f"{period.end:%Y-%m}"
    themes = Theme.objects.filter(
        Q(status=Theme.Status.OPEN)
        | Q(resolved_at__gte=period.first_moment, resolved_at__lt=period.end_moment)
    )
    if scope.district_id is not None:  # a district's bulletin
        touching = Member.objects.filter(ticket__enterprise__district_id=scope.district_id)
        themes = themes.filter(pk__in=touching.values("theme_id"))
    rows = [_theme(theme, now) for theme in _counted(themes).order_by("status", "due", "pk")]
    of_month = _counted(Theme.objects.filter(month=month)).first()
    open_rows = [row for row in rows if row["status"] == Theme.Status.OPEN]
    return {
        "month": month,
        "of_month": None if of_month is None else _theme(of_month, now),
        "open": len(open_rows),
        "overdue": sum(row["overdue"] for row in open_rows),
        "resolved": len(rows) - len(open_rows),
        "themes": rows[:THEMES_LISTED],
    }


def _counted(themes: QuerySet[Theme]) -> QuerySet[Theme]:
    return themes.select_related("lead_department").annotate(
        member_count=Count("members"),
        resolved_count=Count("members", filter=Q(members__ticket__outcome__in=RESOLVED)),
    )


def _theme(theme: Theme, now: dt.datetime) -> dict:
    return {
        "title": theme.title,
        "department": theme.lead_department.name,
        "members": theme.member_count,  # type: ignore[attr-defined]
        "resolved": theme.resolved_count,  # type: ignore[attr-defined]
        "due": timezone.localdate(theme.due).isoformat(),
        "status": theme.status,
        "overdue": theme.status == Theme.Status.OPEN and theme.due < now,
    }


@dataclass
class ThemesPart:
    """The part as the document shows it."""

    heading: str
    summary: str
    month: str
    header: list[str]
    rows: list[list[str]]


def themes_part(data: dict) -> ThemesPart | None:
    """The themes' part of a bulletin's snapshot; None for a bulletin without one."""
    snapshot = data.get("themes")
    if snapshot is None:
        return None
    summary = _(
        "%(open)s themes are being worked, %(overdue)s of them past their deadline; "
        "%(resolved)s were resolved this week."
    ) % {key: snapshot[key] for key in ("open", "overdue", "resolved")}
    listed = len(snapshot["themes"])
    if listed < snapshot["open"] + snapshot["resolved"]:
        space = "" if (get_language() or "").startswith("zh") else " "
        summary += space + _("The first %(listed)s are listed.") % {"listed": listed}
    return ThemesPart(
        heading=_("Themes and the problem of the month"),
        summary=summary,
        month=_month_line(snapshot),
        header=[
            _("Theme"),
            _("Lead department"),
            _("Problems"),
            _("Resolved problems"),
            _("Deadline"),
            _("Status"),
        ],
        rows=[
            [
                theme["title"],
                theme["department"],
                str(theme["members"]),
                str(theme["resolved"]),
                theme["due"],
                _status(theme),
            ]
            for theme in snapshot["themes"]
        ],
    )


def _month_line(snapshot: dict) -> str:
    year, month = snapshot["month"].split("-")
    names = {"year": year, "month": int(month)}
    theme = snapshot["of_month"]
    if theme is None:
        return _("No problem of the month was picked for %(year)s-%(month)s.") % names
    return _(
        "Problem of the month (%(year)s-%(month)s): %(title)s, led by %(department)s; "
        "%(resolved)s of its %(members)s problems resolved; %(status)s."
    ) % {**names, **theme, "status": _status(theme)}


def _status(theme: dict) -> str:
    if theme["overdue"]:
        return _("Past its deadline")
    return str(Theme.Status(theme["status"]).label)
