"""Searchable pickers of enterprises, officials and categories.

A province has some 135,000 enterprises and 76,000 officials: a `<select>` with all of them is a
page of megabytes that takes longer to render than everything else on it. A picker is a text
input instead; Tom Select (static/js/pickers.js) turns it into a search box that asks
`enterprises:pick` for at most `MAX_RESULTS` matches among what the user may see or pick. Without
JavaScript it stays a plain input that takes the number the search box would send, or what a
person can type: an enterprise's USCC or full name, an official's full name or user name, a
category's code or name. Whatever comes in is looked up in the user's own scope, so a picker
never reaches an enterprise or official the user could not choose from a list.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Category, Enterprise
from .selectors import enterprises_fileable_by, enterprises_visible_to, is_office, official_of

User = AbstractBaseUser | AnonymousUser

MAX_QUERY_LENGTH = 50  # characters of a search; a USCC is 18, a long enterprise name about 40
MAX_RESULTS = 20  # matches per answer: enough to recognise one, never a whole table
MAX_PK_DIGITS = 12  # a longer number is no id of ours (and would overflow the column)


def officials_assignable_by(user: User) -> QuerySet:
    """The users `user` may assign a ticket to: active officials; of its own department only,
    for an official who is not the office (a department coordinator assigns within it)."""
    officials = get_user_model().objects.filter(is_active=True, official__isnull=False)
    me = official_of(user)
    if me is not None and not me.is_office and not user.is_superuser:
        officials = officials.filter(official__department_id=me.department_id)
    return officials.select_related("official__department")


def official_label(user) -> str:
    official = user.official
    department = (
        official.department.short_name or official.department.name if official.department_id else ""
    )
    return " · ".join(part for part in (official.name, official.title, department) if part)


@dataclass(frozen=True)
class Picker:
    """What one kind of picker searches: the rows a user may pick, in the order shown, the
    condition a search adds, how a row is labelled, and the lookups a typed value may match."""

    queryset: Callable[[User], QuerySet]
    search: Callable[[str], Q]
    label: Callable[[Model], str]
    typed: tuple[str, ...]
    model: type[Model]

    def results(self, user: User, query: str) -> list[dict]:
        rows = self.queryset(user)
        if query:
            rows = rows.filter(self.search(query))
        return [{"value": str(row.pk), "text": self.label(row)} for row in rows[:MAX_RESULTS]]


def _enterprise_label(enterprise) -> str:
    return f"{enterprise.name} · {enterprise.uscc}"


def _enterprise_search(query: str) -> Q:
    return Q(name__icontains=query) | Q(uscc__icontains=query)


PICKERS: dict[str, Picker] = {
    # The queue's filter: enterprises whose tickets the user may see.
    "enterprises": Picker(
        queryset=lambda user: enterprises_visible_to(user).order_by("name", "pk"),
        search=_enterprise_search,
        label=_enterprise_label,
        typed=("uscc__iexact", "name"),
        model=Enterprise,
    ),
    # Filing on an enterprise's behalf: those the user may file for.
    "fileable-enterprises": Picker(
        queryset=lambda user: enterprises_fileable_by(user).order_by("name", "pk"),
        search=_enterprise_search,
        label=_enterprise_label,
        typed=("uscc__iexact", "name"),
        model=Enterprise,
    ),
    # Assigning a ticket: the officials the user may assign to.
    "officials": Picker(
        queryset=lambda user: officials_assignable_by(user).order_by("official__name", "pk"),
        search=lambda query: (
            Q(official__name__icontains=query)
            | Q(official__title__icontains=query)
            | Q(username__iexact=query)
        ),
        label=official_label,
        typed=("official__name", "username"),
        model=get_user_model(),
    ),
    # Problem categories: the filing forms offer the active ones, the queue's filter all.
    "categories": Picker(
        queryset=lambda user: (
            Category.objects.filter(is_active=True)
            .select_related("parent")
            .order_by("sort_order", "code")
        ),
        search=lambda query: (
            Q(name__icontains=query) | Q(parent__name__icontains=query) | Q(code__iexact=query)
        ),
        label=str,
        typed=("code", "name"),
        model=Category,
    ),
    "all-categories": Picker(
        queryset=lambda user: Category.objects.select_related("parent").order_by(
            "sort_order", "code"
        ),
        search=lambda query: (
            Q(name__icontains=query) | Q(parent__name__icontains=query) | Q(code__iexact=query)
        ),
        label=str,
        typed=("code", "name"),
        model=Category,
    ),
}


class PickerInput(forms.TextInput):
    """A text input that Tom Select turns into a search box over `enterprises:pick`."""

    def __init__(self, picker: str, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.picker = picker
        self.chosen: list[dict] = []  # the chosen row's value and label, set by PickerField

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-picker-url": reverse("enterprises:pick", args=[self.picker]),
                "data-picker-initial": json.dumps(self.chosen, ensure_ascii=False),
                "data-picker-empty": str(_("Nothing matches.")),
                "autocomplete": "off",
                "maxlength": str(MAX_QUERY_LENGTH * 4),
            }
        )
        widget_attrs.setdefault("placeholder", str(_("Type to search")))
        return context


class PickerField(forms.ModelChoiceField):
    """A ModelChoiceField that never lists its choices: it takes an id (what the search box
    sends) or a typed natural key, looked up in the field's queryset (the user's scope)."""

    default_error_messages = {
        "invalid_choice": _("Nothing you may choose matches “%(value)s”."),
        "ambiguous": _("Several match “%(value)s”; pick one from the list."),
    }

    def __init__(
        self,
        *,
        picker: str,
        queryset=None,
        help_text=None,
        empty_label=None,
        kept: Callable[[int], Model | None] | None = None,
        **kwargs,
    ) -> None:
        self.picker = picker
        # A row by its id from master data the process keeps (ops.masterdata), before the query.
        self.kept = kept
        if queryset is None:  # the form or filter sets the user's own in its __init__
            queryset = PICKERS[picker].model.objects.none()
        # What a select's empty choice would say ("请选择问题类型") is the search box's prompt.
        attrs = {"placeholder": empty_label} if empty_label is not None else None
        kwargs.setdefault("widget", PickerInput(picker, attrs))
        if help_text is None:
            help_text = _("Type part of the name and choose; without JavaScript: %(how)s.") % {
                "how": TYPED_HELP[picker]
            }
        super().__init__(queryset=queryset, help_text=help_text, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.chosen = []
        return result

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not value or len(value) > MAX_QUERY_LENGTH or "\x00" in value:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        lookups = list(PICKERS[self.picker].typed)
        if value.isdigit() and len(value) <= MAX_PK_DIGITS:
            if self.kept is not None and (row := self.kept(int(value))) is not None:
                self.show(row)
                return row
            lookups.insert(0, "pk")
        for lookup in lookups:
            try:
                row = self.queryset.get(**{lookup: value})
            except self.queryset.model.DoesNotExist:
                continue
            except MultipleObjectsReturned:
                raise ValidationError(
                    self.error_messages["ambiguous"], code="ambiguous", params={"value": value}
                ) from None
            self.show(row)
            return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def show(self, row) -> None:
        """Let the widget label the chosen row without another query."""
        self.widget.chosen = [{"value": str(row.pk), "text": PICKERS[self.picker].label(row)}]

    def prepare_value(self, value):
        if isinstance(value, Model):
            self.show(value)
            return str(value.pk)
        return super().prepare_value(value)


TYPED_HELP = {
    "enterprises": _("the USCC or the full name"),
    "fileable-enterprises": _("the USCC or the full name"),
    "officials": _("the full name"),
    "categories": _("the category's name"),
    "all-categories": _("the category's name"),
}


def search_query(raw: str | None) -> str | None:
    """The search text of a request, or None when it is too long to be one."""
    query = (raw or "").strip()
    return None if len(query) > MAX_QUERY_LENGTH or "\x00" in query else query


def user_may_pick(user: User, picker: str) -> bool:
    """Who may search what: officials and the office everything they may pick; an enterprise
    user only its own scope (the enterprise pickers answer just its enterprise)."""
    if picker in ("officials", "fileable-enterprises"):
        return official_of(user) is not None or is_office(user) or user.is_superuser
    return True
