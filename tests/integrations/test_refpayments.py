"""The legacy reference payment file and Finnish reference numbers."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from fixtures.bank_files import IBAN, Payment, reference_file
from integrations.refpayments import ReferenceFileError, parse_reference_file
from integrations.refpayments.references import national_part, reference_or_blank


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("00000 01232", "1232"),
        ("1232", "1232"),
        ("rf11 1232", "RF111232"),
        ("RF18 5390 0754 7034", "RF18539007547034"),
        ("1233", ""),
        ("RF12 1232", ""),
        ("abc", ""),
    ],
)
def test_references_from_files_are_normalised_or_blank(given, stored):
    assert reference_or_blank(given) == stored


def test_rf_reference_pays_the_national_reference_inside_it():
    assert national_part("RF111232") == "1232"
    assert national_part("RF921326") == "1326"
    assert national_part("1326") == "1326"


def test_reference_file_is_read_with_totals_checked():
    payments = [
        Payment(Decimal("100.00"), reference="1232", name="Asiakas Oy"),
        Payment(Decimal("0.55"), reference="1326", name="Åkerman"),
    ]

    parsed = parse_reference_file(reference_file(payments))

    assert parsed.account == IBAN[4:]
    assert [p.amount for p in parsed.payments] == [Decimal("100.00"), Decimal("0.55")]
    assert [p.reference for p in parsed.payments] == ["1232", "1326"]
    assert parsed.payments[1].payer_name == "ÅKERMAN"
    assert parsed.payments[0].booking_date == datetime.date(2026, 12, 1)


def test_truncated_reference_file_is_refused():
    data = reference_file([Payment(Decimal("1.00"), reference="1232")])

    with translation.override("en"), pytest.raises(ReferenceFileError) as refused:
        parse_reference_file(data.rsplit(b"\r\n9", 1)[0])

    assert "totals record is missing" in refused.value.messages[0]


def test_totals_that_disagree_are_refused():
    data = reference_file([Payment(Decimal("1.00"))], corrupt_totals=True)

    with translation.override("en"), pytest.raises(ReferenceFileError) as refused:
        parse_reference_file(data)

    assert "does not agree" in refused.value.messages[0]
