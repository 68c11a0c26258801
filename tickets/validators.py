"""Text that people type travels on into spreadsheets, XML (Open311) and group chats, none of
which accept the C0 control characters: refuse them in what is filed, drop them from notes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_no_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            _("This text contains invisible control characters; please type it again."),
            code="control_characters",
        )


def without_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value or "")
