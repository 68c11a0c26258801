"""The weekly bulletin as the document an office issues (通报): its head (issuing office, issue
number, date in Chinese numerals), its five sections and its seal line, laid out once here and
rendered by the printable page, the DOCX (reports.docx) and the PDF (reports.pdf).

Everything comes from the bulletin's frozen snapshot (`Bulletin.data`, with `data["document"]`
written at publication), so a published issue reads the same in every format for ever; a draft
is laid out from the office's current settings and choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tickets.models import Status

from .bulletin_themes import ThemesPart, themes_part
from .models import Bulletin
from .scores import ranking_note
from .selectors import campaign_settings

LIST_LIMIT = 12  # overdue and supervised problems named in section 3 (the workbook has all)
RANKING_COLUMNS = (
    "submitted",
    "accepted",
    "solved",
    "resolution_rate",
    "on_time_completion_rate",
    "satisfaction_rate",
    "return_rate",
    "rework_rate",
    "overdue",
)
RATE_COLUMNS = {
    "resolution_rate",
    "on_time_completion_rate",
    "satisfaction_rate",
    "return_rate",
    "rework_rate",
}
DIGITS = "〇一二三四五六七八九"


def chinese_numeral_date(day: dt.date) -> str:
    """二〇二六年十一月三十日: the date as an official document writes it."""
    year = "".join(DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{_small_number(day.month)}月{_small_number(day.day)}日"


def _small_number(n: int) -> str:
    """1–31 in Chinese numerals: 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def document_date(day: dt.date) -> str:
    """The date of issue: in Chinese numerals in the Chinese interface, else as a date."""
    if (get_language() or "").startswith("zh"):
        return chinese_numeral_date(day)
    return day.strftime("%d %B %Y").lstrip("0")


