"""Finnish business IDs and VAT numbers, IBANs and BICs."""

import pytest
from django.core.exceptions import ValidationError

from modules.core.validators import (
    bic_for_iban,
    format_iban,
    normalize_bic,
    normalize_iban,
    normalize_vat_number,
    validate_business_id,
    vat_number_for_business_id,
)


@pytest.mark.parametrize("business_id", ["2077474-0", "0737546-2", "1572860-0"])
def test_published_business_ids_are_valid(business_id):
    validate_business_id(business_id)


def test_business_id_with_wrong_check_digit_names_the_value():
    with pytest.raises(ValidationError) as error:
        validate_business_id("0737546-1")

    assert error.value.messages == ["0737546-1 is not a valid Finnish business ID."]


def test_business_id_without_dash_asks_for_the_written_form():
    with pytest.raises(ValidationError) as error:
        validate_business_id("07375462")

    assert error.value.messages == ["Write the business ID as 1234567-8."]


@pytest.mark.parametrize(
    ("business_id", "vat_number"),
    [("2077474-0", "FI20774740"), ("0737546-2", "FI07375462")],
)
def test_vat_number_is_fi_and_the_business_id_digits(business_id, vat_number):
    assert vat_number_for_business_id(business_id) == vat_number


@pytest.mark.parametrize("written", ["FI20774740", "fi 2077 4740", " FI20774740 "])
def test_vat_number_is_stored_compact(written):
    assert normalize_vat_number(written) == "FI20774740"


def test_vat_number_with_wrong_check_digit_says_so():
    with pytest.raises(ValidationError) as error:
        normalize_vat_number("FI20774741")

    assert error.value.messages == [
        "The VAT number FI20774741 has a wrong check digit."
    ]


@pytest.mark.parametrize("value", ["SE20774740", "FI123", "20774740X"])
def test_malformed_vat_number_shows_the_expected_form(value):
    with pytest.raises(ValidationError) as error:
        normalize_vat_number(value)

    assert "FI20774740" in error.value.messages[0]


def test_iban_is_stored_without_spaces_and_printed_in_groups():
    compact = normalize_iban("fi21 1234 5600 0007 85")

    assert compact == "FI2112345600000785"
    assert format_iban(compact) == "FI21 1234 5600 0007 85"


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        (
            "FI2112345600000786",
            "The IBAN FI2112345600000786 has wrong check digits; "
            "check it for typing errors.",
        ),
        (
            "FI21123456000007",
            "The IBAN FI21123456000007 has the wrong number of characters "
            "for its country.",
        ),
        (
            "XX2112345600000785",
            "The IBAN XX2112345600000785 does not start with a known country code.",
        ),
        ("hello", "hello is not a valid IBAN."),
    ],
)
def test_wrong_iban_gets_a_message_saying_what_is_wrong(iban, message):
    with pytest.raises(ValidationError) as error:
        normalize_iban(iban)

    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("iban", "bic"),
    [
        ("FI2112345600000785", "NDEAFIHH"),
        ("FI4950009420028730", "OKOYFIHH"),
        ("FI9780001470001232", "DABAFIHH"),
        ("FI2340550001234562", "HELSFIHH"),
    ],
)
def test_finnish_iban_tells_its_bic(iban, bic):
    assert bic_for_iban(iban) == bic


def test_bic_is_stored_in_capitals():
    assert normalize_bic("ndeafihh") == "NDEAFIHH"


@pytest.mark.parametrize(
    ("bic", "message"),
    [
        ("NDEAFIH", "The BIC NDEAFIH must have 8 or 11 characters."),
        ("NDEAXXHH", "The BIC NDEAXXHH has an unknown country code in places 5-6."),
    ],
)
def test_wrong_bic_gets_a_message_saying_what_is_wrong(bic, message):
    with pytest.raises(ValidationError) as error:
        normalize_bic(bic)

    assert error.value.messages == [message]
