"""`python manage.py report --from … --to … [--cumulative] [--group-by …] [--format …]`.

Prints the figures of a period (reports.aggregates.summary) as a table, as JSON, or writes them to
an Excel workbook. The JSON is the API's: {"period": {"from", "to", "cumulative"}, "totals":
{<figure>: …}, "groups": [{"key", "name", <figure>: …}]}; rates are numbers like 96.4 or null.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.models import District
from enterprises.selectors import ReportScope, report_scope
from ops.replica import replica_reads


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "The figures (口径) of a period, or cumulative to a day, for the city or a district."

    def add_arguments(self, parser) -> None:
        from reports.dimensions import DIMENSIONS

        parser.add_argument("--from", dest="start", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--cumulative",
            action="store_true",
            help="From the campaign's start date (set by the office) to --to; --from is ignored.",
        )
        parser.add_argument("--group-by", choices=list(DIMENSIONS), help="Break down by …")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="Write to this file (required for xlsx).")
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--district", help="Only this district (its code).")
        who.add_argument("--user", help="What this user may read (a district's leader: its own).")

    @replica_reads()
    def handle(self, *args, **options) -> None:
        from reports.aggregates import summary
        from reports.excel import summary_workbook, workbook_bytes
        from reports.periods import Period
        from reports.selectors import cumulative

        end = _date(options["end"])
        if options["cumulative"]:
            period = cumulative(end)
        else:
            if not options["start"]:
                raise CommandError("Give --from, or --cumulative.")
            try:
                period = Period(_date(options["start"]), end)
            except ValueError as error:
                raise CommandError(str(error)) from None
        scope = self._scope(options)
        result = summary(period, scope, options["group_by"])
        output = options["output"]
        if options["format"] == "xlsx":
            if not output:
                raise CommandError("--format xlsx writes a file: give --output FILE.xlsx.")
            with open(output, "wb") as file:
                file.write(workbook_bytes(summary_workbook(result, group_by=options["group_by"])))
            self.stderr.write(f"Written to {output}.")
            return
        if options["format"] == "json":
            text = json.dumps(result, ensure_ascii=False, indent=2)
        else:
            text = self._table(result, options["group_by"])
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(text)

    def _scope(self, options) -> ReportScope:
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with the code {options['district']!r}.")
            return ReportScope(district.pk)
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            scope = report_scope(user) if user is not None else None
            if scope is None:
                raise CommandError(f"{options['user']!r} reads no reports.")
            return scope
        return ReportScope(None)

    def _table(self, result: dict, group_by: str | None) -> str:
        from reports.dimensions import DIMENSIONS
        from reports.figures import FIGURES, LABELS, RATES

        def show(code: str, value) -> str:
            if value is None:
                return "—"
            return f"{value:.1f}%" if code in RATES else f"{value:,}"

        period = result["period"]
        lines = [
            f"{period['from']} – {period['to']}"
            + (f" ({_('cumulative')})" if period["cumulative"] else ""),
            "",
        ]
        labels = [str(LABELS[code]) for code in FIGURES]
        width = max(_width(label) for label in labels)
        for code, label in zip(FIGURES, labels, strict=True):
            lines.append(f"{_pad(label, width)}  {show(code, result['totals'][code]):>10}")
        if group_by:
            header = [str(DIMENSIONS[group_by].label), *labels]
            rows = [
                [group["name"], *(show(code, group[code]) for code in FIGURES)]
                for group in result["groups"]
            ]
            widths = [
                max(_width(str(row[n])) for row in [header, *rows]) for n in range(len(header))
            ]
            lines.append("")
            for row in [header, *rows]:
                cells = [_pad(str(row[0]), widths[0])]
                cells += [_pad(str(cell), widths[n], right=True) for n, cell in enumerate(row) if n]
                lines.append("  ".join(cells))
        return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space
