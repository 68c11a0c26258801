"""Every admin page of the project records what it changes.

`AuditedAdmin` goes first in the bases of every ModelAdmin of the project that changes anything
(tests/audit/test_admin_pages.py checks that none is missing). It writes one record for
each object the page adds, changes or deletes — the object of the page, each inline row, each
row of the list's editable columns and of "delete selected" — in the transaction the admin runs
the change in. A save that changes nothing writes nothing; a form with errors never reaches it.

An admin whose save_model hands an addition to a service (which records it itself) simply does
not call super() for it, and the mixin, which never saw it, records nothing twice.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import Action
from .services import audit_prepare, audit_record, audit_record_many
from .state import audit_state, hidden_fields, with_relations

PENDING = "_audit_pending"


class AuditedAdmin:
    def save_model(self, request, obj, form, change) -> None:
        key = obj._get_pk_val()  # not `pk`, which an API token's admin maps to its user
        stored = type(obj)._base_manager.filter(pk=key).first() if change else None
        before = audit_state(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        setattr(obj, PENDING, before)

    def save_related(self, request, form, formsets, change) -> None:
        """After the many-to-many fields are saved, so that groups and permissions count."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not hasattr(obj, PENDING):
            return  # saved by a service, which recorded it
        before = obj.__dict__.pop(PENDING)
        action = Action.CREATED if before is None else Action.CHANGED
        audit_record(actor=request.user, action=action, obj=obj, before=before)

    def save_formset(self, request, form, formset, change) -> None:
        """Inline rows: each one added, changed or deleted is a record of its own."""
        model = formset.model
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        stored = with_relations(model._base_manager.filter(pk__in=pks))
        states = {row.pk: (row, audit_state(row)) for row in stored} if pks else {}
        records = [
            audit_prepare(actor=request.user, action=Action.DELETED, obj=row, before=state)
            for f in formset.deleted_forms
            if f.instance.pk in states
            for row, state in [states[f.instance.pk]]
        ]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            records.append(audit_prepare(actor=request.user, action=Action.CREATED, obj=obj))
        for obj, _fields in formset.changed_objects:
            _row, before = states.get(obj.pk, (None, None))
            action = Action.CREATED if before is None else Action.CHANGED
            records.append(audit_prepare(actor=request.user, action=action, obj=obj, before=before))
        audit_record_many(records)

    def delete_model(self, request, obj) -> None:
        record = audit_prepare(
            actor=request.user, action=Action.DELETED, obj=obj, before=audit_state(obj)
        )
        super().delete_model(request, obj)
        audit_record_many([record])

    def delete_queryset(self, request, queryset) -> None:
        """One record for each object "delete selected" deletes, written together."""
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            records = [
                audit_prepare(
                    actor=request.user, action=Action.DELETED, obj=obj, before=audit_state(obj)
                )
                for obj in with_relations(queryset)
            ]
            super().delete_queryset(request, queryset)
            audit_record_many(records)

    def history_view(self, request, object_id, extra_context=None):
        """The object's history is its audit records (who changed what, from what to what)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or self.opts.pk.name in hidden_fields(self.model):
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        query = {
            "type": ContentType.objects.get_for_model(obj).pk,
            "object_id": str(obj.pk),
        }
        return redirect(f"{reverse('admin:audit_auditrecord_changelist')}?{urlencode(query)}")
