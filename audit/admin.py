"""The audit records in the admin: the office reads them, nobody changes or deletes one.

"Who changed this enterprise's district, and when?": open the enterprise, click History (which
lists its records), or here pick the object type and the changed field and search its name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Action, AuditRecord
from .state import audited_fields

# Keys a record may hold that are not fields of its object.
EXTRA_LABELS = {
    "failed_sign_ins": _("failed sign-ins"),
    "usable_password": _("signs in with a password"),
}
SHORT = 60  # characters of a value shown in the list


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kinds of object that have records, by the names the admin gives them."""

    title = _("object type")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        used = AuditRecord.objects.values("content_type").distinct()
        types = ContentType.objects.filter(pk__in=used)
        choices = [(str(ct.pk), _type_name(ct)) for ct in types]
        return sorted(choices, key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit() or len(value) > 18:
            raise IncorrectLookupParameters(value)  # the admin answers with its "?e=1" page
        return queryset.filter(content_type_id=int(value))


class ChangedFieldFilter(admin.SimpleListFilter):
    """Once an object type is picked: the records that changed one of its fields."""

    title = _("changed field")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        content_type = request.GET.get(ObjectTypeFilter.parameter_name)
        model = _model_of(content_type)
        if model is None:
            return []
        return [(f.name, _capitalized(f.verbose_name)) for f in audited_fields(model)]

    def queryset(self, request, queryset):
        name = self.value()
        if name:
            return queryset.filter(Q(before__has_key=name) | Q(after__has_key=name))
        return queryset


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "who", "action", "object_type", "object_link", "summary"]
    list_filter = [
        "action",
        ObjectTypeFilter,
        ChangedFieldFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["object_repr", "=object_id", "actor__username"]
    list_select_related = ["actor", "content_type"]
    empty_value_display = _("the system")  # a record without an actor, in the filter by actor
    fields = ["created_at", "who", "action", "object_type", "object_link", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("changed by"), ordering="actor__username")
    def who(self, record: AuditRecord) -> str:
        return record.actor.get_username() if record.actor else _("the system")

    @admin.display(description=_("object type"), ordering="content_type")
    def object_type(self, record: AuditRecord) -> str:
        return _type_name(record.content_type)

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, record: AuditRecord) -> str:
        url = None
        if record.action != Action.DELETED:
            ct = record.content_type
            try:
                url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[record.object_id])
            except NoReverseMatch:
                url = None
        return (
            format_html('<a href="{}">{}</a>', url, record.object_repr)
            if url
            else record.object_repr
        )

    @admin.display(description=_("what changed"))
    def summary(self, record: AuditRecord) -> str:
        """The list: each changed field with its value before and after; for an object added or
        deleted, the names of its fields (the record's page shows their values)."""
        rows = _rows(record)
        if record.action in (Action.CREATED, Action.DELETED, Action.KEY_ISSUED):
            return "、".join(str(label) for label, _before, _after in rows)
        return format_html_join(
            mark_safe("<br>"),
            "{}：{} → {}",
            ((label, _short(before), _short(after)) for label, before, after in rows),
        )

    @admin.display(description=_("changes"))
    def changes(self, record: AuditRecord) -> str:
        rows = _rows(record)
        if not rows:
            return "—"
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th></tr>", _("field"), _("before"), _("after")
        )
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table>{}{}</table>", head, body)


def _model_of(content_type_id: str | None):
    if not content_type_id or not content_type_id.isdigit():
        return None
    try:
        return ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except ContentType.DoesNotExist:
        return None


def _type_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    return _capitalized(model._meta.verbose_name) if model else content_type.model


def _capitalized(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _rows(record: AuditRecord) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each key of the record, as a person reads them."""
    model = record.content_type.model_class()
    rows = []
    for name in dict.fromkeys([*record.before, *record.after]):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = (
            _capitalized(field.verbose_name) if field is not None else EXTRA_LABELS.get(name, name)
        )
        rows.append(
            (
                str(label),
                _shown(field, record.before.get(name)),
                _shown(field, record.after.get(name)),
            )
        )
    return rows


def _shown(field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= SHORT else f"{text[:SHORT]}…"
