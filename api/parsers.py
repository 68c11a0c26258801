"""The API's JSON parser: DRF's, with a bound on how deeply a body may nest."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of this API nests more than three levels (a list of codes in an object); Python's
# parser recurses once per level, so 100,000 brackets would otherwise end in a RecursionError.
MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        if not _depth_within(data, MAX_DEPTH):
            raise ParseError(_too_deep())
        return data


def _too_deep() -> str:
    return _("The JSON body is nested too deeply (at most %(depth)d levels).") % {
        "depth": MAX_DEPTH
    }


def _depth_within(data, limit: int) -> bool:
    """Whether `data` nests no deeper than `limit` lists and objects (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True
