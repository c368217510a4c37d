"""Payment references and the bank barcode, against published vectors."""

import datetime
from decimal import Decimal

import pytest
from barcode import Code128

from integrations.barcode import BarcodeError, code128_svg, virtual_barcode
from integrations.reference import (
    InvalidReference,
    format_reference,
    national_reference,
    normalize_reference,
    rf_reference,
)


@pytest.mark.parametrize(
    ("base", "reference"),
    [("123456", "1234561"), ("12345", "123453"), ("123", "1232"), ("132", "1326")],
)
def test_national_references_get_their_check_digit(base, reference):
    assert national_reference(base) == reference


@pytest.mark.parametrize(
    ("national", "rf"), [("1232", "RF111232"), ("1326", "RF921326")]
)
def test_rf_references_wrap_the_national_one(national, rf):
    assert rf_reference(national) == rf


def test_references_are_normalised_and_printed_in_groups():
    assert normalize_reference("rf18 5390 0754 7034") == "RF18539007547034"
    assert normalize_reference(" 12 34561 ") == "1234561"
    assert format_reference("1234561") == "12 34561"
    assert format_reference("RF18539007547034") == "RF18 5390 0754 7034"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1234562", "checksum"),
        ("RF19539007547034", "checksum"),
        ("12", "length"),
        ("12a45", "format"),
    ],
)
def test_wrong_references_say_what_is_wrong(text, code):
    with pytest.raises(InvalidReference) as caught:
        normalize_reference(text)

    assert caught.value.code == code


@pytest.mark.parametrize(
    ("iban", "reference", "amount", "due", "expected"),
    [
        (
            "FI37 1590 3000 0007 76",
            "11112",
            "12.25",
            datetime.date(2016, 12, 21),
            "437159030000007760000122500000000000000000011112161221",
        ),
        (
            "FI37 1590 3000 0007 76",
            "RF9811112",
            "1.10",
            datetime.date(2017, 1, 1),
            "537159030000007760000011098000000000000000011112170101",
        ),
        (
            "FI49 5000 9420 0287 30",
            "1234567907",
            "100.20",
            datetime.date(2020, 12, 12),
            "449500094200287300001002000000000000001234567907201212",
        ),
    ],
)
def test_virtual_barcodes_match_the_published_examples(
    iban, reference, amount, due, expected
):
    code = virtual_barcode(
        iban=iban, amount=Decimal(amount), reference=reference, due_date=due
    )

    assert code == expected


def test_a_barcode_without_due_date_or_with_a_huge_amount_leaves_them_out():
    code = virtual_barcode(
        iban="FI4950009420028730", amount=Decimal("1000000.00"), reference="1232"
    )

    assert code[17:25] == "00000000" and code.endswith("000000")


def test_the_barcode_image_is_code_128_set_c():
    code = "437159030000007760000122500000000000000000011112161221"

    symbols = Code128(code).encoded
    svg = code128_svg(code)

    assert symbols[0] == 105  # START C: two digits per symbol
    assert len(symbols) == 1 + 27  # start and 27 digit pairs (check, stop added)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_a_foreign_account_cannot_go_into_a_bank_barcode():
    with pytest.raises(BarcodeError):
        virtual_barcode(
            iban="DE89370400440532013000", amount=Decimal("1"), reference="1232"
        )
