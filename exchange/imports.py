"""Importing enterprises and who covers them (包保) from a spreadsheet.

One row per enterprise. Every row is checked first (`enterprise_import_plan`, which writes
nothing): the USCC's check character, a known district and chain, the revenue tier, exactly one
primary covering leader, known liaisons. Then `enterprise_import` writes all rows, or none when
any row is wrong, unless the office confirmed importing only the valid ones. A USCC already
known updates that enterprise (and its coverage, which the row then states in full).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from openpyxl.utils import get_column_letter

from audit.models import Action, AuditRecord
from audit.services import audit_prepare, audit_record_many
from audit.state import audit_state
from enterprises.models import Coverage, District, Enterprise, IndustryChain, Official
from enterprises.validators import normalize_uscc, validate_uscc

from .spreadsheets import read_rows


@dataclass(frozen=True)
class Column:
    code: str
    label: object  # a lazy translation
    required: bool = False
    width: int = 16


COLUMNS = [
    Column("uscc", gettext_lazy("Unified social credit code"), True, 22),
    Column("name", gettext_lazy("Enterprise name"), True, 30),
    Column("district", gettext_lazy("District"), True, 14),
    Column("industry_chain", gettext_lazy("Industry chain"), False, 14),
    Column("revenue_tier", gettext_lazy("Revenue tier"), True, 10),
    Column("srdi_level", gettext_lazy("SRDI level"), False, 12),
    Column("address", gettext_lazy("Address"), False, 30),
    Column("contact_name", gettext_lazy("Contact person"), False, 12),
    Column("contact_phone", gettext_lazy("Contact phone"), False, 16),
    Column("contact_email", gettext_lazy("Contact e-mail"), False, 22),
    Column("primary_official", gettext_lazy("Primary covering leader"), True, 16),
    Column("liaisons", gettext_lazy("Liaisons"), False, 24),
]
BY_CODE = {c.code: c for c in COLUMNS}
ENTERPRISE_FIELDS = [
    "name",
    "district",
    "industry_chain",
    "revenue_tier",
    "srdi_level",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
]
SEPARATORS = re.compile(r"[,，、;；\s]+")


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the column's letter and title, e.g. "C 辖区"; "" for the row as a whole
    message: str


@dataclass
class PlannedRow:
    row: int
    uscc: str
    fields: dict
    primary: Official
    liaisons: list[Official]
    existing: Enterprise | None


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)  # the valid rows
    errors: list[RowError] = field(default_factory=list)
    total: int = 0  # data rows in the file

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 1})

    @property
    def to_create(self) -> int:
        return sum(1 for r in self.rows if r.existing is None)

    @property
    def to_update(self) -> int:
        return sum(1 for r in self.rows if r.existing is not None)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int


def header_names() -> dict[str, str]:
    """Every way a column may be titled (its code, its Chinese or English title) → its code."""
    names = {}
    for column in COLUMNS:
        names[_norm(column.code)] = column.code
        for language in ("zh-hans", "en"):
            with override(language):
                names[_norm(str(column.label))] = column.code
    return names


def _norm(text: str) -> str:
    return re.sub(r"[\s_*（）()]+", "", text).lower()


# --- checking --------------------------------------------------------------------------------


def enterprise_import_plan(*, content: bytes, filename: str) -> ImportPlan:
    """Read and check every row; write nothing."""
    try:
        rows = read_rows(content, filename)
    except ValidationError as error:
        return ImportPlan(errors=[RowError(0, "", " ".join(error.messages))])
    if not rows:
        return ImportPlan(errors=[RowError(1, "", _("The file is empty."))])
    names = header_names()
    positions: dict[str, int] = {}
    plan = ImportPlan(total=len(rows) - 1)
    for index, title in enumerate(rows[0]):
        code = names.get(_norm(title))
        if code is not None and code not in positions:
            positions[code] = index
    missing = [c for c in COLUMNS if c.required and c.code not in positions]
    if missing:
        plan.errors.append(
            RowError(
                1,
                "",
                _("Columns missing: %(columns)s. Start from the template.")
                % {"columns": "、".join(str(c.label) for c in missing)},
            )
        )
        return plan
    lookups = _Lookups.load(rows[1:], positions)
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(raw):
            plan.total -= 1
            continue
        values = {code: raw[index] if index < len(raw) else "" for code, index in positions.items()}
        errors: list[RowError] = []

        def fail(code: str, message: str, *, number=number, errors=errors) -> None:
            letter = get_column_letter(positions[code] + 1) if code in positions else ""
            errors.append(RowError(number, f"{letter} {BY_CODE[code].label}".strip(), message))

        planned = _check_row(values, lookups, fail)
        uscc = normalize_uscc(values.get("uscc", ""))
        if uscc and uscc in seen:
            fail(
                "uscc",
                _("This code is also on row %(row)d; each enterprise takes one row.")
                % {"row": seen[uscc]},
            )
        seen.setdefault(uscc, number)
        if errors:
            plan.errors.extend(errors)
        elif planned is not None:
            planned.row = number
            plan.rows.append(planned)
    return plan


@dataclass
class _Lookups:
    districts: dict[str, District]
    chains: dict[str, IndustryChain]
    officials: dict[str, list[Official]]
    enterprises: dict[str, Enterprise]

    @classmethod
    def load(cls, rows: list[list[str]], positions: dict[str, int]) -> _Lookups:
        """Everything the rows name, in a handful of queries whatever the number of rows."""

        def column(code: str) -> list[str]:
            index = positions.get(code)
            if index is None:
                return []
            return [r[index] for r in rows if index < len(r) and r[index]]

        people = {
            name
            for cell in column("primary_official") + column("liaisons")
            for name in SEPARATORS.split(cell)
            if name
        }
        officials: dict[str, list[Official]] = {}
        for official in Official.objects.select_related("user").filter(
            Q(user__username__in=people) | Q(name__in=people)
        ):
            officials.setdefault(official.user.get_username(), []).append(official)
            if official.name != official.user.get_username():
                officials.setdefault(official.name, []).append(official)
        usccs = [normalize_uscc(u) for u in column("uscc")]
        return cls(
            districts=_by_code_and_name(District.objects.all()),
            chains=_by_code_and_name(IndustryChain.objects.all()),
            officials=officials,
            enterprises={e.uscc: e for e in Enterprise.objects.filter(uscc__in=usccs)},
        )


def _by_code_and_name(queryset) -> dict:
    found = {}
    for item in queryset:
        found[item.code.lower()] = item
        found[item.name] = item
    return found


def _choice(value: str, choices) -> str | None:
    """A choice by its code (any case) or its label in either language."""
    wanted = value.strip().lower()
    for code, label in choices:
        labels = set()
        for language in ("zh-hans", "en"):
            with override(language):
                labels.add(str(label).lower())
        if wanted == code.lower() or wanted in labels:
            return code
    return None


def _check_row(values: dict[str, str], lookups: _Lookups, fail) -> PlannedRow | None:
    for column in COLUMNS:
        if column.required and not values.get(column.code):
            fail(column.code, _("This column is required."))
    uscc = normalize_uscc(values.get("uscc", ""))
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError as error:
            fail("uscc", " ".join(error.messages))
    fields: dict = {}
    district = values.get("district", "")
    if district:
        fields["district"] = lookups.districts.get(district.lower()) or lookups.districts.get(
            district
        )
        if fields["district"] is None:
            fail("district", _("Unknown district “%(value)s”.") % {"value": district})
    chain = values.get("industry_chain", "")
    fields["industry_chain"] = None
    if chain:
        fields["industry_chain"] = lookups.chains.get(chain.lower()) or lookups.chains.get(chain)
        if fields["industry_chain"] is None:
            fail("industry_chain", _("Unknown industry chain “%(value)s”.") % {"value": chain})
    tier = values.get("revenue_tier", "")
    if tier:
        fields["revenue_tier"] = _choice(tier, Enterprise.RevenueTier.choices)
        if fields["revenue_tier"] is None:
            fail("revenue_tier", _("The revenue tier is a, b, c or d."))
    srdi = values.get("srdi_level", "")
    fields["srdi_level"] = _choice(srdi, Enterprise.SrdiLevel.choices) if srdi else "none"
    if fields["srdi_level"] is None:
        fail("srdi_level", _("The SRDI level is national, provincial, municipal or none."))
    for name in ("name", "address", "contact_name", "contact_phone", "contact_email"):
        fields[name] = values.get(name, "")

    primary = _officials(values.get("primary_official", ""), "primary_official", lookups, fail)
    if primary is not None and values.get("primary_official") and len(primary) != 1:
        fail(
            "primary_official",
            _("Name exactly one primary covering leader; this row names %(count)d.")
            % {"count": len(primary)},
        )
    liaisons = _officials(values.get("liaisons", ""), "liaisons", lookups, fail) or []
    if primary and len(primary) == 1 and primary[0] in liaisons:
        fail("liaisons", _("The primary covering leader cannot also be a liaison."))

    existing = lookups.enterprises.get(uscc)
    if fields.get("district") is None or _model_errors(uscc, fields, existing, fail):
        return None
    if primary is None or len(primary) != 1:
        return None
    return PlannedRow(0, uscc, fields, primary[0], liaisons, existing)


def _officials(cell: str, code: str, lookups: _Lookups, fail) -> list[Official] | None:
    """The officials a cell names by user name or by name; None when one is unknown."""
    names = [n for n in SEPARATORS.split(cell) if n]
    found: list[Official] = []
    ok = True
    for name in names:
        matches = lookups.officials.get(name, [])
        if not matches:
            fail(code, _("There is no official “%(name)s”.") % {"name": name})
            ok = False
        elif len({m.pk for m in matches}) > 1:
            fail(
                code,
                _("Several officials are called “%(name)s”; use the user name.") % {"name": name},
            )
            ok = False
        elif matches[0] not in found:
            found.append(matches[0])
    return found if ok else None


def _model_errors(uscc: str, fields: dict, existing: Enterprise | None, fail) -> bool:
    """The model's own checks (lengths, e-mail, choices) on the row's values."""
    enterprise = existing or Enterprise(uscc=uscc)
    for name, value in fields.items():
        if value is not None or name == "industry_chain":
            setattr(enterprise, name, value)
    try:
        enterprise.full_clean(exclude=["uscc"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            code = name if name in BY_CODE else "name"
            for message in messages:
                fail(code, message)
        return True
    return False


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def enterprise_import(
    *, actor: AbstractBaseUser | None, plan: ImportPlan, valid_only: bool = False
) -> ImportResult:
    """Write the plan's rows: all of them, or none when some row had an error — unless
    `valid_only`, when the valid rows are written and the others skipped. Each enterprise
    created or changed and each coverage added, removed or given another role is audited; the
    records are written together at the end (a few INSERTs, not one per row)."""
    if plan.errors and not valid_only:
        raise ValidationError(
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                plan.invalid_rows,
            )
            % {"count": plan.invalid_rows}
        )
    usccs = [row.uscc for row in plan.rows]
    known = Enterprise.objects.select_related("district", "industry_chain")
    stored = {e.uscc: e for e in known.filter(uscc__in=usccs)}
    coverages: dict[int, list[Coverage]] = {}
    for coverage in Coverage.objects.select_related("official").filter(enterprise__uscc__in=usccs):
        coverages.setdefault(coverage.enterprise_id, []).append(coverage)
    records: list[AuditRecord | None] = []
    created = updated = 0
    for row in plan.rows:
        enterprise = stored.get(row.uscc)
        if enterprise is None:
            enterprise, before = Enterprise(uscc=row.uscc), None
            created += 1
        else:
            before = audit_state(enterprise)
            updated += 1
        for name in ENTERPRISE_FIELDS:
            setattr(enterprise, name, row.fields[name])
        enterprise.full_clean()
        enterprise.save()
        action = Action.CREATED if before is None else Action.CHANGED
        records.append(audit_prepare(actor=actor, action=action, obj=enterprise, before=before))
        current = coverages.get(enterprise.pk, [])
        records += _set_coverage(enterprise, row.primary, row.liaisons, current, actor=actor)
    audit_record_many(records)
    return ImportResult(created, updated, plan.invalid_rows)


def _set_coverage(
    enterprise: Enterprise, primary: Official, liaisons: list[Official], current, *, actor
) -> list[AuditRecord | None]:
    """The row states the enterprise's coverage in full: one primary leader and its liaisons.
    Answers the audit records of the coverages removed, given another role and added."""
    roles = {primary.pk: Coverage.Role.PRIMARY} | {o.pk: Coverage.Role.LIAISON for o in liaisons}
    officials = {o.pk: o for o in [primary, *liaisons]}
    records: list[AuditRecord | None] = []

    def audited(action: Action, coverage: Coverage, before=None) -> None:
        records.append(audit_prepare(actor=actor, action=action, obj=coverage, before=before))

    for coverage in current:
        coverage.enterprise = enterprise  # its label, without a query
    removed = [c for c in current if c.official_id not in roles]
    for coverage in removed:
        audited(Action.DELETED, coverage, audit_state(coverage))
    Coverage.objects.filter(pk__in=[c.pk for c in removed]).delete()
    # Demotions before promotions, so the one-primary rule holds after each statement.
    moved = [c for c in current if c.official_id in roles and c.role != roles[c.official_id]]
    for coverage in sorted(moved, key=lambda c: roles[c.official_id] == Coverage.Role.PRIMARY):
        before = audit_state(coverage)
        coverage.role = roles[coverage.official_id]
        coverage.save(update_fields=["role"])
        audited(Action.CHANGED, coverage, before)
    covered = {c.official_id for c in current}
    for official_id in [o for o in roles if o not in covered]:
        audited(
            Action.CREATED,
            Coverage.objects.create(
                official=officials[official_id], enterprise=enterprise, role=roles[official_id]
            ),
        )
    return records
