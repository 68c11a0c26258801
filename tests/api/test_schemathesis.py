"""Schemathesis against the API's own OpenAPI schema: no 5xx, no answer that breaks the schema.

Every operation gets a modest number of generated requests (the machine has two cores), sent as
the office through the project's WSGI application, in process, on the test database.
(Schemathesis' own pytest plugin does not run under the pinned pytest 9, so each operation is
driven here with Hypothesis directly, from the operation's strategy.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tickets.models import Action, Status

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 10

SCHEMA = schemathesis.openapi.from_dict(
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


def operation_params():
    for label in sorted(OPERATIONS):
        yield pytest.param(label, id=label)


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept from closing the test's database connection after
    each request (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_schema_lists_every_endpoint_of_the_issue():
    paths = {label.split(" ", 1)[1] for label in OPERATIONS}
    assert {
        "/api/v1/auth/token/",
        "/api/v1/categories/",
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{uscc}/",
        "/api/v1/tickets/",
        "/api/v1/tickets/{number}/",
        "/api/v1/tickets/{number}/request-extension/",
        "/api/v1/reports/summary/",
    } <= paths
    actions = {p for p in paths if p.startswith("/api/v1/tickets/{number}/") and p.count("/") > 5}
    expected = {
        f"/api/v1/tickets/{{number}}/{action.value.replace('_', '-')}/"
        for action in Action
        if action != Action.SUBMIT  # filing is POST /api/v1/tickets/
    }
    assert actions == expected


@pytest.mark.parametrize("label", list(operation_params()))
def test_the_api_keeps_to_its_schema(label, world, make_ticket, wsgi_app):
    make_ticket(Status.SUBMITTED)
    make_ticket(Status.IN_PROGRESS)
    token = Token.objects.get_or_create(user=world.office)[0].key

    @given(case=OPERATIONS[label].as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def call(case) -> None:
        case.call_and_validate(
            app=wsgi_app,
            base_url="http://localhost",
            headers={"Authorization": f"Token {token}"},
            checks=CHECKS,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},  # as a real server sets it
        )

    call()
