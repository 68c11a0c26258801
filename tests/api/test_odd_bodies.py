"""Bodies no client should send get a 400 in the API's error shape, and nothing is written."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from enterprises.models import Enterprise
from tests.factories import valid_uscc
from tickets.models import Status, Ticket


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/tickets/"])
def test_a_hundred_thousand_nested_brackets_are_a_400(api, world, path):
    body = "[" * 100_000 + "]" * 100_000
    response = api("enterprise_user").post(path, body, content_type="application/json")
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert "嵌套" in message
    assert not Ticket.objects.exists()
    assert Token.objects.filter(user__username=world.enterprise_user.username).count() == 1


def test_json_nested_deeper_than_any_request_needs_is_a_400(api, world):
    """Short of Python's recursion limit, a deep body would parse, and then be walked again by
    whatever reads it; no request of this API nests more than a few levels."""
    body = '{"title": ' + "[" * 500 + "]" * 500 + "}"
    response = api("enterprise_user").post(
        "/api/v1/tickets/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "deep-1"},
    )
    assert response.status_code == 400
    assert "嵌套" in response.json()["non_field_errors"][0]
    assert not Ticket.objects.exists()


def test_ordinary_nesting_still_parses(api, world, make_ticket):
    ticket = make_ticket(Status.ACCEPTED)
    response = api("office").post(
        f"/api/v1/tickets/{ticket.number}/transfer/",
        {"department": world.department.code, "supporting": [world.other_department.code]},
        format="json",
    )
    assert response.status_code == 200


@pytest.fixture
def accepted(make_ticket):
    return make_ticket(Status.ACCEPTED)


NUL = "gxj\x00"


@pytest.mark.parametrize(
    "field,body,path",
    [
        (
            "category",
            {"category": NUL, "title": "停电", "description": "园区停电"},
            "/api/v1/tickets/",
        ),
        ("department", {"department": NUL}, "/api/v1/tickets/{number}/transfer/"),
        (
            "supporting",
            {"department": "gxj", "supporting": [NUL]},
            "/api/v1/tickets/{number}/transfer/",
        ),
        (
            "district",
            {"uscc": valid_uscc(777), "name": "新企业", "district": NUL},
            "/api/v1/enterprises/",
        ),
        (
            "industry_chain",
            {
                "uscc": valid_uscc(777),
                "name": "新企业",
                "district": "nanguan",
                "industry_chain": NUL,
            },
            "/api/v1/enterprises/",
        ),
    ],
)
def test_a_nul_byte_in_a_code_is_a_400_on_that_field(api, world, accepted, field, body, path):
    before = (Ticket.objects.count(), accepted.events.count(), Enterprise.objects.count())
    response = api("office").post(
        path.format(number=accepted.number),
        {**body, "enterprise": world.enterprise.uscc} if field == "category" else body,
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert "空字符" in str(response.json()[field])
    assert (Ticket.objects.count(), accepted.events.count(), Enterprise.objects.count()) == before


@pytest.mark.parametrize(
    "name", ["category", "department", "district", "enterprise", "search", "status"]
)
def test_a_nul_byte_in_a_filter_of_the_list_is_a_400(api, world, name):
    response = api("office").get("/api/v1/tickets/", {name: "gxj\x00"})
    assert response.status_code == 400
    assert name in response.json()


def test_every_writable_code_of_the_api_refuses_nul_before_its_lookup():
    """A new slug field declared with DRF's own class would bring the 500 back."""
    import importlib
    import pkgutil

    from rest_framework import serializers

    from api import serializers as api_serializers
    from api.fields import SlugRelatedField

    modules = [
        importlib.import_module(f"{api_serializers.__name__}.{module.name}")
        for module in pkgutil.iter_modules(api_serializers.__path__)
    ]
    classes = {
        cls
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, serializers.Serializer)
    }
    assert len(classes) > 20  # every module of the package was read
    plain = [
        f"{cls.__name__}.{name}"
        for cls in sorted(classes, key=lambda cls: cls.__name__)
        for name, field in cls._declared_fields.items()
        if isinstance(field, serializers.SlugRelatedField | serializers.ManyRelatedField)
        and not field.read_only
        and not isinstance(getattr(field, "child_relation", field), SlugRelatedField)
    ]
    assert plain == []
