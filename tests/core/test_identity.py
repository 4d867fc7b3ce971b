import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from motcua.core.identity import (
    cccd_birth_facts,
    tax_check_digit,
    validate_agency_code,
    validate_cccd,
    validate_tax_code,
)


@pytest.mark.parametrize("number", ["075090001234", "001203000001", "079185004321", "096099999999"])
def test_cccd_well_formed_numbers_are_accepted(number):
    validate_cccd(number)


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("07509000123", "cccd_format", "đúng 12 chữ số"),
        ("07509000123a", "cccd_format", "đúng 12 chữ số"),
        ("003090001234", "cccd_province", "mã tỉnh"),  # 003 is no province code
        ("097090001234", "cccd_province", "mã tỉnh"),
        ("075399001234", "cccd_year", "tương lai"),  # 21st century, year 2099
    ],
)
def test_cccd_malformed_numbers_are_refused_in_vietnamese(number, code, words):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_cccd(number)
    assert error.value.code == code
    assert words in error.value.messages[0]


def test_cccd_encodes_century_and_sex():
    assert cccd_birth_facts("075090001234") == (1990, "male")
    assert cccd_birth_facts("075185004321") == (1985, "female")
    assert cccd_birth_facts("001303000001") == (2003, "female")
    assert cccd_birth_facts("001203000001") == (2003, "male")


def test_cccd_must_agree_with_birth_date():
    from datetime import date

    validate_cccd("075090001234", birth_date=date(1990, 1, 1))
    with pytest.raises(ValidationError) as error:
        validate_cccd("075090001234", birth_date=date(1991, 1, 1))
    assert error.value.code == "cccd_birth_mismatch"


@pytest.mark.parametrize("code", ["0300588569", "3600252847", "0300588569-001"])
def test_tax_code_with_correct_check_digit_is_accepted(code):
    validate_tax_code(code)


def test_tax_check_digit_follows_the_weights():
    # Σ Ni·Wi for 030058856 = 221 → 221 mod 11 = 1 → check digit 10 − 1 = 9
    assert tax_check_digit("030058856") == 9
    assert tax_check_digit("000000000") is None  # remainder 0 admits no valid code


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("0300588568", "tax_check_digit"),
        ("030058856", "tax_format"),
        ("0300588569001", "tax_format"),  # 13 digits need the dash
        ("0300588569-000", "tax_branch"),
        ("0000000000", "tax_check_digit"),
    ],
)
def test_tax_code_wrong_is_refused_with_a_clear_message(code, error_code):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_tax_code(code)
    assert error.value.code == error_code
    assert "Mã số thuế" in error.value.messages[0] or "Mã đơn vị phụ thuộc" in error.value.messages[0]


def test_tax_code_of_an_individual_may_be_the_personal_id():
    validate_tax_code("075090001234", allow_personal_id=True)
    with pytest.raises(ValidationError):
        validate_tax_code("075090001234")


@pytest.mark.parametrize("code", ["000.00.00.H19", "000.00.05.H19", "001.12.99.H19", "000.00.04.G14"])
def test_agency_code_in_qcvn_102_form_is_accepted(code):
    validate_agency_code(code)


@pytest.mark.parametrize(
    "code", ["000.00.00.h19", "00.00.00.H19", "000.00.00.H1", "000-00-00-H19", "", "H19.000.00.00"]
)
def test_agency_code_malformed_is_refused(code):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_agency_code(code)
    assert "không đúng dạng 000.00.00.H19" in error.value.messages[0]


def test_agency_code_message_is_translated_to_english():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_agency_code("xyz")
    assert "000.00.00.H19" in error.value.messages[0]
    assert "không" not in error.value.messages[0]
