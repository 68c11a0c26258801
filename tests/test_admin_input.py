"""The admin answers odd input with a 400 or a form error, as every other page does."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from enterprises.admin_widgets import AutocompleteAdminMixin
from enterprises.models import Coverage


@pytest.fixture
def administrator(client, world):
    user = get_user_model().objects.create_superuser("root", "root@example.cn", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "path,query",
    [
        ("/admin/enterprises/enterprise/", {"q": "长春\x00"}),
        ("/admin/enterprises/enterprise/", {"district__id__exact": "\x00"}),
        (
            "/admin/autocomplete/",
            {
                "app_label": "enterprises",
                "model_name": "coverage",
                "field_name": "enterprise",
                "term": "\x00",
            },
        ),
    ],
)
def test_a_nul_character_in_the_admin_is_a_400_with_a_message(client, administrator, path, query):
    """The autocomplete term was a 500; the search and the filter found nothing or were dropped
    without a word."""
    response = client.get(path, query)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_is_a_400(client, world, administrator, view):
    response = client.get(f"/admin/enterprises/district/{world.district.pk}/{view}/?_to_field=")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["abc", "1.5", "' OR '1'='1"])
def test_a_value_that_is_no_key_in_an_autocomplete_field_is_a_form_error(
    client, world, administrator, value
):
    before = Coverage.objects.count()
    response = client.post(
        "/admin/enterprises/coverage/add/",
        {"official": value, "enterprise": value, "role": "liaison"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["official"]
    assert Coverage.objects.count() == before


def test_every_autocomplete_field_of_the_admin_uses_the_safe_widget():
    admins = [(model, model_admin.__class__) for model, model_admin in admin.site._registry.items()]
    admins += [
        (model, inline)
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
    ]
    unsafe = [
        f"{model.__name__}: {cls.__name__}"
        for model, cls in admins
        if cls.autocomplete_fields and not issubclass(cls, AutocompleteAdminMixin)
    ]
    assert unsafe == []


def test_notifications_are_not_added_by_hand(client, administrator):
    """Every field of a notification is read-only: an "add" saved one with no recipient."""
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    assert client.post("/admin/notifications/notification/add/", {}).status_code == 403
