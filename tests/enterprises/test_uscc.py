"""The unified social credit code: a wrong one gets a clear message naming the field."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.models import Enterprise
from enterprises.validators import validate_uscc
from tests.factories import DistrictFactory

VALID = "91110000600037341L"  # a published example (python-stdnum's documentation)


def test_a_valid_code_passes():
    validate_uscc(VALID)


def test_lower_case_and_spaces_are_forgiven_when_saving(db):
    enterprise = Enterprise(name="示例", uscc=" 91110000600037341l ", district=DistrictFactory())
    enterprise.full_clean()
    assert enterprise.uscc == VALID


@pytest.mark.parametrize(
    "code,expected_in_message",
    [
        ("91110000600037341M", "L"),  # wrong check character: says which one it should be
        ("9111000060003734", "18"),  # too short: says how long it must be
        ("9111000060003734IL", "I, O, S, V"),  # a letter the standard never uses
    ],
)
def test_a_wrong_code_is_refused_with_a_message_that_helps(code, expected_in_message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_uscc(code)
        assert expected_in_message in refused.value.messages[0]


def test_the_message_is_in_chinese_by_default():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_uscc("91110000600037341M")
        assert "校验位错误" in refused.value.messages[0]


def test_a_wrong_code_names_the_field_when_an_enterprise_is_saved(db):
    enterprise = Enterprise(name="示例", uscc="91110000600037341M", district=DistrictFactory())
    with pytest.raises(ValidationError) as refused:
        enterprise.full_clean()
    assert "uscc" in refused.value.message_dict
