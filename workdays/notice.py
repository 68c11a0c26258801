"""Reading the State Council's holiday notice (《国务院办公厅关于××年部分节假日安排的通知》).

Every autumn the notice fixes next year's holidays and the weekend days worked in their place
(调休上班). Its arrangement lines have kept one shape for years:

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

one numbered line per festival: a day or a range off ("…放假…"), then, in the same line, the days
worked instead ("…上班"). Each date carries its weekday in brackets, which is checked against the
calendar: a notice whose weekday disagrees with its date was mistyped, and nothing of it is used.
Weekends inside a range are holidays too (the notice's "共9天" counts them), which is what the
`chinese-calendar` package lists as well.

The reader takes the text as it comes from a web page or a document: full-width or half-width
punctuation, traditional characters of the reprints, blank lines and the notice's other
paragraphs, which it skips. A numbered line that it cannot read is named in the error.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WEEKDAYS = "一二三四五六日"  # 周一 … 周日, as date.weekday() counts them
CHINESE_NUMERALS = "一二三四五六七八九十"

# "2026年" in the title or the first paragraph: the year the notice arranges
YEAR = re.compile(r"(20\d\d)年(?:元旦|部分节假日)")
# A numbered arrangement line: "一、元旦：…"; the festival's name runs up to the colon
ITEM = re.compile(rf"^\s*([{CHINESE_NUMERALS}]+)、([^：]{{1,20}})：(.+)$")
# A date with its bracketed note, "2月15日（农历腊月二十八、周日）" or "23日（周一）" (month carried over)
DATE = re.compile(r"(?:(\d{1,2})月)?(\d{1,2})日（([^）]*)）")
WEEKDAY = re.compile(rf"周([{WEEKDAYS}])")


class NoticeError(ValueError):
    """The notice cannot be read; `line` is the text it stumbled on (empty when none)."""

    def __init__(self, message: str, line: str = "") -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Festival:
    name: str
    off: tuple[dt.date, ...]  # every day off, weekends inside the range included
    worked: tuple[dt.date, ...]  # the make-up working days named in the same line


@dataclass(frozen=True)
class Notice:
    year: int
    festivals: tuple[Festival, ...] = field(default=())

    @property
    def holidays(self) -> list[dt.date]:
        return sorted({day for f in self.festivals for day in f.off})

    @property
    def workdays(self) -> list[dt.date]:
        return sorted({day for f in self.festivals for day in f.worked})

    def days(self) -> dict[dt.date, bool]:
        """Every day the notice fixes: False for a day off, True for a make-up working day."""
        return {**dict.fromkeys(self.holidays, False), **dict.fromkeys(self.workdays, True)}


def _normalise(text: str) -> str:
    """Half-width punctuation to the notice's full-width, traditional characters to simplified
    where the notice's words need them, and no spaces."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and letters to ASCII
    for plain, official in {":": "：", "(": "（", ")": "）", ",": "，", ";": "；"}.items():
        text = text.replace(plain, official)
    for traditional, simplified in {"節": "节", "調": "调", "農": "农", "歷": "历", "勞": "劳",
                                    "動": "动", "慶": "庆", "國": "国", "陽": "阳", "週": "周"}.items():  # fmt: skip
        text = text.replace(traditional, simplified)
    return re.sub(r"[ \t\u3000]+", "", text)


def parse_notice(text: str) -> Notice:
    """The holidays and make-up working days of a notice; NoticeError when any line is unclear."""
    if len(text) > 20_000:
        raise NoticeError(
            _("The notice is too long: paste the notice only (at most 20,000 characters).")
        )
    lines = [line for line in _normalise(text).splitlines() if line]
    year = _year(lines)
    festivals = [_festival(year, match, line) for line in lines if (match := ITEM.match(line))]
    festivals = [f for f in festivals if f is not None]
    if not festivals:
        raise NoticeError(
            _(
                "No arrangement line was found: paste the notice's lines such as “一、元旦：1月1日（周四）……”."
            )
        )
    notice = Notice(year, tuple(festivals))
    overlap = set(notice.holidays) & set(notice.workdays)
    if overlap:
        day = min(overlap)
        raise NoticeError(
            _("%(day)s is both a day off and a working day in this notice.")
            % {"day": f"{day:%Y-%m-%d}"}
        )
    return notice


def _year(lines: list[str]) -> int:
    for line in lines:
        if match := YEAR.search(line):
            return int(match[1])
    raise NoticeError(
        _(
            "The notice's year was not found: keep its title or first paragraph (“2026年元旦、春节……”)."
        )
    )


def _festival(year: int, match: re.Match[str], line: str) -> Festival | None:
    name, body = match[2], match[3]
    if (
        "放假" not in body
    ):  # a numbered line of another kind (the 2025 notice has none, but be safe)
        return None
    off_part, _sep, rest = body.partition("放假")
    dates = _dates(year, off_part, line)
    if not 1 <= len(dates) <= 2:
        raise NoticeError(
            _("This line does not give one day or one range off: %(line)s") % {"line": line}, line
        )
    first, last = dates[0], dates[-1]
    if last < first:  # a range over the new year ("12月31日至1月2日") is not one of the notice's
        raise NoticeError(
            _("This line's range ends before it starts: %(line)s") % {"line": line}, line
        )
    off = tuple(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    if (count := re.search(r"共(\d+)天", rest)) and int(count[1]) != len(off):
        raise NoticeError(
            _("This line says %(said)s days but its range holds %(held)s: %(line)s")
            % {"said": count[1], "held": len(off), "line": line},
            line,
        )
    worked: tuple[dt.date, ...] = ()
    for sentence in re.split(r"[。；]", rest):
        if sentence.endswith("上班"):
            worked += tuple(_dates(year, sentence, line, month=first.month))
    return Festival(name, off, worked)


def _dates(year: int, text: str, line: str, month: int | None = None) -> list[dt.date]:
    """The dates in `text`, each checked against the weekday in its brackets; a date without a
    month takes the one before it ("2月15日……至23日")."""
    found = []
    for m in DATE.finditer(text):
        month = int(m[1]) if m[1] else month
        if month is None:
            raise NoticeError(_("A date without its month: %(line)s") % {"line": line}, line)
        try:
            day = dt.date(year, month, int(m[2]))
        except ValueError:
            raise NoticeError(
                _("%(month)s月%(day)s日 is not a date: %(line)s")
                % {"month": month, "day": m[2], "line": line},
                line,
            ) from None
        weekday = WEEKDAY.search(m[3])
        if weekday is None:
            raise NoticeError(
                _("%(date)s has no weekday in brackets: %(line)s")
                % {"date": f"{day:%Y-%m-%d}", "line": line},
                line,
            )
        if WEEKDAYS.index(weekday[1]) != day.weekday():
            raise NoticeError(
                _("%(date)s is a 周%(actual)s, not a 周%(stated)s: %(line)s")
                % {
                    "date": f"{day:%Y-%m-%d}",
                    "actual": WEEKDAYS[day.weekday()],
                    "stated": weekday[1],
                    "line": line,
                },
                line,
            )
        found.append(day)
    return found


def notice_text(data: bytes) -> str:
    """A notice saved as a text file: UTF-8 (with or without a BOM) or GB18030, which Windows
    offices save by default."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NoticeError(
        _("The file is not text: save the notice as a .txt file (UTF-8 or GBK) or paste it.")
    )
