"""Writing an enterprise import: the rows that `exchange.imports.enterprise_import_plan` checked
become enterprises and their coverage, each change audited.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from audit.models import Action, AuditRecord
from audit.services import audit_prepare, audit_record_many
from audit.state import State, audit_state
from enterprises.models import Coverage, Enterprise, Official

from .imports import ENTERPRISE_FIELDS, ImportPlan, ImportResult


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
    enterprise: Enterprise,
    primary: Official,
    liaisons: list[Official],
    current: list[Coverage],
    *,
    actor: AbstractBaseUser | None,
) -> list[AuditRecord | None]:
    """The row states the enterprise's coverage in full: one primary leader and its liaisons.
    Answers the audit records of the coverages removed, given another role and added."""
    roles = {primary.pk: Coverage.Role.PRIMARY} | {o.pk: Coverage.Role.LIAISON for o in liaisons}
    officials = {o.pk: o for o in [primary, *liaisons]}
    records: list[AuditRecord | None] = []

    def audited(action: Action, coverage: Coverage, before: State | None = None) -> None:
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
