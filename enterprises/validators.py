"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc


def normalize_uscc(value: str) -> str:
    return "".join(str(value).split()).upper()


def validate_uscc(value: str) -> None:
    """Check the length, the alphabet and the GB 32100-2015 check character (python-stdnum)."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    try:
        stdnum_uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code[:17])
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: "
                "the 18th character should be %(expected)s, not %(given)s. Please check the code."
            ),
            code="uscc_checksum",
            params={"expected": expected, "given": code[17]},
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "This is not a valid unified social credit code: the first 8 characters are digits, "
                "the rest digits or capital letters other than I, O, S, V and Z."
            ),
            code="uscc_format",
        ) from None
