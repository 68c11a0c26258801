"""An integration (the 12345 hotline) with a live API key, and the GeoReport v2 schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from integrations.services import integration_create, integration_key_issue
from tickets.models import Channel

# Published by the Open311 community (open311/schema-validation); see shared/open311/README.md.
# They sit beside the project (../shared/open311) rather than in it; a clone made elsewhere on
# the machine finds them at /work/shared, or wherever OPEN311_SCHEMAS says.
_PLACES = [
    os.environ.get("OPEN311_SCHEMAS", ""),
    str(Path(settings.BASE_DIR).parent / "shared" / "open311"),
    "/work/shared/open311",
]
SCHEMAS = next((Path(p) for p in _PLACES if p and Path(p).is_dir()), Path(_PLACES[1]))
HOTLINE_KEY = "hotline-test-key-0123456789"


@pytest.fixture
def hotline(db):
    integration = integration_create(name="hotline", channel=Channel.HOTLINE)
    integration_key_issue(integration=integration, raw=HOTLINE_KEY)
    return integration


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


@pytest.fixture(scope="session")
def georeport():
    """georeport("requests.json", data) validates `data` against that GeoReport v2 schema."""
    assert SCHEMAS.is_dir(), f"the GeoReport v2 schemas are missing: {SCHEMAS}"
    names = [
        "request.json",
        "requests.json",
        "service.json",
        "services.json",
        "service-definition.json",
    ]
    registry = Registry().with_resources(
        (name, Resource.from_contents(_schema(name), default_specification=DRAFT7))
        for name in names
    )

    def validate(name: str, data) -> None:
        validator = jsonschema.Draft7Validator(
            _schema(name),
            registry=registry,
            format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER,
        )
        validator.validate(data)

    return validate
