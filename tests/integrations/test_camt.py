"""Reading camt.053 statements and camt.054 notifications."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from fixtures.bank_files import IBAN, Payment, camt053, camt054
from integrations.camt import CamtError, parse_camt

PAYMENTS = [
    Payment(Decimal("100.00"), reference="1232", name="Asiakas Oy", archive_id="A1"),
    Payment(Decimal("50.50"), reference="RF11 1232", name="Toinen Ab", archive_id="A2"),
    Payment(Decimal("7.00"), message="Lasku 1005", name="Kolmas", archive_id="A3"),
]


@pytest.mark.parametrize("version", ["02", "08"])
def test_camt054_batch_entry_gives_one_transaction_per_payment(version):
    document = parse_camt(camt054(PAYMENTS, version=version))

    report = document.reports[0]
    assert document.kind == "camt.054"
    assert report.account_iban == IBAN
    assert [t.amount for t in report.transactions] == [
        Decimal("100.00"),
        Decimal("50.50"),
        Decimal("7.00"),
    ]
    assert [t.key for t in report.transactions] == ["A1", "A2", "A3"]
    assert [t.reference for t in report.transactions] == ["1232", "RF111232", ""]
    assert report.transactions[2].message == "Lasku 1005"
    assert report.transactions[0].counterparty_name == "Asiakas Oy"
    assert report.transactions[0].booking_date == datetime.date(2026, 12, 1)
    assert all(t.is_credit for t in report.transactions)


def test_camt053_reads_balances_and_debits():
    payments = [
        Payment(Decimal("20.00"), reference="1326", archive_id="B1"),
        Payment(Decimal("5.25"), message="Bank fee", credit=False, archive_id="B2"),
    ]

    report = parse_camt(camt053(payments)).reports[0]

    assert report.opening_balance == Decimal("1000.00")
    assert report.closing_balance == Decimal("1014.75")
    assert report.to_date == datetime.date(2026, 12, 1)
    assert [t.is_credit for t in report.transactions] == [True, False]


def test_transactions_without_archive_id_get_stable_keys():
    payments = [Payment(Decimal("1.00")), Payment(Decimal("1.00"))]

    first = parse_camt(camt054(payments)).reports[0].transactions
    again = parse_camt(camt054(payments)).reports[0].transactions

    assert [t.key for t in first] == [t.key for t in again]
    assert len({t.key for t in first}) == 2


def test_a_wrong_reference_check_digit_is_kept_raw_but_not_used():
    report = parse_camt(camt054([Payment(Decimal("1"), reference="1233")])).reports[0]

    assert report.transactions[0].reference == ""
    assert report.transactions[0].raw_reference == "1233"


def test_other_xml_is_not_a_camt_file():
    with translation.override("en"), pytest.raises(CamtError) as refused:
        parse_camt(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'
        )

    assert "not an ISO 20022 camt.053 or camt.054" in refused.value.messages[0]


def test_an_entry_without_amount_is_refused():
    broken = camt054(PAYMENTS).replace(b'<Amt Ccy="EUR">157.50</Amt>', b"")

    with translation.override("en"), pytest.raises(CamtError) as refused:
        parse_camt(broken)

    assert "has no amount" in refused.value.messages[0]
