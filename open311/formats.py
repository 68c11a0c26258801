"""GeoReport v2 answers in XML and in JSON, from the same Python data.

XML is built with the standard library's ElementTree, which escapes every text it is given;
nothing is parsed here (tests read the answers back with defusedxml).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from tickets.validators import without_control_characters

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# The element that holds each item of a list, by the list's element name (the spec's examples).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def text(value) -> str:
    """A value as GeoReport v2 writes it: ISO 8601 times with their offset, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso(value)
    return without_control_characters(str(value))  # XML 1.0 allows none of them


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for name, inner in value.items():
            _append(element, name, inner)
    elif isinstance(value, list):
        for inner in value:
            _append(element, ITEM_TAGS[tag], inner)
    else:
        element.text = text(value)


def to_xml(root: str, data) -> bytes:
    """`data` (a list, or a dict) under the element `root`, with the XML declaration."""
    element = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _append(element, ITEM_TAGS[root], item)
    else:
        for name, value in data.items():
            _append(element, name, value)
    body = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _json_default(value):
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def respond(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """The answer in the format the path asked for (`.xml` or `.json`)."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(data, ensure_ascii=False, default=_json_default).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error answer: `[{"code": …, "description": …}]` or `<errors><error>…`."""
    return respond(
        fmt, "errors", [{"code": status, "description": str(description)}], status=status
    )
