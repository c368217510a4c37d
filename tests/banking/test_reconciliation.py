"""The reconciliation queue: allocating by hand, posting to an account."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fixtures.bank_files import Payment, camt054
from modules.banking.models import BankConnection, BankTransaction, PaymentAllocation
from modules.banking.selectors import waiting_transactions
from modules.banking.services import (
    allocate_to_invoices,
    import_bank_file,
    post_to_account,
    rematch_waiting,
)
from modules.ledger.models import Account, Voucher, VoucherSeries
from modules.ledger.services import create_chart_from_template, open_fiscal_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(company_a, account_a, clerk, receivables):
    """Two incoming payments and a bank fee that matched nothing."""
    payments = [
        Payment(Decimal("150.00"), name="Asiakas Oy", archive_id="W1"),
        Payment(Decimal("25.00"), name="Unknown", archive_id="W2"),
        Payment(Decimal("4.90"), message="Service fee", credit=False, archive_id="W3"),
    ]
    import_bank_file(company=company_a, data=camt054(payments), user=clerk)
    return {t.key: t for t in BankTransaction.objects.all()}


@pytest.fixture
def books(company_a, clerk, account_a):
    create_chart_from_template(company=company_a, user=clerk)
    open_fiscal_year(
        company=company_a,
        user=clerk,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    series = VoucherSeries.objects.create(company=company_a, code="PK", name="Bank")
    BankConnection.objects.create(
        company=company_a,
        bank_account=account_a,
        ledger_account=Account.objects.get(company=company_a, number="1910"),
        voucher_series=series,
    )
    return lambda number: Account.objects.get(company=company_a, number=number)


def test_everything_unmatched_waits_in_the_queue(company_a, waiting):
    assert {t.key for t in waiting_transactions(company=company_a)} == {
        "W1",
        "W2",
        "W3",
    }


def test_a_payment_is_split_over_invoices_the_user_picks(clerk, waiting, receivables):
    first = receivables.add("2001", "100.00")
    second = receivables.add("2002", "80.00")

    allocate_to_invoices(
        bank_transaction=waiting["W1"],
        user=clerk,
        lines=[(first.document_id, "100.00"), (second.document_id, "50.00")],
    )

    assert receivables.booked == [
        ("2001", Decimal("100.00")),
        ("2002", Decimal("50.00")),
    ]
    payment = BankTransaction.objects.get(key="W1")
    assert payment.state == BankTransaction.State.MATCHED
    assert receivables.open_amount("2002") == Decimal("30.00")


def test_allocating_more_than_the_payment_is_refused(clerk, waiting, receivables):
    invoice = receivables.add("2003", "500.00")

    with pytest.raises(ValidationError) as refused:
        allocate_to_invoices(
            bank_transaction=waiting["W2"],
            user=clerk,
            lines=[(invoice.document_id, "30.00")],
        )

    assert "exceed what is left of the payment (25.00)" in refused.value.messages[0]
    assert receivables.booked == []


def test_nothing_is_booked_twice(clerk, waiting, receivables):
    invoice = receivables.add("2004", "25.00")
    allocate_to_invoices(
        bank_transaction=waiting["W2"],
        user=clerk,
        lines=[(invoice.document_id, "25.00")],
    )

    with pytest.raises(ValidationError):
        allocate_to_invoices(
            bank_transaction=waiting["W2"],
            user=clerk,
            lines=[(invoice.document_id, "25.00")],
        )

    assert receivables.booked == [("2004", Decimal("25.00"))]
    assert PaymentAllocation.objects.count() == 1


def test_a_bank_fee_is_posted_to_an_expense_account(clerk, waiting, books):
    post_to_account(
        bank_transaction=waiting["W3"],
        user=clerk,
        account=books("1730"),
        description="Bank fee",
    )

    voucher = Voucher.objects.get()
    lines = {line.account.number: line for line in voucher.lines.all()}
    assert voucher.is_posted
    assert lines["1910"].credit == Decimal("4.90")
    assert lines["1730"].debit == Decimal("4.90")
    assert BankTransaction.objects.get(key="W3").state == "matched"


def test_posting_without_a_bank_connection_says_what_to_set(company_a, clerk, waiting):
    create_chart_from_template(company=company_a, user=clerk)
    account = Account.objects.get(company=company_a, number="1730")

    with pytest.raises(ValidationError) as refused:
        post_to_account(bank_transaction=waiting["W3"], user=clerk, account=account)

    assert "bank connection" in refused.value.messages[0]
    assert not Voucher.objects.exists()


def test_matching_again_finds_invoices_created_later(
    company_a, clerk, waiting, receivables
):
    receivables.add("2005", "25.00", customer="Unknown")

    matched = rematch_waiting(company=company_a, user=clerk)

    assert matched == 1
    assert receivables.booked == [("2005", Decimal("25.00"))]