def short_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return _("%(year)s-%(month)s-%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"


@dataclass
class Ranking:
    title: str
    header: list[str]
    rows: list[list[str]]
    honour: list[str]  # 红榜: the first units
    warning: list[str]  # 黑榜: the last ranked units


@dataclass
class Document:
    title: str
    scope: str
    office: str
    issue: str
    date: str
    period: str
    overview: str
    rankings: list[Ranking]
    ranking_note: str
    late_header: list[str]
    late: list[list[str]]
    late_more: str
    typical: list[str]
    next_steps: list[str]
    published: bool
    seal: str
    headings: dict = field(default_factory=dict)
    themes: ThemesPart | None = None  # at the end of section 3 (reports.bulletin_themes)


def bulletin_document(bulletin: Bulletin) -> Document:
    """The document of `bulletin` in the active language."""
    data = bulletin.data
    issued = data.get("document") or _draft_part(bulletin)
    week, total = data["week"], data["total"]
    scope = data["district"]["name"] if data.get("district") else _("the whole city")
    issue = issued.get("issue")
    date = dt.date.fromisoformat(issued["date"])
    return Document(
        title=_(
            "Work bulletin of the campaign “ten thousand officials help ten thousand enterprises”"
        ),
        scope=scope,
        office=issued["office"],
        issue=(
            _("%(year)s, issue %(number)s") % issue
            if issue
            else _("Draft (numbered when published)")
        ),
        date=document_date(date),
        period=_("Week of %(start)s to %(end)s (%(week)s)")
        % {
            "start": short_date(data["period"]["from"]),
            "end": short_date(data["period"]["to"]),
            "week": data["period"]["label"],
        },
        overview=overview(week, total, data["cumulative"]["from"]),
        rankings=[
            _ranking(data, code, title, issued["roll_length"])
            for code, title in (
                ("district", _("Districts")),
                ("department", _("Departments")),
            )
            if not (code == "district" and data.get("district"))
        ],
        ranking_note=(
            ranking_note(data["score"])
            if "score" in data
            else _(  # published before units were scored
                "Ranked by resolution rate, then on-time completion; a unit with fewer than 5 "
                "problems in the week is listed but not ranked (—)."
            )
        ),
        late_header=[
            _("Number"),
            _("Problem"),
            _("Enterprise"),
            _("Responsible unit"),
            _("Working days overdue"),
        ],
        late=_late_rows(data),
        late_more=_late_more(data),
        typical=[_typical_line(t) for t in issued["typical"]],
        next_steps=[line for line in issued["next_steps"].splitlines() if line.strip()],
        published=bulletin.is_published,
        seal=issued["office"],
        headings={
            "overview": _("1. Overall situation"),
            "ranking": _("2. Districts and departments, and their ranking"),
            "late": _("3. Overdue and supervised problems"),
            "typical": _("4. Typical problems"),
            "next": _("5. Next steps"),
        },
        themes=themes_part(data),
    )


def _draft_part(bulletin: Bulletin) -> dict:
    """What publication will freeze, as it stands now (a draft)."""
    from .services import typical_snapshot

    settings = campaign_settings()
    return {
        "office": settings.issuing_office,
        "issue": None,
        "date": timezone.localdate().isoformat(),
        "roll_length": settings.roll_length,
        "typical": typical_snapshot(bulletin.typical),
        "next_steps": bulletin.next_steps,
    }


def overview(week: dict, total: dict, start: str) -> str:
    """一、总体情况: the week's figures and the cumulative ones, as a paragraph."""
    w, t = week["figures"], total["figures"]
    wc, tc = week["counts"], total["counts"]
    this_week = _(
        "This week %(submitted)s problems were received from enterprises and %(accepted)s "
        "accepted; %(resolved)s were completed, %(solved)s of them solved, a resolution rate "
        "of %(resolution)s; on-time acceptance %(acceptance)s, on-time completion "
        "%(completion)s, satisfaction %(satisfaction)s."
    ) % {
        "submitted": w["submitted"],
        "accepted": w["accepted"],
        "resolved": wc.get("resolved", 0),
        "solved": w["solved"],
        "resolution": percent(w["resolution_rate"]),
        "acceptance": percent(w["on_time_acceptance_rate"]),
        "completion": percent(w["on_time_completion_rate"]),
        "satisfaction": percent(w["satisfaction_rate"]),
    }
    urged = w.get("urged")  # a bulletin published before the figure existed has none of it
    if urged:
        this_week += _separator() + _(
            "Enterprises urged the handling of %(urged)s of them past their deadline."
        ) % {"urged": urged}
    proactive = w.get("proactive")  # none in a bulletin published before the figure existed
    if proactive:
        this_week += _separator() + _(
            "%(proactive)s of them answered the office's proactive notices (未诉先办)."
        ) % {"proactive": proactive}
    since = _(
        "Since %(start)s, %(submitted)s problems were received in all and %(accepted)s "
        "accepted; %(resolved)s were completed, %(solved)s of them solved, a resolution rate "
        "of %(resolution)s; %(open)s are being handled, %(overdue)s of them past their deadline."
    ) % {
        "start": short_date(start),
        "submitted": t["submitted"],
        "accepted": t["accepted"],
        "resolved": tc.get("resolved", 0),
        "solved": t["solved"],
        "resolution": percent(t["resolution_rate"]),
        "open": t["open"],
        "overdue": t["overdue"],
    }
    return f"{this_week}{_separator()}{since}"


def _separator() -> str:
    return "" if (get_language() or "").startswith("zh") else " "


def _ranking(data: dict, code: str, title: str, length: int) -> Ranking:
    groups = [g for g in data["breakdowns"].get(code, []) if g["key"] is not None]
    groups.sort(key=lambda g: (g["rank"] is None, g["rank"] or 0, g["name"]))
    ranked = [g for g in groups if g["rank"] is not None]
    honour = ranked[:length]
    warning = [g for g in reversed(ranked) if g not in honour][:length]
    labels = _column_labels()
    unranked = _("Unranked") if "score" in data else "—"
    return Ranking(
        title=title,
        header=[_("Rank"), _("Unit"), _("Score"), *(labels[c] for c in RANKING_COLUMNS)],
        rows=[
            [
                str(g["rank"]) if g["rank"] is not None else unranked,
                g["name"],
                "—" if g.get("score") is None else f"{g['score']:.1f}",
                *(
                    percent(g["figures"].get(c)) if c in RATE_COLUMNS else str(g["figures"][c])
                    for c in RANKING_COLUMNS
                ),
            ]
            for g in groups
        ],
        honour=[g["name"] for g in honour],
        warning=[g["name"] for g in warning],
    )


def _column_labels() -> dict:
    from .figures import LABELS

    return {code: str(LABELS[code]) for code in RANKING_COLUMNS}


def _late_rows(data: dict) -> list[list[str]]:
    """Overdue problems, most overdue first, then supervised ones not yet overdue."""
    seen, rows = set(), []
    for listing in (data["overdue"], data["supervised"]):
        for t in listing["tickets"]:
            if t["number"] in seen:
                continue
            seen.add(t["number"])
            late = t["working_days_overdue"]
            rows.append(
                [
                    t["number"],
                    t["title"],
                    t["enterprise"],
                    t["department"] or t["district"],
                    str(late) if late else ("0" if late == 0 else "—"),
                ]
            )
    return rows[:LIST_LIMIT]


def _late_more(data: dict) -> str:
    overdue, supervised = data["overdue"]["count"], data["supervised"]["count"]
    listed = len(_late_rows(data))
    text = _("%(overdue)s problems are overdue and %(supervised)s under supervision.") % {
        "overdue": overdue,
        "supervised": supervised,
    }
    if listed < len({t["number"] for t in data["overdue"]["tickets"]}) or listed < max(
        overdue, supervised
    ):
        text += _separator() + _(
            "The first %(listed)s are listed; the Excel workbook lists them all."
        ) % {"listed": listed}
    return text


def _typical_line(t: dict) -> str:
    return _("%(number)s %(enterprise)s: %(title)s (%(unit)s; %(status)s)") % {
        "number": t["number"],
        "enterprise": t["enterprise"],
        "title": t["title"],
        "unit": t["department"] or t["district"],
        "status": Status(t["status"]).label if t["status"] in Status.values else t["status"],
    }
